// Reads the environment and listens. Everything else is in app.js.
//   HOST (127.0.0.1)  PORT (3000)  STOCKROOM_DB (var/stockroom.db)  STOCKROOM_ADMIN_TOKEN (optional)
//   LOG_LEVEL (info)  STOCKROOM_AUTH_FAILURE_LIMIT (1000; 0: off)  STOCKROOM_AUTH_FAILURE_SLOW_AFTER (20)
//   STOCKROOM_AUTH_FAILURE_WINDOW_MS (60000)
import { buildApp } from './app.js';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const dbPath = process.env.STOCKROOM_DB || 'var/stockroom.db';
const adminToken = process.env.STOCKROOM_ADMIN_TOKEN || undefined;
const envNumber = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
};
const authFailures = {
  limit: envNumber('STOCKROOM_AUTH_FAILURE_LIMIT', 1000),
  slowAfter: envNumber('STOCKROOM_AUTH_FAILURE_SLOW_AFTER', 20),
  windowMs: envNumber('STOCKROOM_AUTH_FAILURE_WINDOW_MS', 60000),
};

const app = await buildApp({
  dbPath, adminToken, authFailures,
  logger: { level: process.env.LOG_LEVEL || 'info', redact: ['req.headers.authorization'] },
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => { app.log.error('shutdown timed out'); process.exit(1); }, 10000);
  timer.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

await app.listen({ host, port });
const base = `http://${host.includes(':') ? `[${host}]` : host}:${app.server.address().port}`;

if (app.generatedAdminToken) {
  process.stdout.write(`
Stockroom: a new admin token was generated (shown once; only its hash is stored):

  export STOCKROOM_ADMIN_TOKEN=${app.generatedAdminToken}

`);
}
if (app.store.organizationCount() === 0) {
  process.stdout.write(`Stockroom: the database ${dbPath} has no organization yet. Create the first one:

  curl -sS -X POST ${base}/api/v1/organizations \\
    -H "Authorization: Bearer $STOCKROOM_ADMIN_TOKEN" -H 'Content-Type: application/json' \\
    -d '{"name":"Acme","owner_name":"Ada Owner","owner_email":"ada@example.com","workspace_name":"Main Store"}'

The answer holds the owner's token (shown once). API docs: ${base}/docs
`);
}
