// A refusal sent before the request's body was read (413 over the limit, 401 without a token) reaches a
// client that is still sending that body, and the connection then closes cleanly (host-node/lib/linger.js).
// Before, the server closed at once with the client's bytes unread; the kernel reset the connection, and
// the client's next write failed with EPIPE or ECONNRESET, often before it had read the answer (the
// hostile test's "over 1 MiB" requests failed that way in most runs on a fresh machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { bootstrap, startApp } from './support.js';

const BODY_BYTES = 4 * 1024 * 1024; // more than the kernel buffers hold, so the server must read it
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/**
 * A client that sends the head of a POST and 64 KiB of its body, reads the whole answer, then sends the
 * rest of the body and closes its side. Its socket stays open for writing after the server's FIN
 * (allowHalfOpen), as a client streaming an upload does. Resolves with the answer and every socket error
 * once the connection is closed. With `stopAfterAnswer` it sends nothing more and never closes: resolves
 * with the answer as soon as it has it, and the socket.
 */
function sendWhileRefused(port, { headers, stopAfterAnswer = false }) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const errors = []; let received = Buffer.alloc(0); let answer = null;
    sock.on('error', (e) => errors.push(e.code ?? String(e)));
    let localPort; sock.on('connect', () => { localPort = sock.localPort; });
    sock.on('close', () => resolve({ answer, errors, localPort }));
    sock.on('data', (d) => {
      received = Buffer.concat([received, d]);
      const end = received.indexOf('\r\n\r\n');
      if (answer || end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1]);
      if (received.length < end + 4 + length) return;
      answer = { status: Number(head.split(' ')[1]), connection: /\r\nconnection: *(\S+)/i.exec(head)?.[1], body: JSON.parse(received.subarray(end + 4, end + 4 + length)) };
      if (stopAfterAnswer) resolve({ answer, errors, localPort, sock });
      else sendRest().catch((e) => errors.push(e.code ?? String(e)));
    });
    async function sendRest() {
      for (let sent = CHUNK.length; sent < BODY_BYTES && !sock.destroyed; sent += CHUNK.length) {
        await new Promise((done, fail) => sock.write(CHUNK, (e) => (e ? fail(e) : done())));
      }
      sock.end();
    }
    const head = ['POST /api/v1/products HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json',
      `Content-Length: ${BODY_BYTES}`, ...headers, '', ''].join('\r\n');
    sock.write(Buffer.concat([Buffer.from(head, 'latin1'), CHUNK]));
  });
}

/** The server's end of each connection, by the client's port (a connection's server socket closes when it does). */
function serverSockets(app) {
  const byPort = new Map();
  app.server.on('connection', (socket) => byPort.set(socket.remotePort, socket));
  return byPort;
}

/** Whether `socket` is closed within `ms`, and after how long. */
function closedWithin(socket, ms) {
  const from = Date.now();
  return new Promise((resolve) => {
    const done = () => resolve({ closed: socket.destroyed, afterMs: Date.now() - from });
    if (socket.destroyed) done(); else { socket.once('close', done); setTimeout(done, ms); }
  });
}

test('a refusal sent before the body was read reaches a client still sending it; the connection then closes cleanly', async (t) => {
  const s = await startApp(t);
  const ctx = await bootstrap(s, { name: 'Linger' });
  const cases = [
    { why: 'over the body limit (Fastify closes the connection)', headers: [`Authorization: Bearer ${ctx.token}`], status: 413, code: 'payload_too_large' },
    { why: 'without a token, the client asking to close', headers: ['Connection: close'], status: 401, code: 'unauthenticated' },
  ];
  const server = serverSockets(s.app);
  for (const c of cases) {
    const r = await sendWhileRefused(s.port, c);
    const closed = await closedWithin(server.get(r.localPort), 2000); // well within the 5 s linger time
    assert.ok(closed.closed, `${c.why}: the server closed its end once the client closed`);
    assert.equal(r.answer?.status, c.status, c.why);
    assert.equal(r.answer.body.code, c.code, c.why);
    assert.equal(r.answer.connection, 'close', c.why);
    assert.deepEqual(r.errors, [], `${c.why}: the rest of the body was read, not reset`);
  }
  assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
});

test('a client that stops sending and never closes is disconnected after the linger time', async (t) => {
  const lingerMs = 300;
  const s = await startApp(t, { lingerMs });
  const ctx = await bootstrap(s, { name: 'Linger' });
  const server = serverSockets(s.app);
  const r = await sendWhileRefused(s.port, { headers: [`Authorization: Bearer ${ctx.token}`], stopAfterAnswer: true });
  t.after(() => r.sock.destroy());
  assert.equal(r.answer?.status, 413);
  const socket = server.get(r.localPort);
  assert.equal(socket.destroyed, false, 'the connection lingers');
  const closed = await closedWithin(socket, lingerMs + 3000);
  assert.ok(closed.closed, `still open after ${closed.afterMs} ms`);
  assert.ok(closed.afterMs >= lingerMs - 100, `closed after ${closed.afterMs} ms: it waited for the client`);
});
