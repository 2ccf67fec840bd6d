// One test per defect the reliability tests found (RELIABILITY.md, "Findings"), so that each stays fixed
// whatever the random generators draw. Each request here used to be answered 2xx, or without the error
// shape, or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, client, rawRequest, startApp } from './support.js';

async function setup(t) {
  const s = await startApp(t);
  const ctx = await bootstrap(s, { name: 'Regress', products: [{ sku: 'R', name: 'R' }] });
  const auth = ['Authorization', `Bearer ${ctx.token}`];
  const json = ['Content-Type', 'application/json'];
  const send = (o) => rawRequest(s.port, o);
  const products = async () => (await client(s.base, ctx.token).get('/api/v1/products?per_page=100')).body.meta.total;
  return { s, ctx, auth, json, send, products };
}

function refused(res, status, code) {
  assert.equal(res.status, status, `${res.status} ${res.text ?? res.error}`);
  assert.equal(res.body?.code, code, res.text);
  assert.equal(typeof res.body.message, 'string');
  assert.deepEqual(res.body.errors, {});
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.ok(res.headers['content-security-policy']);
}

test('F1 a key given twice in one object is refused even with the same value', async (t) => {
  const { send, auth, json, products } = await setup(t);
  const n = await products();
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: '{"sku":"D","name":"D","name":"D"}' }), 400, 'bad_request');
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: '{"sku":"D","name":"D","\\u006eame":"D"}' }), 400, 'bad_request');
  assert.equal(await products(), n);
});

test('F2 bodies must be UTF-8 and free of unpaired surrogates; a charset other than UTF-8 is 415', async (t) => {
  const { send, auth, json, products } = await setup(t);
  const n = await products();
  const bytes = Buffer.concat([Buffer.from('{"sku":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","name":"x"}')]);
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: bytes }), 400, 'bad_request');
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: '{"sku":"\\ud800","name":"x"}' }), 400, 'bad_request');
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: '{"\\udfff":1,"sku":"S","name":"x"}' }), 400, 'bad_request');
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, ['Content-Type', 'application/json; charset=latin1']], body: '{"sku":"L","name":"x"}' }), 415, 'unsupported_media_type');
  assert.equal(await products(), n);
  // a well-formed pair and UTF-8 proper are fine
  const ok = await send({ method: 'POST', target: '/api/v1/products', headers: [auth, ['Content-Type', 'application/json; charset=UTF-8']], body: '{"sku":"\\ud83d\\ude00 é","name":"ok"}' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.data.sku, '\u{1F600} é');
});

test('F3 repeated Authorization, X-Workspace-Id, Idempotency-Key, Content-Type or Host, and a missing Host, are 400', async (t) => {
  const { send, auth, json, ctx, products } = await setup(t);
  const n = await products();
  const body = '{"sku":"H","name":"x"}';
  const ws = String(ctx.ws);
  for (const headers of [[auth, auth, json], [auth, ['Authorization', 'Bearer wrong'], json], [auth, json, ['X-Workspace-Id', ws], ['X-Workspace-Id', ws]],
    [auth, json, ['Idempotency-Key', 'a'], ['Idempotency-Key', 'b']], [auth, json, json], [auth, json, ['Host', 'a'], ['Host', 'b']]]) {
    refused(await send({ method: 'POST', target: '/api/v1/products', headers, body }), 400, 'bad_request');
  }
  refused(await send({ target: '/api/v1/me', auto: false, headers: [auth, ['Connection', 'close']] }), 400, 'bad_request');
  assert.equal(await products(), n);
  // HTTP/1.0 needs no Host
  const old = await send({ target: '/healthz', version: 'HTTP/1.0', auto: false, headers: [] });
  assert.equal(old.status, 200);
});

test('F4 requests Node or the router refuse are answered in the error shape, with the security headers', async (t) => {
  const { send, auth, json } = await setup(t);
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json, ['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], body: '2\r\n{}\r\n0\r\n\r\n' }), 400, 'bad_request');
  refused(await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json, ['Content-Length', '5'], ['Content-Length', '6']], body: '{"a":1}' }), 400, 'bad_request');
  refused(await send({ method: 'FOO', target: '/api/v1/me', headers: [auth] }), 400, 'bad_request');
  refused(await send({ target: '/api/v1/me', headers: [auth, ['X-Big', 'a'.repeat(20000)]] }), 431, 'bad_request');
  refused(await send({ target: `/api/v1/products/${'1'.repeat(300)}`, headers: [auth] }), 404, 'not_found');
  refused(await send({ target: '/api/v1/products/%zz', headers: [auth] }), 400, 'bad_request');
  refused(await send({ method: 'CONNECT', target: '/api/v1/me', headers: [auth] }), 404, 'not_found');
  refused(await send({ method: 'CONNECT', target: 'example.com:443', headers: [auth] }), 404, 'not_found');
});

test('F5 nesting is refused before parsing, whatever the depth', async (t) => {
  const { send, auth, json } = await setup(t);
  for (const depth of [33, 1000, 400000]) {
    const res = await send({ method: 'POST', target: '/api/v1/products', headers: [auth, json], body: '['.repeat(depth) + ']'.repeat(depth) });
    refused(res, 400, 'bad_request');
    assert.match(res.body.message, /nested too deeply/);
  }
});
