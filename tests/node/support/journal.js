// Builds large journals directly in the journal form (docs/journal-format.md), for replay tests
// and the 1M-movement benchmark, without running a million commands.
//
// Pattern per 4 movements, cycling over `products` products in workspaces 1 and 2:
// purchase +5 (unit cost 2.50) into ws 1, sale -1 (an invoice) from ws 1, transfer_out -1 from ws 1
// linked to the following transfer_in +1 in ws 2. Levels never go below zero.

export const JOURNAL_PRODUCTS = 100;
const BASE_PRODUCT = 1000;
const T_START = Date.UTC(2026, 0, 1);

export function journalCatalog(products = JOURNAL_PRODUCTS) {
  return {
    workspaces: [{ id: 1, name: 'Main Store' }, { id: 2, name: 'Warehouse' }],
    products: Array.from({ length: products }, (_, i) => ({
      id: BASE_PRODUCT + i, sku: `SKU-${i}`, name: `Product ${i}`, decimals: 2,
    })),
  };
}

/** `count` movements (a multiple of 4 is tidiest) with ids from `firstId`. */
export function makeJournal(count, { firstId = 1, products = JOURNAL_PRODUCTS } = {}) {
  const lines = new Array(count);
  for (let k = 0; k < count; k++) {
    const id = firstId + k;
    const step = (id - 1) % 4;
    const product = BASE_PRODUCT + (Math.floor((id - 1) / 4) % products);
    const at = T_START + Math.floor((id - 1) / 2) * 1000;
    let f;
    switch (step) {
      case 0: f = [id, 'purchase', product, 1, 50000, '', 1, '', '', 25000, '', 5, 'John Doe', at, 'PO-1', '']; break;
      case 1: f = [id, 'sale', product, 1, -10000, 1, '', '', 9000 + id, '', '', 5, 'John Doe', at, '', '']; break;
      case 2: f = [id, 'transfer_out', product, 1, -10000, 1, 2, '', '', '', id + 1, '', '', at, 'TRF', 'to warehouse']; break;
      default: f = [id, 'transfer_in', product, 2, 10000, 1, 2, '', '', '', id - 1, '', '', at, 'TRF', 'to warehouse']; break;
    }
    lines[k] = f.join('\t');
  }
  return lines.join('\n') + '\n';
}
