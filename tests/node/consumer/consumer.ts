// Type-checks a user of every public API of 'stockroom' against wasm/js/index.d.ts:
//   npx tsc --noEmit -p tests/node/consumer
// Never run; only compiled. The @ts-expect-error lines prove that the types refuse misuse.
import {
  openLedger, Ledger, StockroomError, isStockroomError, ERROR_CODES, ERROR_DESCRIPTIONS,
  PACKAGE_ERROR_CODES,
  type CommandResult, type CoreErrorCode, type Movement, type ProtocolResponse, type StockroomErrorCode,
  type Checkpoint, type Report, type ProductStock, type LowStockEntry, type LevelEntry,
  type OpenLedgerOptions, type QuantityInput, type StockDetails,
} from 'stockroom';

async function main(): Promise<void> {
  const options: OpenLedgerOptions = { wasmUrl: new URL('https://example.com/stockroom-core.wasm') };
  const ledger: Ledger = await openLedger(options);
  const other = await openLedger();

  ledger.register({
    workspaces: [{ id: 1, name: 'Main' }, { id: 2, name: 'Back', active: true }],
    products: [{ id: 7, sku: 'A-1', name: 'Apple', decimals: 2, track_inventory: true, allow_negative_stock: false }],
    minimums: [{ product_id: 7, workspace_id: 1, minimum_quantity: '5' }],
  });

  const actor = { id: 5, name: 'John Doe' };
  const q: QuantityInput[] = ['12.5', 12n, 3];
  const init: CommandResult = ledger.initialStock({
    workspace_id: 1, actor, at: Date.now(), reference: 'INIT', notes: null,
    items: [{ product_id: 7, quantity: q[0]!, cost_per_unit: '2.50', minimum_quantity: 5 }],
  });
  const journalText: string = init.journal;
  const firstMovement: Movement | undefined = init.movements[0];
  const balance: string | undefined = firstMovement?.balance_after;
  ledger.adjust({ workspace_id: 1, at: new Date(), items: [{ product_id: 7, quantity: '-1', reason: 'damaged', expected_quantity: '12.50' }] });
  ledger.transfer({ product_id: 7, from_workspace_id: 1, to_workspace_id: 2, quantity: 1n, at: '2026-03-20T10:30:00.000Z' });
  ledger.sell({ workspace_id: 1, invoice_id: 42, lines: [{ product_id: 7, quantity: '1' }], actor: null });
  ledger.voidSale({ invoice_id: 42, notes: 'returned' });
  ledger.purchase({ workspace_id: 1, items: [{ product_id: 7, quantity: 10, unit_cost: '0.0125' }], reference: 'PO-1' });
  ledger.count({ workspace_id: 1, items: [{ product_id: 7, quantity: '20' }] });
  const minimums = ledger.setMinimum({ product_id: 7, workspace_id: 1, minimum_quantity: '3' }).minimums;

  const one: Movement = ledger.getMovement(1).movement;
  const page = ledger.listMovements({ filter: { workspace_id: 1, type: ['sale', 'purchase'], start_date: '2026-01-01' }, per_page: 100, sort: '-id' });
  const total: number = page.total;
  const report: Report = ledger.report({ filter: { workspace_id: 1, end_date: '2026-12-31' } });
  const closing: string | undefined = report.summary[0]?.closing_balance;
  const stock: ProductStock = ledger.productStock(7);
  const levels: LevelEntry[] = ledger.workspaceLevels({ workspace_id: 1, as_of_date: '2026-03-20' }).data;
  const low: LowStockEntry[] = ledger.lowStock({ workspace_id: 1, page: 1, per_page: 15 }).data;
  const level: string = ledger.levelAsOf({ product_id: 7, workspace_id: 1, as_of: Date.now() }).quantity;

  const mark = ledger.checkpoint();
  const cp: Checkpoint = mark.checkpoint;
  ledger.rollback(mark);
  ledger.rollback(cp);
  const diffs = ledger.verify().differences.length;
  const { movements, last_movement_id } = ledger.stats();

  const journal: string = ledger.exportJournal();
  ledger.exportJournal(10);
  ledger.exportJournal(10n);
  const appended: number = other.replayJournal(journal).appended;

  const raw: ProtocolResponse = ledger.request({ op: 'stats' });
  if (raw.ok) {
    const m = raw['movements'];
    void m;
  } else {
    const code: CoreErrorCode | string = raw.error.code;
    void code;
  }

  try {
    ledger.sell({ workspace_id: 1, invoice_id: 43, lines: [{ product_id: 7, quantity: '999' }] });
  } catch (e) {
    if (isStockroomError(e, 'insufficient_stock')) {
      const details: StockDetails | null = e.details;
      const fields: string[] | undefined = e.errors['lines.0.quantity'];
      void details; void fields;
    }
    if (e instanceof StockroomError) {
      const code: StockroomErrorCode = e.code;
      switch (code) {
        case 'closed': break;
        case 'stale_quantity': break;
        default: break;
      }
      void e.toJSON().message;
    }
  }
  const codes: readonly CoreErrorCode[] = ERROR_CODES;
  const description: string = ERROR_DESCRIPTIONS.bad_request;
  const pkgCodes: readonly string[] = PACKAGE_ERROR_CODES;
  const custom = new StockroomError('validation_failed', 'bad', { errors: { x: ['y'] } });

  // @ts-expect-error quantities are strings, bigints or numbers, not booleans
  ledger.purchase({ workspace_id: 1, items: [{ product_id: 7, quantity: true }] });
  // @ts-expect-error an adjustment needs a reason
  ledger.adjust({ workspace_id: 1, items: [{ product_id: 7, quantity: '1' }] });
  // @ts-expect-error not a reason
  ledger.adjust({ workspace_id: 1, items: [{ product_id: 7, quantity: '1', reason: 'stolen' }] });
  // @ts-expect-error a report needs filter.workspace_id
  ledger.report({ filter: {} });
  // @ts-expect-error Ledger is created by openLedger() only
  new Ledger();
  // @ts-expect-error closed is read-only
  ledger.closed = true;

  ledger.close();
  other.close();
  const isClosed: boolean = ledger.closed;
  void [journalText, balance, minimums, one, total, closing, stock, levels, low, level, diffs, movements,
    last_movement_id, appended, codes, description, pkgCodes, custom, isClosed];
}

void main();
