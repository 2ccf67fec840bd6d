// The baseline a user would pick instead of the core: the same catalog and journal in SQLite
// (better-sqlite3, WAL, a file on disk) with the indexes such an app would have, answering the same
// questions in SQL: the report summary of one workspace over a month, low stock, one product's stock in
// every workspace, and a level as of a date. Medians over --runs.
//
//   node bench/node/sqlite.mjs --data=DIR [--sizes=1000000] [--runs=5] [--min-ms=300] [--db-dir=DIR] [--out=..]
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AS_OF, LOW_STOCK_WORKSPACE, PRODUCTS, REPORT, WORKSPACES, log, parseArgs, perCall, repeat, sizesOf, timeOnce, workload, writeJson } from './lib.mjs';

const args = parseArgs();
const data = workload(args.data ?? 'build/bench/data');
const sizes = sizesOf(args.sizes, '1000000');
const runs = Number(args.runs ?? 5);
const minMs = Number(args['min-ms'] ?? 300);
const dbDir = args['db-dir'] ?? data.dir;

export const SCHEMA = `
  CREATE TABLE workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
  CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, decimals INTEGER NOT NULL,
    track_inventory INTEGER NOT NULL DEFAULT 1, active INTEGER NOT NULL DEFAULT 1);
  CREATE TABLE movements (id INTEGER PRIMARY KEY, type TEXT NOT NULL, product_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL, from_workspace_id INTEGER, to_workspace_id INTEGER, reason TEXT, invoice_id INTEGER,
    unit_cost INTEGER, linked_movement_id INTEGER, actor_id INTEGER, actor_name TEXT, created_at INTEGER NOT NULL,
    reference TEXT, notes TEXT);
  -- one row per product and workspace, kept up to date by every write (what a Laravel/Rails app keeps)
  CREATE TABLE stock_levels (product_id INTEGER NOT NULL, workspace_id INTEGER NOT NULL, quantity INTEGER NOT NULL DEFAULT 0,
    minimum_quantity INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (product_id, workspace_id)) WITHOUT ROWID;
  CREATE INDEX stock_levels_workspace ON stock_levels (workspace_id);
`;
// created after the bulk load (as a migration on an existing table would)
export const INDEXES = `
  -- the report (one workspace, grouped by product, a time range) and levels as of a date (one product
  -- and workspace, before a time) both walk this index in order
  CREATE INDEX movements_workspace_product_time ON movements (workspace_id, product_id, created_at, quantity, type);
  CREATE INDEX movements_time ON movements (created_at);
`;

const num = (s) => (s === '' ? null : Number(s));

