// What stands between the socket and the routes: security headers on every answer (including the ones
// Node and Fastify write before a route runs), the contract's error shape for HTTP-level errors, strict
// request headers, and a limit on repeated authentication failures. Found and proven by tests/reliability/.
import http from 'node:http';
import { ApiError, badRequest } from './errors.js';

/** Headers on every answer (API answers also get cache-control: no-store unless a route set one). */
export const SECURITY_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
});
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

const errorBody = (code, message) => JSON.stringify({ message, code, errors: {} });

/**
 * Fastify's clientErrorHandler: a request Node's parser refused (bad request line, conflicting
 * Content-Length, Transfer-Encoding with Content-Length, control characters in a header, headers over
 * the size limit, a timeout) still answers in the contract's shape, with the security headers, then
 * the connection closes.
 */
export function clientErrorHandler(err, socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400; let code = 'bad_request'; let message = 'The request cannot be read.';
  if (err.code === 'HPE_HEADER_OVERFLOW') { status = 431; message = 'The request headers are too large.'; }
  else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_REQUEST_HEADERS_TIMEOUT') { status = 408; code = 'request_timeout'; message = 'The request took too long to arrive.'; }
  if (!writeAndClose(socket, status, code, message)) socket.destroy(err);
}

/**
 * An answer written straight to a socket that no route will see, then the end of the connection (the
 * socket is destroyed once the answer is flushed). False if the socket cannot be written.
 */
function writeAndClose(socket, status, code, message) {
  const body = errorBody(code, message);
  if (!socket.writable) return false;
  const head = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`, 'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', 'Cache-Control: no-store',
    `Content-Security-Policy: ${DEFAULT_CSP}`,
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`)];
  socket.setTimeout(10000, () => socket.destroy()); // a client that does not read does not keep it
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
  return true;
}

/**
 * Node hands CONNECT requests to a 'connect' listener and, without one, drops the connection without an
 * answer: like any other method the API does not route, it answers 404.
 */
export function refuseConnect(req, socket) {
  socket.on('error', () => {});
  writeAndClose(socket, 404, 'not_found', 'No route for the CONNECT method.');
}

/** Fastify's frameworkErrors: a path that cannot be decoded is 400, a path id too long to be one is 404. */
export function frameworkErrors(error, request, reply) {
  const api = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new ApiError(404, 'not_found', 'Not found.')
    : new ApiError(400, 'bad_request', 'The request path cannot be read (bad percent-encoding).');
  reply.code(api.status).headers({ ...SECURITY_HEADERS, 'content-security-policy': DEFAULT_CSP, 'cache-control': 'no-store', 'x-request-id': request.id });
  reply.type('application/json; charset=utf-8').send(api.toBody());
}

/**
 * Headers that must appear at most once: Node keeps the first Authorization, Content-Type and Host and
 * joins repeated X-Workspace-Id or Idempotency-Key with ", ", so a repeated one would be read as
 * something the client may not have meant. HTTP/1.1 also needs a Host.
 */
const SINGLE = new Set(['host', 'authorization', 'content-type', 'content-length', 'x-workspace-id', 'idempotency-key', 'transfer-encoding']);
export function checkRequestHeaders(request) {
  const raw = request.raw.rawHeaders;
  const seen = new Set();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!SINGLE.has(name)) continue;
    if (seen.has(name)) throw badRequest(`The ${raw[i]} header is given more than once.`);
    seen.add(name);
  }
  if (request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor >= 1 && !seen.has('host')) {
    throw badRequest('The Host header is required.');
  }
}

/**
 * Repeated wrong tokens from one client address (API.md: an unknown token is 401; 429 is optional). A
 * request with a valid token or with no token is never touched, so one noisy client behind a shared
 * address cannot lock the others out. Wrong tokens keep answering 401 but are slowed: beyond `slowAfter`
 * failures in the window, each failure waits `delayMs` more (capped at `maxDelayMs`), which makes guessing
 * slow while a mistyped token stays cheap. Only past `limit` failures (a client that ignores the 401s) does
 * a wrong token answer 429 `rate_limited` with Retry-After, until the window ends. Fixed windows per
 * address keep memory at one counter per address (`maxClients` addresses, least recently failing dropped).
 */
export class AuthFailureLimiter {
  constructor({ limit = 1000, slowAfter = 20, delayMs = 50, maxDelayMs = 1000, windowMs = 60_000, maxClients = 10_000, now = () => Date.now() } = {}) {
    Object.assign(this, { limit, slowAfter, delayMs, maxDelayMs, windowMs, maxClients, now });
    this.failures = new Map(); // address -> { start, count }; Map order = least recently failing first
  }

  /**
   * Records one wrong token from `address`. Throws 429 (with Retry-After on the reply) past the limit;
   * otherwise resolves after the slow-down delay, so the caller then answers 401.
   */
  async fail(address, reply) {
    if (!this.limit) return;
    const at = this.now();
    let entry = this.failures.get(address);
    if (!entry || at - entry.start >= this.windowMs) entry = { start: at, count: 0 };
    entry.count += 1;
    this.failures.delete(address);
    this.failures.set(address, entry);
    if (this.failures.size > this.maxClients) this.failures.delete(this.failures.keys().next().value);
    if (entry.count > this.limit) {
      reply.header('retry-after', String(Math.max(1, Math.ceil((entry.start + this.windowMs - at) / 1000))));
      throw new ApiError(429, 'rate_limited', 'Too many failed authentication attempts; try again later.');
    }
    const wait = this.delayFor(entry.count);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** The slow-down of the n-th failure in a window: nothing up to `slowAfter`, then growing, capped. */
  delayFor(n) {
    return Math.min(this.maxDelayMs, Math.max(0, n - this.slowAfter) * this.delayMs);
  }
}
