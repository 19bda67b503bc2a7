import http from 'node:http';

/**
 * A lean JSON GET client for the benches: node:http over one kept-alive connection (no fetch,
 * whose undici layers cost a few tenths of a millisecond a call on this machine). Resolves with
 * the parsed body of a 200 answer; rejects with the status and body otherwise.
 *
 * @example
 * const get = httpGetJson('http://127.0.0.1:7475', { authorization: 'Bearer tp_…' });
 * const trace = await get('/api/predictions/x/trace?k=10'); get.close();
 */
export function httpGetJson(
  baseUrl: string,
  headers: Record<string, string>,
): ((path: string) => Promise<unknown>) & { close(): void } {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = http.get({ host: base.hostname, port: base.port, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            reject(new Error(`GET ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  return Object.assign(get, { close: () => agent.destroy() });
}
