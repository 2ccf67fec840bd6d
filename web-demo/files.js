// What the demo page is made of, and how each file is served. Shared by web-demo/plugin.js (the
// service, at /demo), scripts/serve-demo.js (a static server with no dependencies) and its
// --out mode (a plain folder for any static file server).
//
// Served layout (relative to the page, so the same files work under any prefix):
//   index.html, styles.css, js/**            web-demo/ itself
//   stockroom/wasm/js/*.js                   the package's JS (imports ../../dist/wasm/...)
//   stockroom/dist/wasm/stockroom-core.*     the built core: the .mjs and .wasm of one build
//   vendor/uplot/uPlot.esm.js, uPlot.min.css the chart library, from node_modules (MIT)
// Nothing is copied into the source tree and nothing is fetched from another host.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..');

/** MIME types of the files the demo serves. Module scripts need a JS type, .wasm application/wasm. */
export const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/plain; charset=utf-8',
});

/**
 * The page's Content-Security-Policy: its own files only ('self'), WebAssembly compilation allowed,
 * no inline script, no other host. connect-src 'self' is what the wasm fetch needs.
 * 'unsafe-eval': the Emscripten 3.1.6 embind glue builds its functions with `new Function`; a core
 * linked with -sDYNAMIC_EXECUTION=0 would not need it (then only 'wasm-unsafe-eval' stays).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every demo file besides content-type. */
export const DEMO_HEADERS = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
});

export function contentType(path) {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function uplotDist() {
  try {
    const require = createRequire(join(repoRoot, 'package.json'));
    return join(dirname(require.resolve('uplot/package.json')), 'dist');
  } catch {
    return null;  // not installed: the page still works, the chart view says so
  }
}

/**
 * The mounts: URL folder (relative to the page) -> source folder, and which files of it are served.
 * `files` null means every file below `dir` with a known content type (the page's own sources).
 */
export function mounts(root = repoRoot) {
  const list = [
    { url: '', dir: join(root, 'web-demo'), files: null,
      exclude: new Set(['plugin.js', 'files.js', 'README.md']) },
    { url: 'stockroom/wasm/js/', dir: join(root, 'wasm', 'js'), files: /^[a-z0-9_-]+\.js$/ },
    { url: 'stockroom/dist/wasm/', dir: join(root, 'dist', 'wasm'),
      files: /^stockroom-core\.(mjs|wasm)$/ },
  ];
  const uplot = root === repoRoot ? uplotDist() : join(root, 'node_modules', 'uplot', 'dist');
  if (uplot) list.push({ url: 'vendor/uplot/', dir: uplot, files: /^(uPlot\.esm\.js|uPlot\.min\.css)$/ });
  return list;
}

/**
 * Resolves a URL path relative to the page's folder ("" or "index.html" for the page,
 * "js/main.js", "stockroom/dist/wasm/stockroom-core.wasm") to a file on disk, or null.
 * Refuses anything outside the mounts (no "..", no dot files, no unknown types).
 */
export function resolveDemoFile(relPath, root = repoRoot) {
  let rel;
  try { rel = decodeURIComponent(String(relPath).split('?')[0].split('#')[0]); } catch { return null; }
  if (rel === '' || rel === '/') rel = 'index.html';
  rel = rel.replace(/^\/+/, '');
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return null;
  if (!(extname(rel).toLowerCase() in CONTENT_TYPES)) return null;
  for (const m of mounts(root)) {
    if (m.url && !rel.startsWith(m.url)) continue;
    const inner = rel.slice(m.url.length);
    if (m.files) {
      if (inner.includes('/') || !m.files.test(inner)) continue;
    } else {
      if (parts.length === 1 && m.exclude.has(inner)) continue;
      // the page's own mount must not shadow the other mounts' folders
      if (mounts(root).some((o) => o.url && rel.startsWith(o.url))) continue;
    }
    const file = resolve(m.dir, inner);
    if (!file.startsWith(m.dir + sep)) continue;
    try {
      if (statSync(file).isFile()) return file;
    } catch { /* missing */ }
  }
  return null;
}

/** Every served file: [relative URL path, absolute file]. For the --out mode of serve-demo.js. */
export function listDemoFiles(root = repoRoot) {
  const out = [];
  for (const m of mounts(root)) {
    if (!existsSync(m.dir)) continue;
    const walk = (dir, prefix) => {
      for (const name of readdirSync(dir).sort()) {
        if (name.startsWith('.')) continue;
        const abs = join(dir, name);
        const rel = prefix + name;
        if (statSync(abs).isDirectory()) {
          if (!m.files) walk(abs, rel + '/');
          continue;
        }
        const full = m.url + rel;
        if (resolveDemoFile(full, root) === abs) out.push([full, abs]);
      }
    };
    walk(m.dir, '');
  }
  return out;
}
