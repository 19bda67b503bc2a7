import assert from 'node:assert/strict';
import http from 'node:http';
import { call, startTestServer, type TestServer } from '../serve/serve-harness.js';

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(base: string, path: string): Promise<{ status: number; type: string; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { connection: 'close' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Issue 11 items 4 and 6: the page's files are served by the API's process without a token
 * (every /api call still needs one), from dist/web only: no path outside it, in any encoding.
 */
describe('traceprop serve: the workbench page files', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('serves the page, its script and its style sheet without a token; the API still wants one', async () => {
    const page = await call(server.url, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.text, /<script src="\/web\/app\.js"><\/script>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(page.headers.get('access-control-allow-origin'), null);
    const script = await call(server.url, 'GET', '/web/app.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok(script.text.length > 100_000, 'cytoscape and ELK are bundled (no CDN)');
    assert.ok(!/https?:\/\/(cdn|unpkg)/.test(page.text), 'the page loads nothing from elsewhere');
    const style = await call(server.url, 'GET', '/web/style.css');
    assert.equal(style.status, 200);
    assert.match(style.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await call(server.url, 'GET', '/api/whoami')).status, 401);
    assert.equal((await call(server.url, 'GET', '/web/no-such-file.js')).status, 404);
  });

  it('refuses path traversal and anything but a plain file name of dist/web (404, nothing read)', async () => {
    const attempts = [
      '/web/../package.json',
      '/web/../../package.json',
      '/web/..%2fpackage.json',
      '/web/..%2f..%2fpackage.json',
      '/web/%2e%2e/package.json',
      '/web/%2e%2e%2f%2e%2e%2fpackage.json',
      '/web/%252e%252e%252fpackage.json',
      '/web/..%5c..%5cpackage.json',
      '/web/..\\..\\package.json',
      '/web//etc/passwd',
      '/web/%2fetc%2fpasswd',
      '/web/../../../../../../etc/passwd',
      '/web/app.js/../../../package.json',
      '/web/.hidden',
      '/web/index.html%00.js',
      '/web/',
      '/web/tsconfig.json',
      '/web/../src/serve/routes/web-page.js',
      '/../package.json',
      '/%2e%2e/package.json',
    ];
    for (const path of attempts) {
      const r = await rawGet(server.url, path);
      assert.ok([400, 404].includes(r.status), `${path}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.ok(!r.text.includes('"name": "traceprop"'), `${path} leaked package.json`);
      assert.ok(!r.text.includes('root:'), `${path} leaked /etc/passwd`);
      assert.ok(!r.text.includes('registerWebPageRoutes'), `${path} leaked a source file`);
      if (r.status === 404) assert.match(r.text, /"code":"serve\.notFound"/, path);
    }
  });
});
