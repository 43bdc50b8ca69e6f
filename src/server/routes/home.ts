import type { FastifyPluginAsync } from 'fastify';

// A stand-in until the web UI is served here, so that opening the printed URL shows
// the server is up and where the API lives, rather than a JSON 404.
const HOME_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>paybridge</title></head>
<body>
<h1>paybridge</h1>
<p>paybridge is running — the web UI arrives with the Manage Postings screen;
the API is at <code>/api/v1</code>
(OpenAPI at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>).</p>
</body>
</html>
`;

export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(HOME_PAGE),
  );
};
