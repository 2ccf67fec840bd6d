// Tokens, authentication and roles (API.md §1).
import crypto from 'node:crypto';
import { forbidden, unauthenticated } from './errors.js';

export const ROLES = ['viewer', 'clerk', 'manager', 'owner'];
export const rank = (role) => ROLES.indexOf(role);

/** The SHA-256 of a token, as hex (crypto.hash where Node has it: no Hash object per request). */
export const hashToken = typeof crypto.hash === 'function'
  ? (token) => crypto.hash('sha256', token, 'hex')
  : (token) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');
/** 256 random bits, URL-safe, with a recognisable prefix. */
export const newToken = (prefix = 'sr_') => prefix + crypto.randomBytes(32).toString('base64url');

/**
 * A token hash (hex) as the bytes that are compared, in constant time, with sameHashBytes. The server's
 * admin hash is converted once at start-up, a caller's once per cached caller (callerHashBytes), and the
 * request's own once per request: every request is compared with both, and converting the two stored
 * hashes again each time was half of authentication's time (four hex decodings instead of one).
 */
export const hashBytes = (hash) => Buffer.from(String(hash), 'hex');

export function sameHashBytes(x, y) {
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}

/** The cached caller objects of store.caller() (frozen, shared) -> their token hash's bytes. */
const callerHashes = new WeakMap();
function callerHashBytes(caller) {
  let bytes = callerHashes.get(caller);
  if (!bytes) {
    bytes = hashBytes(caller.tokenHash);
    callerHashes.set(caller, bytes);
  }
  return bytes;
}

function bearer(request) {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}

/**
 * Resolves the caller: { kind: 'admin' } or { kind: 'user', tokenId, user, org, memberships }.
 * Throws 401 when there is no usable token. The user's rows come from store.caller(), a cache that every
 * write of tokens, users, memberships, workspaces or organizations empties (store/sqlite.js): the objects
 * are shared between requests and frozen. `adminHashBytes`: hashBytes() of the admin token's hash.
 */
export function authenticate(request, store, adminHashBytes) {
  const token = bearer(request);
  if (!token || token.length > 512) throw unauthenticated();
  const hash = hashToken(token);
  const bytes = hashBytes(hash);
  if (adminHashBytes && sameHashBytes(bytes, adminHashBytes)) return { kind: 'admin' };
  const caller = store.caller(hash);
  if (!caller || !sameHashBytes(bytes, callerHashBytes(caller))) throw unauthenticated();
  return { kind: 'user', tokenId: caller.tokenId, user: caller.user, org: caller.org, memberships: caller.memberships };
}

/** socket -> { header (its bytes), generation (store.cacheWrites), auth } of the connection's last request. */
const lastOnConnection = new WeakMap();

/**
 * authenticate() with the answer kept for the next request of the same connection. A client sends the
 * same Authorization header on every request of a keep-alive connection, and hashing it again (SHA-256,
 * hex decoding, two comparisons, a lookup by a new 64-character key) took about 4 % of a GET stock's
 * time. The header is compared with the kept one in constant time (a proxy may carry several clients'
 * requests on one connection), and the kept answer counts only while the store's caches have not been
 * emptied since: any write of tokens, users, memberships, workspaces or organizations, here or by
 * another connection to the database (store.noticeOtherConnections), makes the next request
 * authenticate again, as the caller cache does. The answer is frozen: requests share it.
 */
export function authenticateOnConnection(request, store, adminHashBytes) {
  const header = request.headers.authorization;
  const socket = request.raw.socket;
  store.noticeOtherConnections();
  const bytes = typeof header === 'string' ? Buffer.from(header, 'latin1') : null;
  const kept = socket ? lastOnConnection.get(socket) : undefined;
  if (kept !== undefined && bytes !== null && kept.generation === store.cacheWrites && sameHashBytes(bytes, kept.header)) {
    return kept.auth;
  }
  const generation = store.cacheWrites;
  const auth = Object.freeze(authenticate(request, store, adminHashBytes)); // throws without a usable token
  if (socket) lastOnConnection.set(socket, { header: bytes, generation, auth });
  return auth;
}

/** workspace id -> role of a caller's memberships list, built once per (cached, frozen) list. */
const rolesOf = new WeakMap();
const readOnly = () => { throw new TypeError('The memberships of a request are read only.'); };
function roles(list) {
  let map = rolesOf.get(list);
  if (!map) {
    map = new Map(list.map((m) => [m.workspace_id, m.role]));
    map.set = map.delete = map.clear = readOnly; // shared by every request of this caller
    rolesOf.set(list, map);
  }
  return map;
}

/**
 * The current workspace of a user request: X-Workspace-Id, else the first workspace they joined.
 * Sets request.ctx = { org, user, memberships (Map id -> role, shared: read only), workspaceId, role }.
 */
export function resolveWorkspace(request) {
  const { user, org, memberships: list } = request.auth;
  const memberships = roles(list);
  const header = request.headers['x-workspace-id'];
  let workspaceId = null;
  if (header !== undefined && header !== '') {
    if (!/^[1-9][0-9]{0,15}$/.test(String(header).trim())) throw forbidden('You are not a member of this workspace.');
    workspaceId = Number(String(header).trim());
    if (!memberships.has(workspaceId)) throw forbidden('You are not a member of this workspace.');
  } else if (list.length) {
    workspaceId = list[0].workspace_id;
  }
  request.ctx = { org, user, memberships, workspaceId, role: workspaceId ? memberships.get(workspaceId) : null };
  return request.ctx;
}

/** 403 unless the user holds at least `role` in `workspaceId` (default: the current workspace). */
export function requireRole(request, role, workspaceId = request.ctx.workspaceId) {
  if (!workspaceId) throw forbidden('You are not a member of any workspace.');
  const have = request.ctx.memberships.get(Number(workspaceId));
  if (!have) throw forbidden('You are not a member of this workspace.');
  if (rank(have) < rank(role)) throw forbidden(`This action needs the ${role} role in this workspace.`);
}

export function actorOf(request) {
  return { id: request.ctx.user.id, name: request.ctx.user.name };
}

