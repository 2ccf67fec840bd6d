// Loads the `stockroom` package (the WASM core's JS wrapper) once per process.
// STOCKROOM_LEDGER_MODULE may name another module exporting openLedger (development and tests only).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ENTRY = path.resolve(here, '../../wasm/js/index.js');

let cached = null;
export async function loadPackage() {
  if (!cached) {
    const target = process.env.STOCKROOM_LEDGER_MODULE
      ? pathToFileURL(path.resolve(process.env.STOCKROOM_LEDGER_MODULE)).href
      : pathToFileURL(PACKAGE_ENTRY).href;
    cached = import(target);
  }
  return cached;
}

export async function loadOpenLedger() {
  const pkg = await loadPackage();
  if (typeof pkg.openLedger !== 'function') throw new Error('the stockroom package exports no openLedger');
  return pkg.openLedger;
}
