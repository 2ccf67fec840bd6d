// The offline demo in a real browser (Debian's Chromium through playwright-core), served from
// 127.0.0.1 by scripts/serve-demo.js. Every request to any other host is blocked and counted: the
// count must stay zero. The numbers on screen are checked against the stockroom package computing
// the same commands in Node.
//
// One browser profile for the whole file, so the steps build on each other as a person would:
// catalog -> stock -> errors -> views -> reload -> browser restart -> export -> erase -> import.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from 'stockroom';
import {
  badConsoleLines, closeServer, ensureArtifacts, launch, newProfileDir, removeDir, startDemoServer, waitReady,
} from './support.js';

let server; let origin; let profile; let browser; let page; let guard;
const guards = [];
const shots = ensureArtifacts();
const started = Date.now();

async function open() {
  ({ context: browser, page, guard } = await launch(profile, origin));
  guards.push(guard);
  await page.goto(`${origin}/`);
  await waitReady(page);
}

before(async () => {
  ({ server, origin } = await startDemoServer());
  profile = newProfileDir();
  await open();
});

after(async () => {
  await browser?.close().catch(() => {});
  if (profile) removeDir(profile);
  if (server) await closeServer(server);
  console.log(`# e2e demo.test.js: ${Date.now() - started} ms`);
});

/** The view's card for a form (by id), e.g. 'form-transfer'. */
const form = (id) => page.locator(`#${id}`);

/**
 * Fills a form by its labels and submits it. Values: string for text/select (select by visible
 * label), boolean for checkboxes. Resolves to { ok, error } texts once the form answered.
 */
async function submit(id, values) {
  const f = form(id);
  for (const [label, value] of Object.entries(values)) {
    const control = f.getByLabel(label, { exact: true });
    const tag = await control.evaluate((el) => (el.type === 'checkbox' ? 'checkbox' : el.tagName.toLowerCase()));
    if (tag === 'checkbox') await control.setChecked(value);
    else if (tag === 'select') await control.selectOption({ label: value });
    else await control.fill(value);
  }
  await f.locator('button[type="submit"]').click();
  await f.locator('.form-ok:not(:empty), .form-error:not(:empty)').first().waitFor();
  return {
    ok: (await f.locator('.form-ok').textContent()).trim(),
    error: (await f.locator('.form-error').textContent()).trim(),
  };
}

async function goto(view) {
  await page.locator(`.tabs a[data-view="${view}"]`).click();
  await page.locator(`.view[data-view="${view}"]`).waitFor();
}

