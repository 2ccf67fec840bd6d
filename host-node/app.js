// The Stockroom REST service as a Fastify app factory: buildApp({ dbPath, adminToken, logger }).
// server.js only reads the environment and listens. Contract: /work/shared/spec/API.md; choices: README.md.
import crypto from 'node:crypto';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import { openStore } from './store/index.js';
import { Ledgers } from './lib/ledgers.js';
import { ApiError, fromCoreError, invalidMany, isCoreError, mergeErrors } from './lib/errors.js';
import { jsonCharsetOk, parseBodyBytes } from './lib/body.js';
import { AuthFailureLimiter, DEFAULT_CSP, SECURITY_HEADERS, checkRequestHeaders, clientErrorHandler, frameworkErrors, refuseConnect } from './lib/hardening.js';
import { schemaError } from './lib/schemas.js';
import { authenticateOnConnection, hashBytes, hashToken, newToken, requireRole, resolveWorkspace } from './lib/auth.js';
import { Replay, idempotencyCheck, idempotencyRecheck, idempotencySave, sendReplay } from './lib/idempotency.js';
import { loadOpenLedger } from './lib/package.js';
import { ERROR_SCHEMA, documentRoute } from './lib/openapi.js';
import { keepTickObjectShapes } from './lib/tick-shapes.js';
import { DEFAULT_LINGER_MS, lingerIfUnread } from './lib/linger.js';
import metaRoutes from './routes/meta.js';
import organizationRoutes from './routes/organizations.js';
import userRoutes from './routes/users.js';
import workspaceRoutes from './routes/workspaces.js';
import productRoutes from './routes/products.js';
import inventoryRoutes from './routes/inventory.js';
import invoiceRoutes from './routes/invoices.js';
import demoPlugin from '../web-demo/plugin.js';

export const BODY_LIMIT = 1024 * 1024;
/** Methods that read: no body, nothing written. */
const READS = new Set(['GET', 'HEAD']);
const ADMIN_HASH_KEY = 'admin_token_hash';

/**
 * @param {object} options
 * @param {string} [options.dbPath]      SQLite file (':memory:' for throwaway use). Default var/stockroom.db.
 * @param {string} [options.adminToken]  The server's admin token; when absent one is generated on the first
 *                                       start and only its hash is kept (app.generatedAdminToken holds it once).
 * @param {boolean|object} [options.logger] pino options for Fastify (false: silent).
 * @param {Function} [options.openLedger] override of the package's openLedger (tests).
 * @param {object} [options.authFailures] { limit = 1000, slowAfter = 20, delayMs = 50, maxDelayMs = 1000,
 *                                       windowMs = 60000 }: wrong tokens from one address are slowed down past
 *                                       `slowAfter` and answered 429 past `limit` per window (0: off); valid
 *                                       tokens and requests without a token are never limited.
 * @param {number} [options.lingerMs]    how long a connection closing after a refusal still reads and discards
 *                                       the body the client is sending (lib/linger.js). Default 5000.
 */
