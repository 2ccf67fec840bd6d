// Idempotency-Key on POST (API.md §1): same key + same request within 24 h replays the first answer
// (status and body, header Idempotent-Replayed: true) and writes nothing; a different request: 409.
import crypto from 'node:crypto';
import { ApiError, badRequest } from './errors.js';
import { canonical } from './body.js';

const KEY_RE = /^[\x20-\x7E]{1,255}$/;
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export class Replay extends Error {
  constructor(record) { super('idempotent replay'); this.record = record; }
}

const reused = () => new ApiError(409, 'idempotency_key_reused',
  'This Idempotency-Key was already used with a different request.', {
    'Idempotency-Key': ['This Idempotency-Key was already used with a different request.'] });

/** Secrets are shown once: a stored answer never keeps a token in clear. */
function redact(body) {
  if (body && typeof body === 'object' && body.data && typeof body.data === 'object' && 'token' in body.data) {
    return { ...body, data: { ...body.data, token: null } };
  }
  return body;
}

export function sendReplay(reply, record) {
  reply.code(record.status).header('idempotent-replayed', 'true').type('application/json; charset=utf-8');
  return reply.send(record.body);
}

/** preValidation (after auth): reads the key, answers a replay or a 409, else remembers the fingerprint. */
export function idempotencyCheck(store, request, reply) {
  if (request.method !== 'POST') return null;
  const key = request.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !KEY_RE.test(key)) throw badRequest('The Idempotency-Key header must be 1 to 255 printable characters.');
  const scope = request.auth.kind === 'admin' ? 0 : request.auth.org.id;
  const path = request.url.split('?')[0];
  const workspace = request.ctx?.workspaceId ?? '';
  const hash = crypto.createHash('sha256').update(`POST ${path}\n${workspace}\n${canonical(request.body ?? null)}`).digest('hex');
  request.idem = { scope, key, hash, done: false };
  const record = store.idempotencyRecord(scope, key, Date.now());
  if (!record) return null;
  if (record.request_hash !== hash) throw reused();
  request.idem.done = true;
  return sendReplay(reply, record);
}

/** Inside a write transaction: another request with the same key may have committed meanwhile. */
export function idempotencyRecheck(store, request) {
  if (!request.idem || request.idem.done) return;
  const record = store.idempotencyRecord(request.idem.scope, request.idem.key, Date.now());
  if (!record) return;
  if (record.request_hash !== request.idem.hash) throw reused();
  throw new Replay(record);
}

/** Stores the answer (inside the write's transaction for successes; from onSend for errors of requests that reached their endpoint). */
export function idempotencySave(store, request, status, body) {
  if (!request.idem || request.idem.done) return;
  const text = typeof body === 'string' ? body : JSON.stringify(redact(body));
  store.saveIdempotency(request.idem.scope, request.idem.key, request.idem.hash, status, text, Date.now());
}
