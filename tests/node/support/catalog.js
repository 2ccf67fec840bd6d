// A small catalog shared by the package tests: three workspaces and products covering the
// decimals and tracking options. Returns the ledger for chaining.
export const WS = { main: 1, warehouse: 2, closed: 3 };
export const P = { apple: 7, flour: 8, bolt: 9, service: 10, loose: 11 };
export const T0 = Date.UTC(2026, 2, 20, 10, 30); // 2026-03-20T10:30:00.000Z

export const CATALOG = {
  workspaces: [
    { id: WS.main, name: 'Main Store' },
    { id: WS.warehouse, name: 'Warehouse' },
    { id: WS.closed, name: 'Closed Shop', active: false },
  ],
  products: [
    { id: P.apple, sku: 'APL', name: 'Apple', decimals: 2 },
    { id: P.flour, sku: 'FLR', name: 'Flour (kg)', decimals: 4 },
    { id: P.bolt, sku: 'BLT', name: 'Bolt', decimals: 0 },
    { id: P.service, sku: 'SRV', name: 'Service', track_inventory: false },
    { id: P.loose, sku: 'LSE', name: 'Loose', allow_negative_stock: true },
  ],
};

export const ACTOR = { id: 5, name: 'John Doe' };

export function withCatalog(ledger) {
  ledger.register(CATALOG);
  return ledger;
}
