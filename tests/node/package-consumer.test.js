// The package as a user gets it: `npm pack` (through wasm/pack.mjs), install the tarball into an
// empty folder with no network, import 'stockroom' there and run a scenario; check the tarball
// holds only the built core, the JS, the types, the README and package.json; and type-check a
// TypeScript user against the installed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed tarball installs offline and works as a user would use it', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'stockroom-consumer-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const tarball = run('node', [join(root, 'wasm', 'pack.mjs'), '--destination', work], root).trim().split('\n').pop();

  const listed = run('tar', ['-tzf', tarball], work).trim().split('\n').sort();
  assert.deepEqual(listed, [
    'package/README.md',
    'package/dist/wasm/stockroom-core.mjs',
    'package/dist/wasm/stockroom-core.wasm',
    'package/package.json',
    'package/wasm/js/core.js',
    'package/wasm/js/errors.js',
    'package/wasm/js/index.d.ts',
    'package/wasm/js/index.js',
    'package/wasm/js/ledger.js',
    'package/wasm/js/values.js',
  ]);
  const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work));
  assert.equal(manifest.name, 'stockroom');
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.devDependencies, undefined);
  assert.equal(manifest.scripts, undefined);

  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
  const installed = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  assert.ok(installed.dependencies.stockroom, 'tarball recorded as a dependency');

  writeFileSync(join(app, 'main.js'), `
import { openLedger, StockroomError, ERROR_CODES } from 'stockroom';
const ledger = await openLedger();
ledger.register({ workspaces: [{ id: 1, name: 'Main' }, { id: 2, name: 'Back' }],
                  products: [{ id: 7, sku: 'A-1', name: 'Apple' }] });
ledger.purchase({ workspace_id: 1, at: 0, actor: { id: 5, name: 'Ann' }, items: [{ product_id: 7, quantity: '12.5' }] });
const moved = ledger.transfer({ product_id: 7, from_workspace_id: 1, to_workspace_id: 2, quantity: 2, at: 1 });
let code = null;
try { ledger.sell({ workspace_id: 1, invoice_id: 1, at: 2, lines: [{ product_id: 7, quantity: '99' }] }); }
catch (e) { code = e instanceof StockroomError ? e.code : 'not a StockroomError'; }
const copy = await openLedger();
copy.register({ workspaces: [{ id: 1, name: 'Main' }, { id: 2, name: 'Back' }], products: [{ id: 7, sku: 'A-1', name: 'Apple' }] });
copy.replayJournal(ledger.exportJournal());
console.log(JSON.stringify({ total: ledger.productStock(7).total_quantity, legs: moved.movements.map((m) => m.type),
  code, codes: ERROR_CODES.length, replayed: copy.stats(), same: copy.exportJournal() === ledger.exportJournal() }));
ledger.close(); copy.close();
`);
  const result = JSON.parse(run('node', ['main.js'], app));
  assert.deepEqual(result, {
    total: '12.50', legs: ['transfer_out', 'transfer_in'], code: 'insufficient_stock', codes: 8,
    replayed: { movements: 3, last_movement_id: 3 }, same: true,
  });

  // A TypeScript user of the installed package (the repo's own tsc, types from the tarball).
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true,
      noEmit: true, skipLibCheck: false, types: [] },
    files: ['user.ts'],
  }));
  writeFileSync(join(app, 'user.ts'), `
import { openLedger, StockroomError, type Movement } from 'stockroom';
const ledger = await openLedger();
const result = ledger.purchase({ workspace_id: 1, items: [{ product_id: 7, quantity: '1' }] });
const first: Movement | undefined = result.movements[0];
const balance: string | undefined = first?.balance_after;
try { ledger.close(); } catch (e) { if (e instanceof StockroomError) { const c: string = e.code; void c; } }
void balance;
`);
  try {
    run('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  } catch (e) {
    assert.fail(`tsc failed on the installed package:\n${e.stdout}${e.stderr}`);
  }
});
