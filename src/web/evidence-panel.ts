import type { StatementOwnerKind, VerifiedStatement } from '../evidence/statement-verification.js';
import { ApiError, storedToken } from './api.js';
import { h, table } from './dom.js';

const formats = ['html', 'pdf', 'json'] as const;

/**
 * Fetches a report with the tab's token and hands it to the browser as a download (a plain link
 * cannot carry the bearer token).
 */
async function downloadReport(
  kind: StatementOwnerKind,
  id: string,
  format: (typeof formats)[number],
): Promise<void> {
  const token = storedToken();
  const response = await fetch(`/api/reports/${kind}/${encodeURIComponent(id)}?format=${format}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new ApiError(response.status, 'http', `report: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', { href: url, download: `${kind}-${id}.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Links to the report of `kind` `id` in each format (downloaded with the token). */
function reportLinks(kind: StatementOwnerKind, id: string): HTMLElement {
  return h(
    'p',
    { class: 'report-links' },
    'Report: ',
    ...formats.flatMap((format, i) => [
      i > 0 ? ' · ' : '',
      h(
        'a',
        {
          href: `/api/reports/${kind}/${encodeURIComponent(id)}?format=${format}`,
          'data-report': `${kind}:${format}`,
          onclick: (event: Event) => {
            event.preventDefault();
            const link = event.currentTarget as HTMLElement;
            downloadReport(kind, id, format).then(
              () => link.setAttribute('data-downloaded', 'true'),
              (err: unknown) => link.setAttribute('data-error', String(err)),
            );
          },
        },
        format.toUpperCase(),
      ),
    ]),
  );
}

/**
 * The signed statements about a model version, run or erasure request, each with the badge of
 * its verification on the server (signature, key, inclusion proof against the newest signed tree
 * head), and links to its report in HTML, PDF and JSON.
 */
export async function evidencePanel(kind: StatementOwnerKind, id: string): Promise<HTMLElement> {
  const response = await fetch(`/api/statements/${kind}/${encodeURIComponent(id)}`, {
    headers: {
      accept: 'application/json',
      ...(storedToken() ? { authorization: `Bearer ${storedToken()}` } : {}),
    },
  });
  const answer = response.ok ? ((await response.json()) as { statements: VerifiedStatement[] }) : undefined;
  const statements = answer?.statements ?? [];
  return h(
    'div',
    { class: 'evidence', 'data-evidence': `${kind}:${id}` },
    h('h3', {}, 'Signed statements'),
    !answer
      ? h('p', { class: 'error' }, `statements could not be listed (${response.status})`)
      : statements.length === 0
        ? h('p', {}, 'none logged (no signing key when this was written)')
        : table(
            ['statement', 'kind', 'log index', 'logged', 'verification'],
            statements.map((s) =>
              h(
                'tr',
                { 'data-statement': s.id },
                h('td', { title: s.id }, `${s.id.slice(0, 16)}…`),
                h('td', {}, s.kind),
                h('td', { class: 'num' }, s.logIndex),
                h('td', {}, s.at ?? '—'),
                h(
                  'td',
                  {},
                  h(
                    'span',
                    {
                      class: `badge ${s.verification}`,
                      'data-verification': s.verification,
                      title: s.error
                        ? `${s.error.code}: ${s.error.message}`
                        : `signature, key and inclusion proof verified against the tree head of size ${s.treeSize}`,
                    },
                    s.verification === 'verified' ? '✓ verified' : `✗ ${s.error?.code ?? 'failed'}`,
                  ),
                ),
              ),
            ),
            [2],
          ),
    reportLinks(kind, id),
  );
}
