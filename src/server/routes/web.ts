import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `vite build` puts the web UI (see vite.config.ts). */
export const WEB_DIST = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

// When the UI has not been built (a server started some way other than `npm start`),
// opening the printed URL should say so and how to fix it, rather than answer a 404.
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>paybridge</title></head>
<body>
<h1>paybridge</h1>
<p>paybridge is running, but its web UI is not built. Build it with <code>npx vite build</code>
(<code>npm start</code> does this by itself), then reload this page.</p>
<p>The API is at <code>/api/v1</code> (OpenAPI at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>).</p>
</body>
</html>
`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built web UI at / with a single-page-app fallback: any GET outside /api that
 * is not a file gets index.html, so a reload on /batches shows the Batches screen.
 */
export function webRoutes(dist: string = WEB_DIST): FastifyPluginAsync {
  return async (app) => {
    // serve: false — the routes below declare their access, which the auth hook requires.
    await app.register(fastifyStatic, { root: dist, serve: false });

    const sendIndex = (reply: FastifyReply) => {
      if (!existsSync(join(dist, 'index.html'))) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
      // index.html names the hashed assets of the current build: never cache it.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dist, { cacheControl: false });
    };

    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => sendIndex(reply));

    app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      if (request.url.startsWith('/api/')) {
        reply.callNotFound();
        return;
      }
      // resolve() folds any '..', so a path can only name a file inside dist/web/assets.
      const file = resolve(dist, path);
      if (file.startsWith(join(dist, 'assets') + sep) && isFile(file)) {
        // Asset names carry a content hash, so a browser may keep them for good.
        return reply.sendFile(file.slice(dist.length), dist, { maxAge: 31_536_000_000, immutable: true });
      }
      // A path with an extension is a missing file, not a screen.
      if (/\.[a-z0-9]+$/i.test(path)) {
        reply.callNotFound();
        return;
      }
      return sendIndex(reply);
    });
  };
}