/** The product-in-every-workspace table of the Stock view: { workspace: quantity, Total }. */
async function productStockOnScreen(productLabel) {
  await goto('stock');
  await page.locator('.view[data-view="stock"]').getByLabel('Product', { exact: true }).selectOption({ label: productLabel });
  const rows = await page.locator('#product-stock tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const out = {};
  for (const r of rows.slice(1)) out[r[0]] = r[1];
  return out;
}

// The same commands, computed by the package in Node (ids as the page assigns them: 1, 2, ...).
const expected = await (async () => {
  const l = await openLedger();
  l.register({
    workspaces: [{ id: 1, name: 'Main store' }, { id: 2, name: 'Warehouse' }],
    products: [{ id: 1, sku: 'APL-1', name: 'Apples', decimals: 2 },
      { id: 2, sku: 'BLT-9', name: 'Bolts', decimals: 0, allow_negative_stock: true }],
  });
  l.initialStock({ workspace_id: 1, items: [{ product_id: 1, quantity: '120.50', minimum_quantity: '20' }] });
  l.transfer({ product_id: 1, from_workspace_id: 1, to_workspace_id: 2, quantity: '30.25' });
  l.adjust({ workspace_id: 1, items: [{ product_id: 1, quantity: '-2.5', reason: 'damaged' }] });
  l.sell({ workspace_id: 1, invoice_id: 1, lines: [{ product_id: 1, quantity: '10' }] });
  l.purchase({ workspace_id: 2, items: [{ product_id: 1, quantity: '5', unit_cost: '1.20' }] });
  l.adjust({ workspace_id: 2, items: [{ product_id: 2, quantity: '-3', reason: 'lost' }] });
  l.setMinimum({ product_id: 1, workspace_id: 2, minimum_quantity: '40' });
  const apples = l.productStock(1);
  const report = l.report({ filter: { workspace_id: 1, product_id: 1, type: 'sale' } });
  const out = {
    apples: Object.fromEntries([...apples.data.map((r) => [r.workspace_name, r.quantity]), ['Total', apples.total_quantity]]),
    movements: l.stats().movements,
    summary: report.summary[0],
    saleCount: report.total,
    lowStock: l.lowStock({ workspace_id: 2 }).data.map((r) => `${r.product.name}:${r.quantity}`),
  };
  l.close();
  return out;
})();

test('the page loads with the core, from 127.0.0.1 only', async () => {
  assert.match(await page.textContent('#status'), /Ready: 0 workspaces, 0 products, 0 movements/);
  const wasm = guard.requests.filter((u) => u.endsWith('.wasm'));
  assert.deepEqual(wasm, [`${origin}/stockroom/dist/wasm/stockroom-core.wasm`]);
  await page.screenshot({ path: join(shots, '01-empty-catalog.png'), fullPage: true });
});

test('catalog: two workspaces and two products (decimals, negative stock)', async () => {
  let r = await submit('form-workspace', { Name: 'Main store' });
  assert.match(r.ok, /Added workspace Main store \(id 1\)/);
  r = await submit('form-workspace', { Workspace: 'New workspace', Name: 'Warehouse' });
  assert.match(r.ok, /Added workspace Warehouse \(id 2\)/);
  r = await submit('form-workspace', { Workspace: 'New workspace', Name: 'warehouse' });
  assert.match(r.error, /already a workspace called warehouse/);

  r = await submit('form-product', { SKU: 'APL-1', Name: 'Apples', 'Decimal places': '2 (e.g. 1.50)' });
  assert.match(r.ok, /Added product Apples \(APL-1\), id 1/);
  r = await submit('form-product', {
    Product: 'New product', SKU: 'BLT-9', Name: 'Bolts', 'Decimal places': '0 (whole units)',
    'Allow negative stock (sell or adjust below zero)': true,
  });
  assert.match(r.ok, /Added product Bolts \(BLT-9\), id 2/);
  // A refused product: the error is under the form and under the field.
  r = await submit('form-product', { Product: 'New product', SKU: 'APL-1', Name: 'Pears' });
  assert.match(r.error, /SKU APL-1 is already used/);
  assert.equal(await form('form-product').getByLabel('SKU', { exact: true }).getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: join(shots, '02-catalog.png'), fullPage: true });
});

