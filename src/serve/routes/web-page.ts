import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { packageRoot } from '../../config.js';
import { NotFoundError } from '../../errors.js';

/** Where `npm run build` puts the bundled page (scripts/build-web.ts). */
const webRoot: string = path.join(packageRoot, 'dist', 'web');

/** Content types of the files the page is made of; any other extension is not served. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A plain file name of the page's folder: no separator, no leading dot, nothing encoded. */
const fileName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The file of `root` named `name`, or undefined when the name is not a plain file name of that
 * folder (a path, `..`, a hidden file, an unknown extension) or no such file exists: the check
 * is on the name and again on the resolved path, so nothing outside `root` is ever read.
 */
async function resolveWebFile(root: string, name: string): Promise<string | undefined> {
  if (!fileName.test(name) || name.includes('..')) return undefined;
  if (!(path.extname(name) in contentTypes)) return undefined;
  const file = path.resolve(root, name);
  if (path.dirname(file) !== path.resolve(root)) return undefined;
  const stat = await fs.stat(file).catch(() => undefined);
  return stat?.isFile() ? file : undefined;
}

/**
 * Serves the workbench page (issue 11 item 4) without a token: `GET /` is the page, `GET
 * /web/<file>` its script and style sheet from dist/web. Only plain file names of that folder
 * are served (anything else, `..` in any encoding included, answers 404 `serve.notFound`), with
 * a content security policy that admits scripts and data from this origin only. The data the
 * page shows comes from the `/api` routes, each of which needs a token.
 */
export function registerWebPageRoutes(app: FastifyInstance, root: string = webRoot): void {
  const send = async (reply: FastifyReply, name: string, url: string) => {
    const file = await resolveWebFile(root, name);
    if (!file) throw new NotFoundError('serve.notFound', `no file ${url.split('?')[0]}`);
    return reply
      .header('content-type', contentTypes[path.extname(file)])
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      )
      .send(await fs.readFile(file));
  };
  const hidden = { hide: true };
  app.get('/', { config: { access: 'public' }, schema: hidden }, (request, reply) =>
    send(reply, 'index.html', request.url),
  );
  app.get('/web/*', { config: { access: 'public' }, schema: hidden }, (request, reply) =>
    send(reply, (request.params as { '*': string })['*'], request.url),
  );
}
