// Health, readiness, the OpenAPI description and a small docs page (no CDN).
const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stockroom API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/docs.css"></head>
<body><header><h1>Stockroom API</h1><p>Generated from <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></header>
<main id="paths">Loading…</main><script src="/docs/docs.js"></script></body></html>`;

const DOCS_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
h1{margin:.2rem 0}details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}pre{background:#f6f6f6;padding:.5rem;overflow:auto}
.m{display:inline-block;min-width:4.2rem;font-weight:700}.GET{color:#06c}.POST{color:#080}.PATCH{color:#a60}.PUT{color:#a60}.DELETE{color:#c00}`;

const DOCS_JS = `fetch('/api/v1/openapi.json').then(r => r.json()).then(spec => {
  const main = document.getElementById('paths'); main.textContent = '';
  const p = document.createElement('p'); p.textContent = spec.info.description || ''; main.appendChild(p);
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) {
    const d = document.createElement('details'); const s = document.createElement('summary');
    const m = document.createElement('span'); m.className = 'm ' + method.toUpperCase(); m.textContent = method.toUpperCase();
    const c = document.createElement('code'); c.textContent = path + '  '; const t = document.createElement('span'); t.textContent = op.summary || '';
    s.append(m, c, t); d.appendChild(s);
    if (op.description) { const q = document.createElement('p'); q.textContent = op.description; d.appendChild(q); }
    const pre = document.createElement('pre'); pre.textContent = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody }, null, 2);
    d.appendChild(pre); main.appendChild(d);
  }
}).catch(e => { document.getElementById('paths').textContent = 'Could not load the API description: ' + e; });`;

export default async function metaRoutes(app, { h }) {
  const hide = { hide: true };
  app.get('/healthz', { schema: hide, config: { auth: 'none' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hide, config: { auth: 'none' } }, async (request, reply) => {
    try {
      h.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ message: 'The store is not available.', code: 'service_unavailable', errors: {} });
    }
  });
  app.get('/api/v1/openapi.json', { schema: hide, config: { auth: 'none' } }, async (request, reply) => {
    reply.header('cache-control', 'no-cache');
    return app.swagger();
  });
  const page = (type, body, csp) => async (request, reply) => {
    reply.type(type).header('cache-control', 'no-cache');
    if (csp) reply.header('content-security-policy', csp);
    return body;
  };
  const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'";
  app.get('/docs', { schema: hide, config: { auth: 'none' } }, page('text/html; charset=utf-8', DOCS_HTML, csp));
  app.get('/docs/docs.js', { schema: hide, config: { auth: 'none' } }, page('text/javascript; charset=utf-8', DOCS_JS));
  app.get('/docs/docs.css', { schema: hide, config: { auth: 'none' } }, page('text/css; charset=utf-8', DOCS_CSS));
}