test('stock: initial stock, transfer, adjust, sale, purchase; on screen = the package', async () => {
  await goto('operations');
  let r = await submit('form-initial', {
    Workspace: 'Main store', Product: 'Apples (APL-1)', 'Quantity on hand': '120.50', 'Minimum (optional)': '20',
  });
  assert.match(r.ok, /Initial stock #1: 120\.50 Apples in Main store, now 120\.50/);
  r = await submit('form-transfer', {
    Product: 'Apples (APL-1)', 'From workspace': 'Main store', 'To workspace': 'Warehouse', Quantity: '30.25',
  });
  assert.match(r.ok, /Transfer out #2: -30\.25 Apples in Main store, now 90\.25; Transfer in #3: 30\.25 Apples in Warehouse, now 30\.25/);
  r = await submit('form-adjust', {
    Workspace: 'Main store', Product: 'Apples (APL-1)', 'Change (+ adds, − removes)': '-2.5', Reason: 'Damaged',
  });
  assert.match(r.ok, /Adjustment #4: -2\.50 Apples in Main store, now 87\.75/);
  r = await submit('form-sale', { Workspace: 'Main store', Product: 'Apples (APL-1)', 'Quantity sold': '10' });
  assert.match(r.ok, /^Invoice 1\. Recorded Sale #5: -10\.00 Apples in Main store, now 77\.75/);
  r = await submit('form-purchase', {
    Workspace: 'Warehouse', Product: 'Apples (APL-1)', 'Quantity received': '5', 'Unit cost (optional)': '1.20',
  });
  assert.match(r.ok, /Purchase #6: 5\.00 Apples in Warehouse, now 35\.25/);
  r = await submit('form-adjust', {
    Workspace: 'Warehouse', Product: 'Bolts (BLT-9)', 'Change (+ adds, − removes)': '-3', Reason: 'Lost',
  });
  assert.match(r.ok, /Adjustment #7: -3 Bolts in Warehouse, now -3/);
  // The developer panel shows the package call.
  assert.match(await form('form-adjust').locator('details.dev pre').textContent(), /^ledger\.adjust\(\{"workspace_id":2/);
  await page.screenshot({ path: join(shots, '03-record-stock.png'), fullPage: true });

  await goto('catalog');
  r = await submit('form-minimum', { Product: 'Apples (APL-1)', Workspace: 'Warehouse', 'Minimum quantity': '40' });
  assert.match(r.ok, /Minimum of Apples \(APL-1\) in Warehouse: 40\.00/);

  assert.deepEqual(await productStockOnScreen('Apples (APL-1)'), expected.apples);
  assert.match(await page.textContent('#status'), new RegExp(`${expected.movements} movements`));
});

test('errors are shown at the form, in plain words, and change nothing', async () => {
  await goto('operations');
  let r = await submit('form-transfer', {
    Product: 'Apples (APL-1)', 'From workspace': 'Warehouse', 'To workspace': 'Main store', Quantity: '1000',
  });
  assert.equal(r.ok, '');
  assert.match(r.error, /^Not enough stock: Warehouse has only 35\.25 of Apples \(APL-1\) available, and this needs 1000\.00\. Nothing was recorded\./);
  assert.match(r.error, /\(insufficient_stock\)/);
  const qty = form('form-transfer').getByLabel('Quantity', { exact: true });
  assert.equal(await qty.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'quantity');
  await page.screenshot({ path: join(shots, '04-insufficient-stock.png'), fullPage: true });

  r = await submit('form-transfer', { Quantity: '1.234' });
  assert.match(r.error, /at most 2 decimal places/);
  const fieldError = await form('form-transfer').locator(`#${await qty.getAttribute('id')}-error`).textContent();
  assert.match(fieldError, /at most 2 decimal places/);

  r = await submit('form-initial', { Workspace: 'Main store', Product: 'Apples (APL-1)', 'Quantity on hand': '5' });
  assert.match(r.error, /already set/);

  assert.deepEqual(await productStockOnScreen('Apples (APL-1)'), expected.apples);
  assert.match(await page.textContent('#status'), new RegExp(`${expected.movements} movements`));
});

test('stock views: a workspace, low-stock alerts, the report with filters and summary', async () => {
  await goto('stock');
  const view = page.locator('.view[data-view="stock"]');
  await view.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Warehouse' });
  const wsRows = await page.locator('#workspace-stock tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  assert.deepEqual(wsRows, ['Apples (APL-1)35.2540.00Low stock', 'Bolts (BLT-9)-30Out of stock']);
  const alerts = await page.locator('#low-stock li').allTextContents();
  assert.equal(alerts.length, expected.lowStock.length);
  assert.match(alerts.join('\n'), /Apples \(APL-1\) in Warehouse: 35\.25 left, minimum 40\.00, short by 4\.75/);
  assert.match(alerts.join('\n'), /Bolts \(BLT-9\) in Warehouse: -3 left/);
  assert.equal(await page.textContent('#low-badge'), String(expected.lowStock.length));
  await page.screenshot({ path: join(shots, '05-stock-levels.png'), fullPage: true });

  await goto('report');
  const report = form('form-report');
  await report.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Main store' });
  await report.getByLabel('Product', { exact: true }).selectOption({ label: 'Apples (APL-1)' });
  await report.getByLabel('Sale', { exact: true }).check();
  await report.locator('button[type="submit"]').click();
  const out = page.locator('#report-output');
  await out.locator('h3', { hasText: `Movements (${expected.saleCount})` }).waitFor();
  const summary = await out.locator('table').first().locator('tbody tr').first().locator('td').allTextContents();
  const s = expected.summary;
  assert.deepEqual(summary.slice(0, 6), ['Apples (APL-1)', s.opening_balance, s.quantity_in, s.quantity_out, s.net, s.closing_balance]);
  const types = await out.locator('table').nth(1).locator('tbody tr td:nth-child(3)').allTextContents();
  assert.deepEqual(types, ['Sale']);
  await page.screenshot({ path: join(shots, '06-report.png'), fullPage: true });

  // A bad filter is shown at the report form, under the field.
  const today = new Date().toISOString().slice(0, 10);
  const r = await submit('form-report', { 'From date': today, 'To date': '2000-01-01' });
  assert.match(r.error, /end date must be a date after or equal to the start date/);
  assert.equal(await report.getByLabel('To date', { exact: true }).getAttribute('aria-invalid'), 'true');
});

test('chart: one line per workspace, drawn on a canvas', async () => {
  await goto('chart');
  const view = page.locator('.view[data-view="chart"]');
  await view.getByLabel('Product', { exact: true }).selectOption({ label: 'Apples (APL-1)' });
  await page.locator('#level-chart canvas').waitFor();
  const legend = await page.locator('#level-chart .u-legend .u-series .u-label').allTextContents();
  assert.deepEqual(legend, ['Time', 'Main store', 'Warehouse']);
  const pixels = await page.locator('#level-chart canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let inked = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0) { inked++; colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`); }
    }
    return { inked, colours: colours.size, width: c.width, height: c.height };
  });
  assert.ok(pixels.width > 200 && pixels.height > 100, `canvas ${pixels.width}x${pixels.height}`);
  assert.ok(pixels.inked > 500, `non-blank pixels: ${pixels.inked}`);
  assert.ok(pixels.colours > 2, 'the lines have colours');
  assert.match(await page.textContent('.chart-legend-note'), /Main store 77\.75, Warehouse 35\.25/);
  await page.screenshot({ path: join(shots, '07-chart.png'), fullPage: true });
});

test('a reload, then closing and reopening the browser, keeps everything', async () => {
  await page.reload();
  await waitReady(page);
  assert.match(await page.textContent('#status'), new RegExp(`2 workspaces, 2 products, ${expected.movements} movements`));
  assert.deepEqual(await productStockOnScreen('Apples (APL-1)'), expected.apples);

  await browser.close();
  await open();
  assert.match(await page.textContent('#status'), new RegExp(`2 workspaces, 2 products, ${expected.movements} movements`));
  assert.deepEqual(await productStockOnScreen('Apples (APL-1)'), expected.apples);
  assert.equal(await page.textContent('#low-badge'), String(expected.lowStock.length));
  // The page still numbers the next sale after the stored ones.
  await goto('operations');
  const voidable = await form('form-void').getByLabel('Invoice', { exact: true }).locator('option').allTextContents();
  assert.deepEqual(voidable, ['Invoice 1: 10.00 Apples']);
});

test('export (JSON and CSV), erase, import: the same shop comes back', async () => {
  await goto('data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form('form-export').locator('button[type="submit"]').click(),
  ]);
  assert.match(download.suggestedFilename(), /^stockroom-\d{4}-\d\d-\d\d\.json$/);
  const file = join(shots, 'export.json');
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.format, 'stockroom-demo');
  assert.equal(doc.journal.trim().split('\n').length, expected.movements);
  assert.deepEqual(doc.catalog.workspaces.map((w) => w.name), ['Main store', 'Warehouse']);
  assert.equal(doc.catalog.next.invoice, 2);

  // The exported file replayed by the package in Node gives the levels seen on screen.
  const l = await openLedger();
  l.register(doc.catalog);
  assert.equal(l.replayJournal(doc.journal).appended, expected.movements);
  const replayed = l.productStock(1);
  assert.deepEqual(Object.fromEntries([...replayed.data.map((r) => [r.workspace_name, r.quantity]),
    ['Total', replayed.total_quantity]]), expected.apples);
  l.close();

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const csvFile = join(shots, 'levels.csv');
  await csvDownload.saveAs(csvFile);
  const csv = readFileSync(csvFile, 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'workspace_id,workspace,product_id,sku,product,quantity,minimum_quantity,status');
  assert.ok(csv.includes('1,Main store,1,APL-1,Apples,77.75,20.00,in_stock'), csv.join('\n'));
  assert.ok(csv.includes('2,Warehouse,2,BLT-9,Bolts,-3,0,out_of_stock'), csv.join('\n'));

  // A file that is not an export is refused where it was chosen, and nothing changes.
  const bad = join(shots, 'not-an-export.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, JSON.stringify({ ...doc, journal: doc.journal.replace(/^1\t/, '9\t') }));
  await form('form-import').getByLabel('Export file to import').setInputFiles(bad);
  let r = await submit('form-import', {});
  assert.match(r.error, /journal in the file cannot be replayed/);
  assert.match(await page.textContent('#status'), new RegExp(`${expected.movements} movements`));

  r = await submit('form-erase', { 'Yes, erase every workspace, product and movement in this browser': true });
  assert.match(r.ok, /Everything was erased/);
  assert.match(await page.textContent('#status'), /Ready: 0 workspaces, 0 products, 0 movements/);

  await form('form-import').getByLabel('Export file to import').setInputFiles(file);
  r = await submit('form-import', {});
  assert.match(r.ok, new RegExp(`2 workspaces, 2 products, ${expected.movements} movements`));
  assert.deepEqual(await productStockOnScreen('Apples (APL-1)'), expected.apples);

  // ... and it was stored: it survives a reload, and the next sale takes invoice 2.
  await page.reload();
  await waitReady(page);
  assert.match(await page.textContent('#status'), new RegExp(`${expected.movements} movements`));
  await goto('operations');
  r = await submit('form-sale', { Workspace: 'Main store', Product: 'Apples (APL-1)', 'Quantity sold': '0.75' });
  assert.match(r.ok, /^Invoice 2\. Recorded Sale #8: -0\.75 Apples in Main store, now 77\.00/);
  r = await submit('form-void', { Invoice: 'Invoice 2: 0.75 Apples' });
  assert.match(r.ok, /Sale #9: 0\.75 Apples in Main store, now 77\.75/);
  r = await submit('form-void', {});
  assert.equal(r.error, '');  // invoice 1 is still open, and now the only one
  assert.match(r.ok, /Sale #10: 10\.00 Apples in Main store, now 87\.75/);
  r = await submit('form-count', { Workspace: 'Main store', Product: 'Apples (APL-1)', 'Counted quantity': '87' });
  assert.match(r.ok, /Adjustment #11: -0\.75 Apples in Main store, now 87\.00/);
  await goto('data');
  await page.screenshot({ path: join(shots, '08-data.png'), fullPage: true });
});

test('usable: labels on every control, keyboard only, 375px wide', async () => {
  for (const view of ['catalog', 'operations', 'stock', 'report', 'chart', 'data']) {
    await goto(view);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !el.closest('.uplot'))
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, [], `${view}: controls without a label`);
  }

  // Keyboard: the skip link comes first, the tabs are links, a form submits with Enter.
  await page.goto(`${origin}/#catalog`);
  await page.reload();  // a fresh load: focus starts at the top of the document
  await waitReady(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.view), 'catalog');
  await form('form-workspace').getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type('Van 1');
  await page.keyboard.press('Enter');
  await form('form-workspace').locator('.form-ok', { hasText: 'Added workspace Van 1 (id 3)' }).waitFor();
  // From the name field, Tab reaches the checkbox and then the submit button.
  await form('form-workspace').getByLabel('Name', { exact: true }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Save workspace');

  // A phone-sized screen: nothing wider than the screen, in every view.
  await page.setViewportSize({ width: 375, height: 812 });
  for (const view of ['catalog', 'operations', 'stock', 'report', 'chart', 'data']) {
    await goto(view);
    if (view === 'chart') await page.locator('#level-chart canvas').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `${view} is ${width}px wide at 375px`);
    if (['operations', 'stock', 'chart'].includes(view)) {
      await page.screenshot({ path: join(shots, `09-phone-${view}.png`), fullPage: true });
    }
  }
});

test('no request left 127.0.0.1, and the console is clean', () => {
  const blocked = guards.flatMap((g) => g.blocked);
  assert.deepEqual(blocked, []);
  assert.equal(blocked.length, 0);
  assert.deepEqual(guards.flatMap(badConsoleLines), []);
  assert.ok(guards.every((g) => g.requests.every((u) => u.startsWith(`${origin}/`) || /^(data|blob):/.test(u))));
});
