// A child process of bench/http/run.mjs: the Stockroom service (host-node, real package, SQLite file with
// WAL + synchronous=FULL) or, with --bare, a bare Fastify answering a constant JSON on GET and POST /bare.
// Tells its parent the port over IPC; answers 'stats' messages with the group-commit counters and 'cpu'
// messages with process.cpuUsage().
import Fastify from 'fastify';

const bare = process.argv.includes('--bare');
const dbPath = process.argv.find((a) => a.startsWith('--db='))?.slice(5);
const adminToken = process.argv.find((a) => a.startsWith('--admin='))?.slice(8);

let app;
if (bare) {
  app = Fastify({ logger: false });
  const answer = { data: { ok: true, service: 'bare', quantity: '1.00' } };
  app.get('/bare', async () => answer);
  app.post('/bare', async (request, reply) => reply.code(201).send(answer));
} else {
  const { buildApp } = await import('../../host-node/app.js');
  app = await buildApp({ dbPath, adminToken, logger: false });
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ port: app.server.address().port });
process.on('message', (m) => {
  if (m === 'stats') process.send({ stats: app.ledgers?.batch?.stats ?? null });
  if (m === 'cpu') process.send({ cpu: process.cpuUsage() }); // µs of user + system time, for CPU per request
  if (m === 'close') app.close().then(() => process.exit(0));
});
