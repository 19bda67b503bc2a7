/** A page of the workbench: fills `main` for the id and query of its hash route. */
export type View = (main: HTMLElement, id: string, query: URLSearchParams) => Promise<void>;
