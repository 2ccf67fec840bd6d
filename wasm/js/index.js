// stockroom: an exact, append-only, multi-workspace stock ledger (C++ compiled to WebAssembly).
//
//   import { openLedger, StockroomError } from 'stockroom';
//   const ledger = await openLedger();
//   ledger.register({ workspaces: [{ id: 1, name: 'Main' }], products: [{ id: 7, sku: 'A-1', name: 'Apple' }] });
//   ledger.purchase({ workspace_id: 1, items: [{ product_id: 7, quantity: '12.5' }] });
//   ledger.close();
//
// Types and documentation: index.d.ts. Protocol: docs/core-protocol.md in the repository.

import { loadCore } from './core.js';
import { createLedger } from './ledger.js';

export { Ledger } from './ledger.js';
export {
  ERROR_CODES, ERROR_DESCRIPTIONS, PACKAGE_ERROR_CODES, StockroomError, isStockroomError,
} from './errors.js';

/**
 * Opens a new, empty ledger (one C++ ledger; e.g. one per organization). The WebAssembly module is
 * loaded on the first call and shared by every ledger of the process; `options` matter only then.
 */
export async function openLedger(options = {}) {
  const core = await loadCore(options ?? {});
  return createLedger(core);
}
