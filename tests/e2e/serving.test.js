// How the demo is served: web-demo/plugin.js (Fastify, at /demo in the service), scripts/serve-demo.js
// (node:http) and its --out folder. MIME types (.wasm as application/wasm, modules as JS), the
// page's CSP, no file outside the demo, and the page working in Chromium from the plugin.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import demoPlugin from '../../web-demo/plugin.js';
import { CONTENT_SECURITY_POLICY, listDemoFiles } from '../../web-demo/files.js';
import { writeDemoFolder } from '../../scripts/serve-demo.js';
import {
  badConsoleLines, closeServer, ensureArtifacts, launch, newProfileDir, removeDir, repoRoot, startDemoServer, waitReady,
} from './support.js';

let app;

before(async () => {
  // Like host-node/app.js: ignoreTrailingSlash, and an onSend hook that sets a strict CSP on any
  // answer that has none (the plugin's own must win).
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.getHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'none'");
    return payload;
  });
  await app.register(demoPlugin, { prefix: '/demo' });
  await app.ready();
});

after(() => app?.close());

test('plugin: /demo redirects to /demo/, files have the right types and the page CSP', async () => {
  let r = await app.inject('/demo');
  assert.equal(r.statusCode, 301);
  assert.equal(r.headers.location, 'demo/');
  r = await app.inject('/demo?x=1');
  assert.equal(r.headers.location, 'demo/?x=1');

  const expectations = {
    '/demo/': 'text/html; charset=utf-8',
    '/demo/index.html': 'text/html; charset=utf-8',
    '/demo/styles.css': 'text/css; charset=utf-8',
    '/demo/js/main.js': 'text/javascript; charset=utf-8',
    '/demo/js/views/chart.js': 'text/javascript; charset=utf-8',
    '/demo/stockroom/wasm/js/index.js': 'text/javascript; charset=utf-8',
    '/demo/stockroom/dist/wasm/stockroom-core.mjs': 'text/javascript; charset=utf-8',
    '/demo/stockroom/dist/wasm/stockroom-core.wasm': 'application/wasm',
    '/demo/vendor/uplot/uPlot.esm.js': 'text/javascript; charset=utf-8',
    '/demo/vendor/uplot/uPlot.min.css': 'text/css; charset=utf-8',
  };
  for (const [url, type] of Object.entries(expectations)) {
    r = await app.inject(url);
    assert.equal(r.statusCode, 200, url);
    assert.equal(r.headers['content-type'], type, url);
    assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY, url);
  }
  r = await app.inject('/demo/stockroom/dist/wasm/stockroom-core.wasm');
  assert.deepEqual([...r.rawPayload.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);  // "\0asm"
});

test('plugin: nothing outside the demo is served', async () => {
  for (const url of [
    '/demo/plugin.js', '/demo/files.js', '/demo/README.md', '/demo/../package.json', '/demo/%2e%2e/package.json',
    '/demo/stockroom/dist/wasm/../../../package.json', '/demo/stockroom/wasm/js/../../../package.json',
    '/demo/stockroom/wasm/bindings.cc', '/demo/stockroom/package.json', '/demo/vendor/uplot/uPlot.cjs.js',
    '/demo/vendor/uplot/../package.json', '/demo/.git/config', '/demo/js/%00.js', '/demo/js/main.js%2f..%2f..%2fplugin.js',
  ]) {
    const r = await app.inject(url);
    assert.equal(r.statusCode, 404, url);
  }
});

test('serve-demo --out: a plain folder with the same files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-demo-out-'));
  try {
    const n = writeDemoFolder(dir);
    const files = listDemoFiles().map(([rel]) => rel).sort();
    assert.equal(n, files.length);
    for (const f of ['index.html', 'js/main.js', 'stockroom/wasm/js/index.js', 'stockroom/dist/wasm/stockroom-core.wasm',
      'stockroom/dist/wasm/stockroom-core.mjs', 'vendor/uplot/uPlot.esm.js']) {
      assert.ok(files.includes(f), f);
      assert.ok(existsSync(join(dir, f)), f);
    }
    assert.ok(!existsSync(join(dir, 'plugin.js')));
    assert.deepEqual(readdirSync(dir).sort(), ['index.html', 'js', 'stockroom', 'styles.css', 'vendor']);
  } finally {
    removeDir(dir);
  }
});

