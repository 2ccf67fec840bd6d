// A Fastify plugin that serves the offline demo page under the prefix it is registered with:
//
//   await app.register(demoPlugin, { prefix: '/demo' });
//
// GET <prefix> redirects to <prefix>/ (the page's relative imports need the trailing slash);
// GET <prefix>/ is the page, GET <prefix>/<file> its modules, styles, the stockroom package, the
// wasm pair (application/wasm) and the vendored chart library (web-demo/files.js lists them).
// The routes need no authentication (no `config.auth`) and answer with the page's own
// Content-Security-Policy. Encapsulated: nothing leaks into the parent instance.

import { createReadStream } from 'node:fs';
import { contentType, DEMO_HEADERS, resolveDemoFile } from './files.js';

export default async function demoPlugin(app, opts = {}) {
  const root = opts.root;  // a different checkout (tests); default: this one

  const send = (reply, rel) => {
    const file = resolveDemoFile(rel, root);
    if (!file) {
      return reply.code(404).type('application/json; charset=utf-8')
        .send({ message: 'No such file in the demo.', code: 'not_found', errors: {} });
    }
    reply.headers(DEMO_HEADERS).type(contentType(file));
    return reply.send(createReadStream(file));
  };

  // One route for "<prefix>" and "<prefix>/" (also under the parent's ignoreTrailingSlash): the page
  // is served only at "<prefix>/", where its relative URLs resolve inside the prefix.
  app.get('/', { schema: { hide: true } }, (request, reply) => {
    const [path, query] = request.url.split('?');
    // A relative Location ("demo/"), so that a proxy that mounts the service under a path keeps it.
    if (!path.endsWith('/')) return reply.redirect(`${path.split('/').pop()}/${query === undefined ? '' : `?${query}`}`, 301);
    return send(reply, 'index.html');
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => send(reply, request.params['*']));
}

// Let the plugin keep its own encapsulation context but show a readable name in fastify's tree.
demoPlugin[Symbol.for('fastify.display-name')] = 'stockroom-web-demo';