/** Loads catalog + journal into a fresh database file; returns { db, loadMs }. */
function load(n) {
  const file = path.join(dbDir, `sqlite-${n}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('cache_size = -262144'); // 256 MiB: the working set stays in SQLite's cache, as the core's does in RAM
  db.exec(SCHEMA);
  const catalog = data.catalog();
  const t0 = process.hrtime.bigint();
  db.transaction(() => {
    const ws = db.prepare('INSERT INTO workspaces (id, name, active) VALUES (?, ?, 1)');
    for (const w of catalog.workspaces) ws.run(w.id, w.name);
    const pr = db.prepare('INSERT INTO products (id, sku, name, decimals) VALUES (?, ?, ?, ?)');
    for (const p of catalog.products) pr.run(p.id, p.sku, p.name, p.decimals ?? 2);
    const mins = db.prepare('INSERT INTO stock_levels (product_id, workspace_id, minimum_quantity) VALUES (?, ?, ?)');
    for (const m of catalog.minimums) mins.run(m.product_id, m.workspace_id, Math.round(Number(m.minimum_quantity) * 10000));
  })();
  const ins = db.prepare(`INSERT INTO movements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const level = db.prepare(`INSERT INTO stock_levels (product_id, workspace_id, quantity) VALUES (?, ?, ?)
    ON CONFLICT (product_id, workspace_id) DO UPDATE SET quantity = quantity + excluded.quantity`);
  let movements = 0;
  for (const chunk of data.journalChunks(n)) {
    db.transaction(() => {
      let start = 0;
      while (start < chunk.length) {
        const end = chunk.indexOf('\n', start);
        const f = chunk.slice(start, end).split('\t');
        start = end + 1;
        ins.run(Number(f[0]), f[1], Number(f[2]), Number(f[3]), Number(f[4]), num(f[5]), num(f[6]), f[7] || null, num(f[8]),
          num(f[9]), num(f[10]), num(f[11]), f[12] || null, Number(f[13]), f[14] || null, f[15] || null);
        level.run(Number(f[2]), Number(f[3]), Number(f[4]));
        movements += 1;
      }
    })();
  }
  db.exec(INDEXES);
  db.exec('ANALYZE');
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { db, loadMs, movements, file };
}

// The report summary: per product of the workspace with a movement in [from, until) or a non-zero opening
// balance: opening, in, out, net, closing, counts per type (the core's `report` summary).
// One pass over the workspace's movements up to the end of the window (index workspace_id, created_at),
// grouped by product; the written-out single-query form a careful developer would reach for.
const REPORT_SQL = `
  SELECT m.product_id, p.name, p.sku, @ws AS workspace_id,
    SUM(CASE WHEN m.created_at < @from THEN m.quantity ELSE 0 END) AS opening_balance,
    SUM(CASE WHEN m.created_at >= @from AND m.quantity > 0 THEN m.quantity ELSE 0 END) AS quantity_in,
    SUM(CASE WHEN m.created_at >= @from AND m.quantity < 0 THEN -m.quantity ELSE 0 END) AS quantity_out,
    SUM(CASE WHEN m.created_at >= @from THEN m.quantity ELSE 0 END) AS net,
    SUM(m.quantity) AS closing_balance,
    SUM(m.created_at >= @from AND m.type = 'initial_stock') AS n_initial, SUM(m.created_at >= @from AND m.type = 'purchase') AS n_purchase,
    SUM(m.created_at >= @from AND m.type = 'sale') AS n_sale, SUM(m.created_at >= @from AND m.type = 'transfer_out') AS n_out,
    SUM(m.created_at >= @from AND m.type = 'transfer_in') AS n_in, SUM(m.created_at >= @from AND m.type = 'adjustment') AS n_adjustment
  FROM movements m JOIN products p ON p.id = m.product_id
  WHERE m.workspace_id = @ws AND m.created_at < @until
  GROUP BY m.product_id
  HAVING SUM(m.created_at >= @from) > 0 OR opening_balance <> 0
  ORDER BY m.product_id`;

const LOW_STOCK_SQL = `
  SELECT l.product_id, p.name, p.sku, l.workspace_id, l.quantity, l.minimum_quantity, l.minimum_quantity - l.quantity AS shortage
  FROM stock_levels l JOIN products p ON p.id = l.product_id
  WHERE l.workspace_id = ? AND p.track_inventory = 1 AND p.active = 1
    AND ((l.minimum_quantity > 0 AND l.quantity <= l.minimum_quantity) OR l.quantity < 0)
  ORDER BY shortage DESC, l.product_id`;

const PRODUCT_STOCK_SQL = `
  SELECT w.id AS workspace_id, w.name AS workspace_name, COALESCE(l.quantity, 0) AS quantity,
    COALESCE(l.minimum_quantity, 0) AS minimum_quantity
  FROM workspaces w LEFT JOIN stock_levels l ON l.workspace_id = w.id AND l.product_id = ?
  ORDER BY w.id`;

const LEVEL_AS_OF_SQL = `
  SELECT COALESCE(SUM(quantity), 0) AS quantity FROM movements
  WHERE workspace_id = ? AND product_id = ? AND created_at < ?`;

const results = { layer: 'sqlite', sqlite: null, runs, benchmarks: {} };
const put = (name, unit, r, extra = {}) => {
  results.benchmarks[name] = { unit, median: r.median, runs: r.runs, ...extra };
  log(`sqlite ${name}: ${r.median.toFixed(unit === 'us' ? 2 : 0)} ${unit}`);
};
const label = (n) => (n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

for (const n of sizes) {
  const s = label(n);
  const { db, loadMs, movements, file } = load(n);
  results.sqlite = db.prepare('SELECT sqlite_version() AS v').get().v;
  put(`Load/${s}`, 'movements_per_s', { median: movements / (loadMs / 1e3), runs: [movements / (loadMs / 1e3)] }, { movements });
  const report = db.prepare(REPORT_SQL); const low = db.prepare(LOW_STOCK_SQL);
  const stock = db.prepare(PRODUCT_STOCK_SQL); const asOf = db.prepare(LEVEL_AS_OF_SQL);
  const params = { ws: REPORT.workspace_id, from: REPORT.from, until: REPORT.until };
  let rows = 0;
  put(`ReportWorkspaceMonth/${s}`, 'us', repeat(runs, () => perCall(() => { rows = report.all(params).length; }, { minMs })), { rows });
  let lowRows = 0;
  put(`LowStock/${s}`, 'us', repeat(runs, () => perCall(() => { lowRows = low.all(LOW_STOCK_WORKSPACE).length; }, { minMs })), { rows: lowRows });
  put(`ProductStock/${s}`, 'us', repeat(runs, () => perCall((i) => stock.all(1 + (i % PRODUCTS)), { minMs })));
  put(`LevelAsOf/${s}`, 'us', repeat(runs, () => perCall((i) => asOf.get(1 + (i % WORKSPACES), 1 + (i % PRODUCTS), AS_OF), { minMs })));
  results.benchmarks[`Load/${s}`].bytes = fs.statSync(file).size;
  db.close();
  if (!args.keep) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}
void timeOnce;
writeJson(args.out, results);
