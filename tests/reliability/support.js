// Shared by the reliability tests: the real server (`node host-node/server.js`) as a child process on a
// free port with a temporary database, a seeded random source, a raw HTTP/1.1 client for requests that
// fetch() cannot send (repeated headers, bad paths, broken bytes), and an in-process look at a database
// through the same load path the service uses (the core's verify()).
//
// Knobs (environment), so that CI runs short versions and long runs are one variable away:
//   RELIABILITY_SEED           seed of every random choice (default: fixed per test; each test prints its own)
//   RELIABILITY_CRASH_ROUNDS   SIGKILL rounds of crash.test.js (default 10)
//   RELIABILITY_CRASH_WORKERS  concurrent writers in crash.test.js (default 8)
//   RELIABILITY_RACE_CLIENTS   concurrent clients of race.test.js (default 64)
//   RELIABILITY_RACE_OPS       requests per client (default 12)
//   RELIABILITY_HOSTILE        generated malformed requests of hostile.test.js (default 400)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../host-node/app.js';
import { ADMIN_TOKEN, ledgerPackage } from '../node/support/http-app.js';

export { ADMIN_TOKEN, addUser, bootstrap, client, expectError, ledgerPackage } from '../node/support/http-app.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const knob = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got ${v}`);
  return n;
};

/** mulberry32: small, fast, seeded. rng() in [0, 1); helpers for ints and picks. */
export function random(seed) {
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  rng.int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  rng.pick = (list) => list[Math.floor(rng() * list.length)];
  rng.chance = (p) => rng() < p;
  return rng;
}

export const seedOf = (dflt) => knob('RELIABILITY_SEED', dflt);

export function tempDir(t, prefix = 'stockroom-rel-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t?.after?.(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TCP port that was free a moment ago (server.js has no "port 0 and tell me" mode). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node host-node/server.js` on 127.0.0.1 with STOCKROOM_DB=dbPath and waits for GET /readyz.
 * Returns { proc, port, base, output(), exited (Promise<{code, signal}>), kill(signal), stop() }.
 * A given `port` is reused (so clients keep their base URL across restarts).
 */
export async function spawnServer({ dbPath, port, env = {}, logLevel = 'warn', readyTimeoutMs = 20000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    const p = port ?? await freePort();
    let out = '';
    const proc = spawn(process.execPath, [path.join(root, 'host-node/server.js')], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(p), STOCKROOM_DB: dbPath, STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: logLevel, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    let done = false; exited.then(() => { done = true; });
    const base = `http://127.0.0.1:${p}`;
    const started = Date.now();
    let ready = false;
    while (!done && Date.now() - started < readyTimeoutMs) {
      try {
        const r = await fetch(`${base}/readyz`);
        await r.arrayBuffer();
        if (r.status === 200) { ready = true; break; }
      } catch { /* not listening yet */ }
      await sleep(25);
    }
    if (!ready) {
      proc.kill('SIGKILL');
      await exited;
      if (/EADDRINUSE/.test(out) && port === undefined && attempt < 5) continue; // raced for the port
      throw new Error(`the server did not become ready (${Date.now() - started} ms):\n${out.slice(-4000)}`);
    }
    const server = {
      proc, port: p, base, exited,
      output: () => out,
      kill(signal = 'SIGKILL') { if (!done) proc.kill(signal); return exited; },
      async stop() { if (!done) { proc.kill('SIGTERM'); } return exited; },
    };
    return server;
  }
}

/**
 * Opens the database in this process through the service's own load path (buildApp, then the
 * organization's ledger loaded from the store, as on the first request after a restart) and hands
 * fn(ledger, app) the ledger. Used after a SIGKILL, before the next start: the same recovery the
 * server would do.
 */
export async function withLedger(dbPath, orgId, fn) {
  const pkg = await ledgerPackage();
  const app = await buildApp({ dbPath, adminToken: ADMIN_TOKEN, logger: false, openLedger: pkg.openLedger });
  try {
    await app.ready();
    const ledger = await app.ledgers.get(orgId);
    return await fn(ledger, app);
  } finally {
    await app.close();
  }
}

/** Every movement of a ledger in id order (the core's own query, 10,000 a page). */
export function allMovements(ledger) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = ledger.listMovements({ page, per_page: 10000, sort: 'id' });
    out.push(...r.data);
    if (page >= r.last_page) break;
  }
  return out;
}