test('serve-demo: the same types over HTTP', async () => {
  const { server, origin } = await startDemoServer();
  try {
    for (const [path, type] of [['/', 'text/html; charset=utf-8'],
      ['/stockroom/dist/wasm/stockroom-core.wasm', 'application/wasm'],
      ['/stockroom/dist/wasm/stockroom-core.mjs', 'text/javascript; charset=utf-8']]) {
      const r = await fetch(origin + path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), type, path);
      await r.arrayBuffer();
    }
    const r = await fetch(`${origin}/plugin.js`);
    assert.equal(r.status, 404);
    await r.arrayBuffer();
  } finally {
    await closeServer(server);
  }
});

test('the page works in Chromium when served by the plugin at /demo', async () => {
  const served = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await served.register(demoPlugin, { prefix: '/demo' });
  await served.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${served.server.address().port}`;
  const profile = newProfileDir();
  const { context, page, guard } = await launch(profile, origin, { viewport: { width: 900, height: 700 } });
  try {
    await page.goto(`${origin}/demo`);
    await waitReady(page);
    assert.equal(page.url(), `${origin}/demo/`);
    assert.match(await page.textContent('#status'), /Ready: 0 workspaces/);
    await page.locator('#form-workspace').getByLabel('Name', { exact: true }).fill('Shop');
    await page.locator('#form-workspace button[type="submit"]').click();
    await page.locator('#form-workspace .form-ok', { hasText: 'Added workspace Shop (id 1)' }).waitFor();
    await page.screenshot({ path: join(ensureArtifacts(), '00-served-by-plugin.png') });
    assert.ok(guard.requests.includes(`${origin}/demo/stockroom/dist/wasm/stockroom-core.wasm`));
    assert.deepEqual(guard.blocked, []);
    assert.deepEqual(badConsoleLines(guard), []);  // includes "wasm streaming compile failed"
  } finally {
    await context.close();
    removeDir(profile);
    await served.close();
  }
});

test('the service app serves the demo at /demo', async () => {
  const appFile = join(repoRoot, 'host-node', 'app.js');
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-demo-app-'));
  let service;
  try {
    const { buildApp } = await import(appFile);
    service = await buildApp({ dbPath: join(dir, 'db.sqlite'), adminToken: 'sr_admin_test_token_0123456789' });
    const r = await service.inject('/demo/');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    const wasm = await service.inject('/demo/stockroom/dist/wasm/stockroom-core.wasm');
    assert.equal(wasm.statusCode, 200);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    const redirect = await service.inject('/demo');
    assert.equal(redirect.statusCode, 301);
  } finally {
    await service?.close();
    removeDir(dir);
  }
});

test('any static file server: the --out folder served by python3 -m http.server', async (t) => {
  const { spawn, spawnSync } = await import('node:child_process');
  if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-demo-static-'));
  writeDemoFolder(dir);
  const py = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const profile = newProfileDir();
  let context;
  try {
    const port = await new Promise((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`python3 http.server did not start: ${out}`)), 10000);
      py.stdout.on('data', (d) => {
        out += d;
        const m = /port (\d+)/.exec(out);
        if (m) { clearTimeout(timer); ok(Number(m[1])); }
      });
      py.once('exit', (code) => fail(new Error(`python3 exited with ${code}: ${out}`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    let page; let guard;
    ({ context, page, guard } = await launch(profile, origin, { viewport: { width: 900, height: 700 } }));
    await page.goto(`${origin}/`);
    await waitReady(page);
    assert.match(await page.textContent('#status'), /Ready: 0 workspaces/);
    assert.deepEqual(guard.blocked, []);
    assert.deepEqual(badConsoleLines(guard), []);
  } finally {
    await context?.close();
    py.kill();
    removeDir(profile);
    removeDir(dir);
  }
});
