// Runs the curl session of host-node/README.md (the ```sh readme-session block) against a live server:
// each curl is parsed (method, URL, headers, body, with shell quoting and $VARIABLES), sent with fetch,
// and checked against the `# -> STATUS NAME=.path .path=value` line under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_TOKEN, startServer } from './support/http-app.js';

const readme = readFileSync(new URL('../../host-node/README.md', import.meta.url), 'utf8');

/** Shell words of one command line: '...' literal, "..." and bare text with $VAR substitution. */
function words(line, vars) {
  const out = []; let cur = null; let i = 0;
  const sub = (text) => text.replace(/\$([A-Z_][A-Z0-9_]*)/g, (_, n) => {
    if (!(n in vars)) throw new Error(`README session uses $${n} before it is set`);
    return String(vars[n]);
  });
  while (i < line.length) {
    const c = line[i];
    if (/\s/.test(c)) { if (cur !== null) { out.push(cur); cur = null; } i++; continue; }
    cur ??= '';
    if (c === "'") { const j = line.indexOf("'", i + 1); cur += line.slice(i + 1, j); i = j + 1; } else if (c === '"') {
      const j = line.indexOf('"', i + 1); cur += sub(line.slice(i + 1, j)); i = j + 1;
    } else { let j = i; while (j < line.length && !/[\s'"]/.test(line[j])) j++; cur += sub(line.slice(i, j)); i = j; }
  }
  if (cur !== null) out.push(cur);
  return out;
}

function at(obj, path) {
  return path.split('.').filter(Boolean).reduce((o, k) => (o == null ? undefined : o[/^\d+$/.test(k) ? Number(k) : k]), obj);
}

test('the README session runs as documented', async (t) => {
  const block = /```sh readme-session\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a readme-session block');
  const lines = block[1].replace(/\\\n\s*/g, ' ').split('\n');
  const s = await startServer(t, { adminToken: ADMIN_TOKEN });
  const vars = { BASE: s.base, STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN };
  let pending = null; let count = 0;
  for (const line of lines) {
    if (line.startsWith('curl ')) {
      const w = words(line, vars);
      const req = { method: 'GET', headers: {}, url: null, body: undefined };
      for (let i = 1; i < w.length; i++) {
        if (w[i] === '-X') req.method = w[++i];
        else if (w[i] === '-H') { const [k, ...v] = w[++i].split(':'); req.headers[k.trim().toLowerCase()] = v.join(':').trim(); } else if (w[i] === '-d') { req.body = w[++i]; if (req.method === 'GET') req.method = 'POST'; } else if (w[i].startsWith('-')) continue;
        else req.url = w[i];
      }
      const res = await fetch(req.url.replace(/\[/g, '%5B').replace(/\]/g, '%5D'), { method: req.method, headers: req.headers, body: req.body });
      pending = { line, status: res.status, body: JSON.parse(await res.text() || 'null') };
      count++;
    } else if (line.startsWith('# -> ')) {
      assert.ok(pending, `expectation without a command: ${line}`);
      const [status, ...checks] = line.slice(5).trim().split(/\s+/);
      assert.equal(pending.status, Number(status), `${pending.line}\n  answered ${JSON.stringify(pending.body)}`);
      for (const c of checks) {
        const eq = c.indexOf('=');
        const left = c.slice(0, eq); const right = c.slice(eq + 1);
        if (left.startsWith('.')) assert.deepEqual(at(pending.body, left), JSON.parse(right), `${left} of ${JSON.stringify(pending.body).slice(0, 400)}`);
        else { vars[left] = at(pending.body, right); assert.notEqual(vars[left], undefined, `${right} missing`); }
      }
      pending = null;
    }
  }
  assert.ok(count >= 10, `ran ${count} commands`);
});
