// Writes the benchmark journal of tests/node/package-journal.test.js to <prefix>.tsv and its
// catalog (a `register` request) to <prefix>.catalog.json, for wasm/bench/replay_native.cc.
//   node wasm/bench/make-journal.mjs /tmp/journal-1m [count=1000000]
import { writeFileSync } from 'node:fs';
import { journalCatalog, makeJournal } from '../../tests/node/support/journal.js';

const [prefix = 'dist/bench/journal-1m', count = '1000000'] = process.argv.slice(2);
writeFileSync(`${prefix}.catalog.json`, JSON.stringify({ op: 'register', ...journalCatalog() }));
writeFileSync(`${prefix}.tsv`, makeJournal(Number(count)));
console.log(`wrote ${prefix}.tsv and ${prefix}.catalog.json`);
