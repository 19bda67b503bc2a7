import fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { GraphClient } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { median } from './support/interleaved.js';

/** Debian's chromium (as test/web uses it). */
const chromiumPath = '/usr/bin/chromium';

/** Nodes of the drawn DAG: the file, the ops and the samples node. */
const dagNodes = 2000;

/** The page globals read here (no DOM types in this tsconfig). */
interface PageGlobals {
  location: { hash: string };
  document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
}

/**
 * Time for the workbench page in Chromium to draw a run's 2,000-node lineage DAG: from setting
 * `#/run/<id>` (the page warm, signed in, on the search view) until the laid-out DAG is on screen
 * (`data-laid-out`: the page sets it once the frame with the drawing has been presented) — the two
 * API calls, the view with its nodes table, the layered layout and the drawing (a DAG this large is
 * laid out by the page itself and drawn on a canvas, src/web/dag-graph.ts); `dagApiMs` is those two calls alone,
 * over HTTP from the bench. Medians of 3 after one warm-up (1 with `quick`). Writes the run (ids holding `tag`; the serve section removes them). Undefined
 * when there is no Chromium at /usr/bin/chromium.
 */
export async function measureDagRender(opts: {
  client: GraphClient;
  url: string;
  token: string;
  tag: string;
  quick?: boolean;
  log: (line: string) => void;
}): Promise<Record<string, number> | undefined> {
  if (!fs.existsSync(chromiumPath)) {
    opts.log(`serve: no Chromium at ${chromiumPath}; DAG render skipped (apt-get install chromium)`);
    return undefined;
  }
  const runId = `run-dag-${opts.tag}`;
  const session = opts.client.driver.session({ database: opts.client.database });
  try {
    await session.run(cypherText('bench', 'dag-fixture'), {
      runId,
      fileId: `file-dag-${opts.tag}`,
      ops: dagNodes - 2,
    });
  } finally {
    await session.close();
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const viewDrawn = () =>
      page.waitForFunction(
        () => {
          const g = globalThis as unknown as PageGlobals;
          const view = g.document.getElementById('view');
          return !!view && view.dataset.hash === g.location.hash && view.dataset.ready === 'true';
        },
        undefined,
        { timeout: 60_000 },
      );
    const setHash = (hash: string) =>
      page.evaluate((h) => {
        (globalThis as unknown as PageGlobals).location.hash = h;
      }, hash);
    await page.goto(opts.url);
    await page.waitForSelector('#login');
    await page.fill('#token', opts.token);
    await page.press('#token', 'Enter');
    await viewDrawn();
    const times: number[] = [];
    const reps = opts.quick ? 1 : 3;
    let drawnNodes = 0;
    for (let r = 0; r < 1 + reps; r++) {
      await setHash('#/search');
      await viewDrawn();
      const started = performance.now();
      await setHash(`#/run/${encodeURIComponent(runId)}`);
      await page.waitForSelector('#run-dag[data-laid-out="true"]', { timeout: 60_000 });
      if (r > 0) times.push(performance.now() - started);
      drawnNodes = Number(await page.getAttribute('#run-dag', 'data-nodes'));
    }
    // The API's share: the two calls the run view makes, over HTTP from here.
    const apiTimes: number[] = [];
    const headers = { authorization: `Bearer ${opts.token}` };
    for (let r = 0; r < 1 + reps; r++) {
      const started = performance.now();
      await Promise.all(
        [`/api/runs/${encodeURIComponent(runId)}`, `/api/runs/${encodeURIComponent(runId)}/dag`].map(
          async (p) => (await fetch(opts.url + p, { headers })).json(),
        ),
      );
      if (r > 0) apiTimes.push(performance.now() - started);
    }
    const out = {
      dagRender2000Ms: Math.round(median(times)),
      dagApiMs: Math.round(median(apiTimes)),
      dagRenderNodes: drawnNodes,
    };
    opts.log(
      `serve: the page drew the ${drawnNodes}-node DAG in ${out.dagRender2000Ms} ms (its two API calls: ${out.dagApiMs} ms; median of ${reps}; target ≤ 1 s)`,
    );
    return out;
  } finally {
    await browser.close();
  }
}