export async function buildApp({ dbPath = 'var/stockroom.db', adminToken, logger = false, openLedger, authFailures = {}, lingerMs = DEFAULT_LINGER_MS } = {}) {
  await keepTickObjectShapes(); // every request schedules about ten ticks (lib/tick-shapes.js)
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false, useDefaults: true, strict: false } },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    // HTTP-level errors in the contract's shape, with the security headers (lib/hardening.js);
    // a missing Host is refused by checkRequestHeaders (Node's own refusal has no body).
    clientErrorHandler,
    frameworkErrors,
    http: { requireHostHeader: false },
  });
  const authLimiter = new AuthFailureLimiter(authFailures);
  app.server.on('connect', refuseConnect);

  const store = openStore(dbPath);
  const open = openLedger ?? (await loadOpenLedger());
  const ledgers = new Ledgers(store, open, app.log, { isReplay: (e) => e instanceof Replay });

  // ---- admin token: given, else generated once (hash stored); the plain one is exposed once to server.js
  let adminHash = store.getSetting(ADMIN_HASH_KEY);
  if (adminToken) {
    adminHash = hashToken(adminToken);
  } else if (!adminHash) {
    const generated = newToken('sr_admin_');
    adminHash = hashToken(generated);
    store.setSetting(ADMIN_HASH_KEY, adminHash);
    app.decorate('generatedAdminToken', generated);
  }
  if (!app.hasDecorator('generatedAdminToken')) app.decorate('generatedAdminToken', null);
  const adminHashBytes = hashBytes(adminHash);
  app.decorate('store', store);
  app.decorate('ledgers', ledgers);

  // ---- bodies: JSON only, parsed losslessly; anything else is 415 (Fastify's default for unknown types)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (req, bytes, done) => {
    if (!jsonCharsetOk(req.headers['content-type'])) {
      done(new ApiError(415, 'unsupported_media_type', 'The request body must be sent as application/json in UTF-8.'), undefined);
      return;
    }
    try { done(null, parseBodyBytes(bytes)); } catch (e) { done(e, undefined); }
  });

  /**
   * A body that fails its schema is still checked for values (ids of the organization, quantities for the
   * product's decimals, money) through the route's `checkValues(request)`: the 422 names every bad field,
   * not only the first stage's. Not for a body that is not even an object.
   */
  async function withValueErrors(request, err) {
    const api = schemaError(err);
    const check = request.cfg?.checkValues;
    if (api.status !== 422 || err.validationContext !== 'body' || api.errors.body || !check || !request.ctx) return api;
    try {
      return invalidMany(mergeErrors(api.errors, await check(request)));
    } catch (e) {
      request.log.warn({ err: e }, 'value checks after a schema failure failed'); // the schema's answer stands
      return api;
    }
  }

  // ---- errors: one handler, the contract's shape, never a stack trace
  app.setErrorHandler(async (err, request, reply) => {
    lingerIfUnread(request, lingerMs); // a refusal before the body was read still reaches the client
    if (err instanceof Replay) return sendReplay(reply, err.record);
    let api;
    if (err instanceof ApiError) api = err;
    else if (isCoreError(err)) api = fromCoreError(err);
    else if (err.validation) api = await withValueErrors(request, err);
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') api = new ApiError(415, 'unsupported_media_type', 'The request body must be sent as application/json.');
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') api = new ApiError(413, 'payload_too_large', 'The request body is larger than 1 MiB.');
    else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') api = new ApiError(400, 'bad_request', 'The request body is empty; send a JSON object.');
    else if (err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') api = new ApiError(400, 'bad_request', 'The Content-Length does not match the body.');
    else if (err.code === 'FST_ERR_CTP_INVALID_TYPE' || err.code === 'FST_ERR_CTP_INVALID_HANDLER') api = new ApiError(415, 'unsupported_media_type', 'The request body must be sent as application/json.');
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      api = new ApiError(err.statusCode, err.statusCode === 404 ? 'not_found' : 'bad_request', err.statusCode === 404 ? 'Not found.' : 'The request cannot be read.');
    } else if (err.code && String(err.code).startsWith('SQLITE_') && !String(err.code).startsWith('SQLITE_CONSTRAINT')) {
      request.log.error({ err }, 'storage failure');
      api = new ApiError(503, 'service_unavailable', 'The service cannot store data right now; try again.');
      reply.header('retry-after', '5');
    } else {
      request.log.error({ err }, 'unexpected error');
      api = new ApiError(500, 'internal_error', 'Internal server error.');
    }
    if (api.status >= 500 && api.status !== 503) request.log.error({ err }, 'answered 5xx');
    return reply.code(api.status).type('application/json; charset=utf-8').send(api.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    lingerIfUnread(request, lingerMs);
    reply.code(404).send({ message: `No route ${request.method} ${request.url.split('?')[0]}.`, code: 'not_found', errors: {} });
  });

  // ---- per-request state, declared once so that every request object has the same shape
  app.decorateRequest('cfg', null);      // the route's config (request.routeOptions builds a new object per read)
  app.decorateRequest('auth', null);     // authenticateOnConnection()
  app.decorateRequest('ctx', null);      // resolveWorkspace()
  app.decorateRequest('resource', null); // the path's resource (route config `find`)
  app.decorateRequest('idem', null);     // idempotencyCheck()

  /**
   * A hook that runs synchronously on the common path (no promise per hook and request): `fn` returns
   * undefined to go on, or a thenable when it must wait (a pending commit, a slowed 401, a replay's
   * reply); it throws to answer an error.
   */
  const hook = (fn) => function syncHook(request, reply, done) {
    const wait = fn(request, reply);
    if (wait !== undefined) return wait;
    done();
  };

  // ---- headers on every answer, set as the request arrives (a route may then set its own CSP or
  // cache-control; an error answer keeps them: Fastify's error path drops only the content headers)
  const answerHeaders = { ...SECURITY_HEADERS, 'content-security-policy': DEFAULT_CSP, 'cache-control': 'no-store' };
  const setAnswerHeaders = (request, reply) => {
    reply.headers(answerHeaders);
    reply.header('x-request-id', request.id);
  };
  // idempotency: an error answer of a request that reached its endpoint (successes are stored inside
  // their write). A request refused before (schema 422, 400, 401, 403, 404 of its path, 409 of a reused
  // key) stores nothing, so the client can retry the corrected request with the same key (Stripe). Added
  // to the routes that take a body (onRoute below).
  function rememberError(request, reply, payload, done) {
    if (request.idem?.reached && !request.idem.done && reply.statusCode < 500 && typeof payload === 'string') {
      try { idempotencySave(store, request, reply.statusCode, payload); request.idem.done = true; } catch (e) { request.log.warn({ err: e }, 'idempotency record not stored'); }
    }
    done(null, payload);
  }

  /**
   * Everything about who may do what, before the body is validated, so that 404 (a path id naming nothing
   * in the organization) and 403 (the role) come before 422. Route config: `role` (needed in the current
   * workspace, or in `roleIn(request)` when the route names another one), `find(request)` (the path's
   * resource, kept as request.resource; 404 if none). Without `roleIn` the role is checked before the
   * lookup, so a caller without the role learns nothing about which ids exist.
   */
  function authorize(request, cfg) {
    resolveWorkspace(request);
    if (cfg.role && !cfg.roleIn) requireRole(request, cfg.role);
    if (cfg.find) request.resource = cfg.find(request);
    if (cfg.role && cfg.roleIn) requireRole(request, cfg.role, cfg.roleIn(request));
  }

  /** onRequest after the wait for a pending commit: the query string, then the token (401 before anything else). */
  function authenticateRequest(request, reply) {
    const qs = request.url.indexOf('?');
    if (qs >= 0) {
      try { decodeURIComponent(request.url.slice(qs + 1).replace(/\+/g, ' ')); } catch {
        throw new ApiError(400, 'bad_request', 'The query string cannot be read (bad percent-encoding).');
      }
    }
    const auth = request.cfg.auth;
    if (!auth || auth === 'none') return undefined;
    try {
      request.auth = authenticateOnConnection(request, store, adminHashBytes);
    } catch (e) {
      // a wrong token is slowed down (or refused past the limit); no token at all guesses nothing
      if (e instanceof ApiError && e.status === 401 && request.headers.authorization !== undefined) {
        return authLimiter.fail(request.ip, reply).then(() => { throw e; });
      }
      throw e;
    }
    if (auth === 'admin' && request.auth.kind !== 'admin') throw new ApiError(403, 'forbidden', 'This route needs the server\'s admin token.');
    if (auth === 'user' && request.auth.kind !== 'user') throw new ApiError(403, 'forbidden', 'The admin token only creates organizations; use a user token.');
    return undefined;
  }

  /** The workspace, the role and the path's resource of a user's request (a route with `auth`). */
  function authorizeUser(request) {
    const cfg = request.cfg;
    if (cfg.auth && cfg.auth !== 'none' && request.auth.kind === 'user') authorize(request, cfg);
  }

  /**
   * onRequest after the wait for a pending commit. A read (GET, HEAD) has no body to validate, so it is
   * also authorized here and has no preValidation or preHandler hook at all (two hook runs fewer on the
   * busiest routes); its query string is still validated after, so 401, 403 and 404 still come before 422.
   */
  function admit(request, reply) {
    const wait = authenticateRequest(request, reply);
    if (wait !== undefined) return wait;
    if (READS.has(request.method)) authorizeUser(request);
    return undefined;
  }

  // ---- auth (onRequest: 401 before anything else), workspace + role + path resource (preValidation, or
  // onRequest for reads), idempotency
  app.addHook('onRequest', hook((request, reply) => {
    setAnswerHeaders(request, reply);
    request.cfg = request.routeOptions.config ?? {};
    checkRequestHeaders(request);
    // Reads wait for a pending group commit: they never show what is not yet on disk. (The COMMIT runs
    // in this event-loop turn and blocks the loop anyway, so the wait costs next to nothing.)
    if (READS.has(request.method) && ledgers.batch.pending) {
      return ledgers.batch.idle().then(() => admit(request, reply));
    }
    return admit(request, reply);
  }));
  // The hooks of routes that take a body: added to each such route as it is declared (onRoute).
  const preValidation = hook((request, reply) => {
    if (!request.cfg.auth || request.cfg.auth === 'none') return undefined;
    if (!READS.has(request.method)) authorizeUser(request); // a read was authorized in onRequest
    // Never replay an answer that is not on disk: a key already recorded while a batch is pending may be
    // that batch's (uncommitted) record, so it is looked up again once the batch is durable. A key with no
    // record goes on at once and joins the batch (the write re-checks it inside its savepoint).
    const key = request.headers['idempotency-key'];
    if (request.method === 'POST' && typeof key === 'string' && ledgers.batch.pending && request.auth) {
      const scope = request.auth.kind === 'admin' ? 0 : request.auth.org.id;
      if (store.idempotencyRecord(scope, key, Date.now())) return ledgers.batch.idle().then(() => idempotencyCheck(store, request, reply) ?? undefined);
    }
    return idempotencyCheck(store, request, reply) ?? undefined; // a replay: the reply (a thenable)
  });

  // Validation passed: from here on the request has reached its endpoint and its answer is remembered.
  function reached(request, reply, done) { if (request.idem) request.idem.reached = true; done(); }
  app.addHook('onRoute', (route) => {
    if ([].concat(route.method).every((m) => READS.has(m))) return;
    route.preValidation = [preValidation, ...[].concat(route.preValidation ?? [])];
    route.preHandler = [reached, ...[].concat(route.preHandler ?? [])];
    route.onSend = [rememberError, ...[].concat(route.onSend ?? [])];
  });

  // ---- helpers shared by the routes
  const h = {
    store,
    ledgers,
    nowMs: () => Date.now(),
    iso: (ms = Date.now()) => new Date(ms).toISOString(),
    /** A store-only write: one transaction, idempotency record included. fn() -> { status, body }. */
    // Every write goes through the group commit (lib/ledgers.js): fn runs at once, synchronously, in the
    // open batch; the promise settles after the batch's COMMIT, so the answer is sent only once durable.
    tx(request, fn) {
      const p = ledgers.storeWrite(() => {
        idempotencyRecheck(store, request);
        const out = fn();
        idempotencySave(store, request, out.status, out.body);
        return out;
      });
      return p.then((r) => { if (request.idem) request.idem.done = true; return r; });
    },
    /** A ledger write: checkpoint, command, its rows in the batch, rollback on failure. fn(ledger) -> { status, body }. */
    ledgerTx(request, orgId, ledger, fn) {
      const p = ledgers.write(orgId, ledger, (l) => {
        idempotencyRecheck(store, request);
        const out = fn(l);
        idempotencySave(store, request, out.status, out.body);
        return out;
      });
      return p.then((r) => { if (request.idem) request.idem.done = true; return r; });
    },
    /**
     * A catalog write: store writes, then (still inside the batch) the new facts registered into the
     * organization's ledger if it is loaded; a failed flush reloads that ledger. fn() -> { status, body, register }.
     */
    catalogTx(request, orgId, fn) {
      return h.tx(request, () => {
        const out = fn();
        const ledger = ledgers.peek(orgId);
        if (ledger && out.register) { ledger.register(out.register); ledgers.registered(orgId, ledger); }
        return out;
      });
    },
    /** Persists a command's answer: movements (journal lines) and changed minimums. */
    persist(orgId, result) {
      if (result.movements?.length) store.appendMovements(orgId, result.movements, result.journal ?? '');
      if (result.minimums?.length) store.saveMinimums(orgId, result.minimums);
    },
  };

  app.addSchema(ERROR_SCHEMA);
  await app.register(swagger, {
    transform: documentRoute,
    refResolver: { buildLocalReference: (json, baseUri, fragment, i) => json.$id ?? `def-${i}` }, // #/components/schemas/Error
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Stockroom API', version: '1.0.0', description: 'Multi-workspace inventory: exact, append-only stock movements. Contract: API.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  await app.register(metaRoutes, { h });
  await app.register(async (api) => {
    await api.register(organizationRoutes, { h });
    await api.register(userRoutes, { h });
    await api.register(workspaceRoutes, { h });
    await api.register(productRoutes, { h });
    await api.register(inventoryRoutes, { h });
    await api.register(invoiceRoutes, { h });
  }, { prefix: '/api/v1' });
  // The offline page, served by the same process for convenience; it talks to no API.
  await app.register(demoPlugin, { prefix: '/demo' });

  app.addHook('onClose', async () => {
    ledgers.closeAll();
    store.close();
  });

  return app;
}

export default buildApp;
