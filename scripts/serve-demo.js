#!/usr/bin/env node
// The offline demo without the service.
//
//   node scripts/serve-demo.js [--port 8080] [--host 127.0.0.1]   serve it (node:http, no dependencies)
//   node scripts/serve-demo.js --out build/web-demo                 write it as a plain folder that any
//                                                                   static file server can serve
//
// Either way the files are exactly those of web-demo/files.js: the page, the stockroom package, the
// wasm pair (built by `make wasm`) and uPlot from node_modules (`npm ci`).

import { createServer } from 'node:http';
import { copyFileSync, createReadStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  contentType, DEMO_HEADERS, listDemoFiles, repoRoot, resolveDemoFile,
} from '../web-demo/files.js';

/**
 * A static server for the demo at `/` (the page's folder is the site root).
 * @returns {import('node:http').Server} not yet listening
 */
export function createDemoServer({ root = repoRoot } = {}) {
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const file = resolveDemoFile(path.replace(/^\/+/, ''), root);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    res.writeHead(200, { ...DEMO_HEADERS, 'content-type': contentType(file) });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
}

/** Writes every demo file into `outDir` (emptied first). Returns the number of files. */
export function writeDemoFolder(outDir, { root = repoRoot } = {}) {
  const files = listDemoFiles(root);
  rmSync(outDir, { recursive: true, force: true });
  for (const [rel, abs] of files) {
    const target = join(outDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(abs, target);
  }
  return files.length;
}

function parseArgs(argv) {
  const args = { port: 8080, host: '127.0.0.1', out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') args.port = Number(value());
    else if (a === '--host') args.host = value();
    else if (a === '--out') args.out = value();
    else if (a === '-h' || a === '--help') args.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve-demo: ${e.message} (try --help)`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node scripts/serve-demo.js [--port N] [--host H] | --out DIR');
    return;
  }
  if (!existsSync(join(repoRoot, 'dist', 'wasm', 'stockroom-core.wasm'))) {
    console.error('serve-demo: dist/wasm/stockroom-core.wasm is missing; build it with `make wasm`.');
    process.exit(1);
  }
  if (args.out) {
    const dir = resolve(args.out);
    const n = writeDemoFolder(dir);
    console.log(`serve-demo: wrote ${n} files to ${dir}`);
    return;
  }
  const server = createDemoServer();
  server.listen(args.port, args.host, () => {
    const { port } = server.address();
    console.log(`Stockroom demo: http://${args.host}:${port}/`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
