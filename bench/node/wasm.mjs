// The core through the `stockroom` package (WebAssembly) in Node, on the workload files of bench_data:
// the same commands, journals and questions as bench/core_bench.cc. Medians over --runs.
//
//   node bench/node/wasm.mjs --data=DIR [--sizes=1000000,10000000] [--commands=200000] [--runs=5]
//        [--min-ms=300] [--out=results.json]
import { openLedger } from 'stockroom';
import { AS_OF, LOW_STOCK_WORKSPACE, PRODUCTS, REPORT, WORKSPACES, log, parseArgs, perCall, repeat, sizesOf, timeOnce, workload, writeJson } from './lib.mjs';

const args = parseArgs();
const data = workload(args.data ?? 'build/bench/data');
const sizes = sizesOf(args.sizes, '1000000,10000000');
const commandCount = Number(args.commands ?? 200000);
const runs = Number(args.runs ?? 5);
const minMs = Number(args['min-ms'] ?? 300);
const catalog = data.catalog();
const { op: _op, ...register } = catalog;

const METHOD = { initial_stock: 'initialStock', purchase: 'purchase', sell: 'sell', transfer: 'transfer', adjust: 'adjust' };

async function freshLedger() {
  const ledger = await openLedger();
  ledger.register(register);
  return ledger;
}

const results = { layer: 'wasm', node: process.version, runs, benchmarks: {} };
const put = (name, unit, r, extra = {}) => {
  results.benchmarks[name] = { unit, median: r.median, runs: r.runs, ...extra };
  log(`wasm ${name}: ${r.median.toFixed(unit === 'us' ? 2 : 0)} ${unit}`);
};

// ---- commands applied per second (one protocol request per command, as a package user calls it)
{
  const commands = data.commands(commandCount);
  const ledgers = [];
  for (let i = 0; i < runs; i++) ledgers.push(await freshLedger());
  const r = repeat(runs, (i) => {
    const l = ledgers[i];
    const { ms } = timeOnce(() => {
      for (const c of commands) {
        try { l[METHOD[c.op]](c); } catch (e) { if (e?.name !== 'StockroomError') throw e; }
      }
    });
    l.close();
    return commands.length / (ms / 1e3);
  });
  put(`ApplyCommands/${label(commandCount)}`, 'commands_per_s', r);
}

for (const n of sizes) {
  const s = label(n);
  const chunks = data.journalChunks(n);
  // ---- journal replay
  let ledger = null; let movements = 0;
  const rates = [];
  for (let i = 0; i < (n >= 5e6 ? Math.min(runs, 3) : runs); i++) {
    ledger?.close();
    ledger = await freshLedger();
    const { ms } = timeOnce(() => { movements = 0; for (const c of chunks) movements += ledger.replayJournal(c).appended; });
    rates.push(movements / (ms / 1e3));
  }
  // The median leaves out the process's first replay, which at the first size runs before V8 has
  // optimized the parser (bench/NOTES.md, session 12): that one is what a service pays at startup.
  put(`ReplayJournal/${s}`, 'movements_per_s', { median: median(rates), runs: rates }, { movements, first: rates[0] });
  // ---- reads over the replayed ledger
  const reportQuery = { filter: { workspace_id: REPORT.workspace_id, start_date: REPORT.start_date, end_date: REPORT.end_date }, per_page: 1 };
  let rows = 0;
  put(`ReportWorkspaceMonth/${s}`, 'us', repeat(runs, () => perCall(() => { rows = ledger.report(reportQuery).summary.length; }, { minMs })), { rows });
  let lowRows = 0;
  put(`LowStock/${s}`, 'us', repeat(runs, () => perCall(() => { lowRows = ledger.lowStock({ workspace_id: LOW_STOCK_WORKSPACE, per_page: 100 }).total; }, { minMs })), { rows: lowRows });
  put(`ProductStock/${s}`, 'us', repeat(runs, () => perCall((i) => ledger.productStock(1 + (i % PRODUCTS)), { minMs })));
  put(`LevelAsOf/${s}`, 'us', repeat(runs, () => perCall((i) => ledger.levelAsOf({ product_id: 1 + (i % PRODUCTS), workspace_id: 1 + (i % WORKSPACES), as_of: AS_OF - 1 }), { minMs })));
  ledger.close(); ledger = null;
}

function label(n) { return n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n); }
function median(v) { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }

writeJson(args.out, results);
