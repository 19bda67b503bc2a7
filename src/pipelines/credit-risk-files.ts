import path from 'node:path';

/** Paths of the three credit-risk input files (`traceprop ingest credit-risk --application …`). */
export interface CreditRiskFiles {
  application: string;
  bureau: string;
  previous: string;
}

/** The three files in a directory (`application.csv`, `bureau.csv`, `previous_application.csv`). */
export function creditRiskFiles(dir: string): CreditRiskFiles {
  return {
    application: path.join(dir, 'application.csv'),
    bureau: path.join(dir, 'bureau.csv'),
    previous: path.join(dir, 'previous_application.csv'),
  };
}

/** The files as source-path overrides of credit-risk.yaml (its sources' names). */
export function creditRiskSources(files: CreditRiskFiles): Record<string, string> {
  return { application: files.application, bureau: files.bureau, previous_application: files.previous };
}
