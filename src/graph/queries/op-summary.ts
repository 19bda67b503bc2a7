/** An Op as queries return it. */
export interface OpSummary {
  id: string;
  seq: number;
  kind: string;
  name: string;
}
