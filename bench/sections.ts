/** A bench section: runs and returns its JSON object. */
export type BenchSection = (quick: boolean) => Promise<unknown>;

/**
 * The sections that need Neo4j or Redis (graph, queue, unlearning), registered as they land.
 */
export function sectionRunners(_log: (line: string) => void): Record<string, BenchSection> {
  return {};
}