/** Exact decimal arithmetic on the API's strings, at the core's scale (1/10,000). */
export const SCALE = 10000n;
export function toUnits(s) {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(String(s));
  if (!m) throw new Error(`not a decimal: ${s}`);
  const v = BigInt(m[2]) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -v : v;
}
export function fromUnits(v, places) {
  const neg = v < 0n; const a = neg ? -v : v;
  const int = a / SCALE; const frac = (a % SCALE).toString().padStart(4, '0').slice(0, places);
  return `${neg ? '-' : ''}${int}${places ? `.${frac}` : ''}`;
}

/**
 * One raw HTTP/1.1 exchange over a fresh socket: `head` is the request line and headers exactly as
 * written (CRLFs added), `body` a string or Buffer. Resolves { status, headers (lowercased, arrays
 * joined), body (parsed JSON or null), text, raw } or { error } if the connection fails.
 */
export function rawRequest(port, { method = 'GET', target = '/', version = 'HTTP/1.1', headers = [], body = null, auto = true, timeoutMs = 10000 } = {}) {
  if (auto) {
    const has = (name) => headers.some((h) => (Array.isArray(h) ? h[0] : h.split(':')[0]).trim().toLowerCase() === name);
    headers = [...headers];
    if (!has('host')) headers.unshift(['Host', `127.0.0.1:${port}`]);
    if (!has('connection')) headers.push(['Connection', 'close']);
    if (body !== null && !has('content-length') && !has('transfer-encoding')) headers.push(['Content-Length', String(Buffer.byteLength(body))]);
  }
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const finish = (v) => { if (!settled) { settled = true; sock.destroy(); resolve(v); } };
    sock.setTimeout(timeoutMs, () => finish({ error: 'timeout' }));
    sock.on('error', (e) => finish({ error: e.code || String(e) }));
    sock.on('data', (d) => { chunks.push(d); tryParse(); });
    sock.on('end', () => { tryParse(true); if (!settled) finish({ error: 'closed without an answer', raw: Buffer.concat(chunks).toString('latin1') }); });
    function tryParse(ended = false) {
      const buf = Buffer.concat(chunks);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const headText = buf.subarray(0, headEnd).toString('latin1');
      const [statusLine, ...lines] = headText.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const hs = {};
      for (const l of lines) { const i = l.indexOf(':'); const k = l.slice(0, i).trim().toLowerCase(); const v = l.slice(i + 1).trim(); hs[k] = hs[k] === undefined ? v : `${hs[k]}, ${v}`; }
      let rest = buf.subarray(headEnd + 4);
      let bodyBuf = null;
      if (hs['transfer-encoding'] && /chunked/i.test(hs['transfer-encoding'])) {
        const parts = []; let off = 0;
        for (;;) {
          const nl = rest.indexOf('\r\n', off); if (nl < 0) return;
          const size = parseInt(rest.subarray(off, nl).toString('latin1'), 16);
          if (Number.isNaN(size)) return;
          if (size === 0) { bodyBuf = Buffer.concat(parts); break; }
          if (rest.length < nl + 2 + size + 2) return;
          parts.push(rest.subarray(nl + 2, nl + 2 + size)); off = nl + 2 + size + 2;
        }
      } else if (method === 'HEAD' || status === 204 || status === 304) {
        bodyBuf = Buffer.alloc(0);
      } else if (hs['content-length'] !== undefined) {
        const n = Number(hs['content-length']);
        if (rest.length < n) return;
        bodyBuf = rest.subarray(0, n);
      } else if (ended) {
        bodyBuf = rest;
      } else return;
      const text = bodyBuf.toString('utf8');
      let json = null; try { json = text ? JSON.parse(text) : null; } catch { json = null; }
      finish({ status, headers: hs, body: json, text });
    }
    const lines = [`${method} ${target} ${version}`, ...headers.map((h) => (Array.isArray(h) ? `${h[0]}: ${h[1]}` : h)), '', ''];
    const head = Buffer.from(lines.join('\r\n'), 'latin1');
    sock.write(body === null ? head : Buffer.concat([head, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]));
  });
}

/**
 * The app in this process (so that a test can watch what it does inside: SQL text, crypto calls), on
 * 127.0.0.1 and an ephemeral port. Returns { app, base, port, close }.
 */
export async function startApp(t, { dbPath, authFailures, lingerMs } = {}) {
  const pkg = await ledgerPackage();
  const app = await buildApp({ dbPath: dbPath ?? path.join(tempDir(t), 'app.db'), adminToken: ADMIN_TOKEN, logger: false, openLedger: pkg.openLedger, authFailures, lingerMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = app.server.address().port;
  let closed = false;
  const close = async () => { if (!closed) { closed = true; await app.close(); } };
  t?.after?.(close);
  return { app, port, base: `http://127.0.0.1:${port}`, close };
}
