// Measures the package: artefact sizes, module load time (fresh process), and the 1M-movement
// journal replay/export through the public API, in wall time and CPU time (the CPU time is the
// steadier number on a shared machine).
//   node wasm/bench/bench.mjs [count=1000000] [runs=3]
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

import { openLedger } from 'stockroom';
import { journalCatalog, makeJournal } from '../../tests/node/support/journal.js';

const count = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const dist = fileURLToPath(new URL('../../dist/wasm/', import.meta.url));

for (const file of ['stockroom-core.mjs', 'stockroom-core.wasm']) {
  const bytes = readFileSync(dist + file);
  console.log(`${file}: ${statSync(dist + file).size} B (gzip -9 ${gzipSync(bytes, { level: 9 }).length} B)`);
}

const loads = [];
for (let i = 0; i < 5; i++) {
  const out = execFileSync('node', ['--input-type=module', '-e', `
    const t0 = performance.now();
    const { openLedger } = await import('stockroom');
    const l = await openLedger();
    console.log(performance.now() - t0); l.close();`], { encoding: 'utf8' });
  loads.push(Number(out.trim()));
}
loads.sort((a, b) => a - b);
console.log(`load (import + instantiate + first ledger, fresh process): median ${loads[2].toFixed(1)} ms, min ${loads[0].toFixed(1)} ms`);

const journal = makeJournal(count);
const time = (fn) => {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0; const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
};
const fmt = (r) => `${r.wall.toFixed(0)} ms wall / ${r.cpu.toFixed(0)} ms cpu`;
for (let i = 0; i < runs; i++) {
  const ledger = await openLedger();
  ledger.register(journalCatalog());
  const replay = time(() => ledger.replayJournal(journal));
  const exported = time(() => ledger.exportJournal());
  if (exported.value !== journal) throw new Error('export differs from the replayed journal');
  const list = time(() => ledger.listMovements({ per_page: 15 }));
  console.log(`run ${i + 1}: ${count} movements (${(journal.length / 1e6).toFixed(1)} MB): ` +
    `replay ${fmt(replay)}; export ${fmt(exported)}; list_movements page 1 ${fmt(list)}`);
  ledger.close();
}
