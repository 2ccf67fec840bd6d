/**
 * stockroom: an exact, append-only, multi-workspace stock ledger. The rules run in a C++ core
 * compiled to WebAssembly; this package is its typed JavaScript face.
 *
 * Conventions:
 * - Method names are camelCase; data objects keep the protocol's snake_case member names, so they
 *   match the REST API and the fixtures (docs/core-protocol.md in the repository).
 * - **Quantities and money** are exact decimals. Answers carry them as strings with exactly the
 *   product's `decimals` places (`"-50.00"`); money with 2 to 4 places (`"2.50"`, `"0.0125"`).
 *   In commands, a decimal **string is the exact form**; a bigint is a whole number; a JS number
 *   is accepted only when `String(n)` is a plain decimal (finite, no exponent), and is sent as that
 *   string, otherwise the method throws `validation_failed` on that field.
 * - **Times** (`at`, `as_of`) are milliseconds since the epoch (UTC), an RFC 3339 string, or a
 *   `Date`. Answers give RFC 3339 with milliseconds. **Dates** are whole UTC days `"YYYY-MM-DD"`.
 * - **Ids** of products and workspaces are the host's positive integers; movement ids are assigned
 *   by the ledger, 1, 2, 3, ... A bigint id is sent as its decimal string.
 * - Every method is synchronous once the ledger is open. A failure is thrown as a
 *   {@link StockroomError}; a success returns the core's answer without its `ok` member.
 * - **Ownership**: each Ledger owns a C++ object in the WebAssembly heap. Call {@link Ledger.close}
 *   when done; a Ledger that is garbage-collected without close() is freed eventually (not
 *   promptly). Nothing else needs freeing.
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------------------------
// Values

/** A decimal string such as `"12.5"` or `"-3"` (the exact form of a quantity or amount). */
export type DecimalString = string;
/** What commands accept for a quantity or money: a decimal string (exact), a bigint, or a plain finite number. */
export type QuantityInput = DecimalString | bigint | number;
/** A product, workspace, invoice or movement id: a positive integer (a bigint or digit string is accepted too). */
export type IdInput = number | bigint | string;
/** Milliseconds since the epoch (UTC), an RFC 3339 string (`"2026-03-20T10:30:00.000Z"`), or a Date. */
export type TimeInput = number | string | Date;
/** A whole UTC day, `"YYYY-MM-DD"`. */
export type DateString = string;
/** RFC 3339 UTC with milliseconds, as the core writes it: `"2026-03-20T10:30:00.000Z"`. */
export type Timestamp = string;

export type MovementType =
  | 'initial_stock' | 'purchase' | 'sale' | 'transfer_out' | 'transfer_in' | 'adjustment';
export type AdjustmentReason = 'damaged' | 'lost' | 'found' | 'recount' | 'other';
/** `out_of_stock` when the level is zero or below, else `low_stock` at or below a minimum above zero, else `in_stock`. */
export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

/** Who acted: passed by the host with every command. Absent or null means a system action. */
export interface Actor {
  id: IdInput;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Catalog

export interface WorkspaceFacts {
  id: IdInput;
  name: string;
  /** Default true. Commands on an inactive workspace fail with validation_failed. */
  active?: boolean;
}

export interface ProductFacts {
  id: IdInput;
  sku: string;
  name: string;
  /** Default true. Inventory operations (all but sell) on an untracked product: product_not_tracked. */
  track_inventory?: boolean;
  /** Default false. Whether adjust and sell may take the level below zero (transfers never may). */
  allow_negative_stock?: boolean;
  /** 0 to 4, default 2: places accepted in quantities and printed in answers. Fixed once the product has movements. */
  decimals?: number;
  /** Default true. */
  active?: boolean;
}

export interface MinimumFacts {
  product_id: IdInput;
  workspace_id: IdInput;
  minimum_quantity: QuantityInput;
}

/** Catalog facts to add or replace; every member may be omitted. All or nothing. */
export interface Catalog {
  workspaces?: WorkspaceFacts[];
  products?: ProductFacts[];
  minimums?: MinimumFacts[];
}

// ---------------------------------------------------------------------------------------------
// Commands

/** Members every command accepts. */
export interface CommandBase {
  /** Who acted; absent or null for a system action (created_by is then null). */
  actor?: Actor | null;
  /**
   * When it happened. **Defaults to Date.now()** when absent: the only clock the package reads.
   * A time earlier than the ledger's latest movement is stamped with that latest time.
   */
  at?: TimeInput;
}

export interface InitialStockItem {
  product_id: IdInput;
  /** >= 0; zero writes no movement (but still sets the minimum). */
  quantity: QuantityInput;
  /** Money, up to 4 places. */
  cost_per_unit?: QuantityInput | null;
  minimum_quantity?: QuantityInput | null;
}
export interface InitialStockCommand extends CommandBase {
  workspace_id: IdInput;
  /** 1 to 500 entries, a product at most once. */
  items: InitialStockItem[];
  /** At most 100 bytes. */
  reference?: string | null;
  /** At most 500 bytes. */
  notes?: string | null;
}

export interface AdjustItem {
  product_id: IdInput;
  /** Signed, not zero. */
  quantity: QuantityInput;
  reason: AdjustmentReason;
  notes?: string | null;
  /** Optimistic concurrency: the level the caller saw; a different level fails with stale_quantity. */
  expected_quantity?: QuantityInput | null;
}
export interface AdjustCommand extends CommandBase {
  workspace_id: IdInput;
  /** 1 to 500 entries, a product at most once. */
  items: AdjustItem[];
  reference?: string | null;
}

export interface TransferCommand extends CommandBase {
  product_id: IdInput;
  from_workspace_id: IdInput;
  /** Must differ from the source and be registered and active. */
  to_workspace_id: IdInput;
  /** > 0. A transfer never takes the source below zero. */
  quantity: QuantityInput;
  reference?: string | null;
  notes?: string | null;
  /** Of the source level. */
  expected_quantity?: QuantityInput | null;
}

export interface SaleLine {
  product_id: IdInput;
  /** > 0; a product's lines are summed into one sale movement. */
  quantity: QuantityInput;
}
export interface SellCommand extends CommandBase {
  workspace_id: IdInput;
  invoice_id: IdInput;
  /** 1 to 500 lines; lines of untracked products write nothing. */
  lines: SaleLine[];
  reference?: string | null;
}

export interface VoidSaleCommand extends CommandBase {
  invoice_id: IdInput;
  notes?: string | null;
}

export interface PurchaseItem {
  product_id: IdInput;
  /** > 0. */
  quantity: QuantityInput;
  /** Money, up to 4 places. */
  unit_cost?: QuantityInput | null;
}
export interface PurchaseCommand extends CommandBase {
  workspace_id: IdInput;
  /** 1 to 500 entries. */
  items: PurchaseItem[];
  reference?: string | null;
  notes?: string | null;
}

export interface CountItem {
  product_id: IdInput;
  /** The absolute quantity found (>= 0); the difference from the level becomes a recount adjustment. */
  quantity: QuantityInput;
  notes?: string | null;
}
export interface CountCommand extends CommandBase {
  workspace_id: IdInput;
  /** 1 to 500 entries, a product at most once. */
  items: CountItem[];
  reference?: string | null;
}

export interface SetMinimumCommand extends CommandBase {
  product_id: IdInput;
  workspace_id: IdInput;
  /** >= 0. */
  minimum_quantity: QuantityInput;
}

// ---------------------------------------------------------------------------------------------
// Answers

export interface NamedRef { id: number; name: string; }
export interface ProductRef { id: number; name: string; sku: string; }

/** One entry of the append-only ledger (section 2 of API.md). */
export interface Movement {
  /** Assigned by the ledger: 1, 2, 3, ... in time order. */
  id: number;
  product_id: number;
  /** The workspace whose level changed. */
  workspace_id: number;
  type: MovementType;
  /** Signed, with exactly the product's decimals: `"-50.00"`. */
  quantity: DecimalString;
  /** The level of (product, workspace) right after this movement. */
  balance_after: DecimalString;
  from_workspace_id: number | null;
  to_workspace_id: number | null;
  reference: string | null;
  notes: string | null;
  /** Adjustments only. */
  reason: AdjustmentReason | null;
  /** Sales only. */
  invoice_id: number | null;
  /** Money, purchases and initial stock. */
  unit_cost: DecimalString | null;
  /** The other leg of a transfer, or the sale a void reverses. */
  linked_movement_id: number | null;
  /** Current catalog names. */
  product: ProductRef;
  from_workspace: NamedRef | null;
  to_workspace: NamedRef | null;
  /** Null for system actions. */
  created_by: NamedRef | null;
  created_at: Timestamp;
}

export interface MinimumChange {
  product_id: number;
  workspace_id: number;
  minimum_quantity: DecimalString;
}

/** What every successful command returns. */
export interface CommandResult {
  /** The movements written, in order (possibly none). */
  movements: Movement[];
  /** Minimums the command changed, for the host to persist. */
  minimums: MinimumChange[];
  /** The new movements in the journal form, ready to append to the host's store. */
  journal: string;
}

export interface MovementFilter {
  workspace_id?: IdInput;
  product_id?: IdInput;
  /** A type name, a comma-separated list or an array. */
  type?: MovementType | string | MovementType[];
  reason?: AdjustmentReason;
  /** Inclusive, whole UTC days. */
  start_date?: DateString;
  end_date?: DateString;
}

export type SortKey = 'created_at' | 'id' | 'quantity' | '-created_at' | '-id' | '-quantity';

export interface MovementQuery {
  filter?: MovementFilter;
  /** From 1; default 1. */
  page?: number;
  /** 1 to 10,000; default 15. */
  per_page?: number;
  /** Default `-created_at` (newest first); ties by id in the same direction. */
  sort?: SortKey;
}

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  per_page: number;
  last_page: number;
}

export interface ReportQuery extends MovementQuery {
  /** `filter.workspace_id` is required. */
  filter: MovementFilter & { workspace_id: IdInput };
}

export interface MovementTypeCounts {
  initial_stock: number;
  purchase: number;
  sale: number;
  transfer_out: number;
  transfer_in: number;
  adjustment: number;
}

/** One (product, workspace) of a report. `closing_balance = opening_balance + net` always. */
export interface ReportSummaryRow {
  product_id: number;
  product: ProductRef;
  workspace_id: number;
  opening_balance: DecimalString;
  quantity_in: DecimalString;
  quantity_out: DecimalString;
  net: DecimalString;
  closing_balance: DecimalString;
  counts: MovementTypeCounts;
}

export interface Report extends Page<Movement> {
  summary: ReportSummaryRow[];
}

export interface ProductStockEntry {
  workspace_id: number;
  workspace_name: string;
  quantity: DecimalString;
  minimum_quantity: DecimalString;
  status: StockStatus;
}
export interface ProductStock {
  product: ProductRef;
  product_id: number;
  total_quantity: DecimalString;
  /** Every registered workspace, by id. */
  data: ProductStockEntry[];
}

export interface WorkspaceLevelsQuery {
  workspace_id: IdInput;
  /** Levels at this time: after every movement at or before it. */
  as_of?: TimeInput;
  /** Levels at the end of this UTC day. */
  as_of_date?: DateString;
}
export interface LevelEntry {
  product_id: number;
  product: ProductRef;
  workspace_id: number;
  quantity: DecimalString;
  minimum_quantity: DecimalString;
  status: StockStatus;
}

export interface LowStockQuery {
  workspace_id: IdInput;
  page?: number;
  per_page?: number;
}
export interface LowStockEntry {
  product: ProductRef;
  product_id: number;
  workspace_id: number;
  quantity: DecimalString;
  minimum_quantity: DecimalString;
  /** How far below the minimum (or below zero). */
  shortage: DecimalString;
  status: StockStatus;
}

export interface LevelAsOfQuery {
  product_id: IdInput;
  workspace_id: IdInput;
  /** The level at this time: after every movement at or before it. */
  as_of?: TimeInput;
  /** The level at the end of this UTC day. */
  as_of_date?: DateString;
}

/** A point to roll back to; pass it back as it was returned. */
export interface Checkpoint {
  movements: number;
  minimum_changes: number;
  levels: number;
  texts: number;
  contexts: number;
  serial: number;
}

export interface LevelDifference {
  product_id: number;
  workspace_id: number;
  /** The level kept incrementally. */
  kept: DecimalString;
  /** The level recomputed from the movements. */
  recomputed: DecimalString;
}

export interface LedgerStats {
  movements: number;
  /** 0 when the ledger is empty. */
  last_movement_id: number;
}

// ---------------------------------------------------------------------------------------------
// The raw protocol

/** Any protocol request: `{ op, ... }` (docs/core-protocol.md). */
export interface ProtocolRequest {
  op: string;
  [member: string]: unknown;
}
/** The protocol's error object. */
export interface ProtocolError {
  code: CoreErrorCode | string;
  message: string;
  errors: FieldErrors;
  details: StockDetails | null;
}
export type ProtocolResponse =
  | ({ ok: true } & Record<string, unknown>)
  | { ok: false; error: ProtocolError };

// ---------------------------------------------------------------------------------------------
// Errors

/** The core's error codes (stable names of the C++ enum stockroom::ErrorCode). */
export type CoreErrorCode =
  | 'bad_request' | 'validation_failed' | 'not_found' | 'conflict' | 'insufficient_stock'
  | 'product_not_tracked' | 'initial_stock_already_set' | 'stale_quantity';
/** `closed`: a call on a Ledger after close(). Raised by the package, never by the core. */
export type PackageErrorCode = 'closed';
export type StockroomErrorCode = CoreErrorCode | PackageErrorCode;

/** Field path (e.g. `"items.0.quantity"`) -> the messages for that field. */
export type FieldErrors = Record<string, string[]>;

/** Attached to insufficient_stock and stale_quantity. For stale_quantity, `available` is the current level and `requested` the expected one. */
export interface StockDetails {
  product_id: number;
  workspace_id: number;
  available: DecimalString;
  requested: DecimalString;
}

/** Every core error code, in the C++ declaration order. */
export const ERROR_CODES: readonly CoreErrorCode[];
/** What each core error code means. */
export const ERROR_DESCRIPTIONS: Readonly<Record<CoreErrorCode, string>>;
/** Codes raised by the package itself. */
export const PACKAGE_ERROR_CODES: readonly PackageErrorCode[];

/** Thrown by every Ledger method when the core refuses a request, and after close(). */
export class StockroomError extends Error {
  constructor(code: StockroomErrorCode | string, message: string,
              extra?: { errors?: FieldErrors; details?: StockDetails | null; cause?: unknown });
  readonly name: 'StockroomError';
  /** A stable code; switch on this, not on the message. */
  code: StockroomErrorCode;
  /** Every bad field by its path in the request; `{}` when no field is to blame. */
  errors: FieldErrors;
  /** Set for insufficient_stock and stale_quantity, else null. */
  details: StockDetails | null;
  /** The protocol's error object. */
  toJSON(): ProtocolError;
}

/** True when `value` is a StockroomError, optionally with the given code. */
export function isStockroomError(value: unknown, code?: StockroomErrorCode): value is StockroomError;

// ---------------------------------------------------------------------------------------------
// Opening and the Ledger

export interface OpenLedgerOptions {
  /**
   * Browsers: where stockroom-core.wasm is served. By default it is resolved next to
   * stockroom-core.mjs (`new URL(..., import.meta.url)`, which bundlers understand). Node reads
   * the package's own file and needs nothing.
   */
  wasmUrl?: string | URL;
  /** Emscripten's hook, for full control: maps a file name (`stockroom-core.wasm`) to a URL or path. */
  locateFile?: (path: string, scriptDirectory: string) => string;
  /** The .wasm bytes, when the caller already has them (no fetch, no file read). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/**
 * Opens a new, empty ledger: one C++ ledger (e.g. one per organization; any number may coexist).
 * The WebAssembly module is loaded by the first call and shared by every later one; `options`
 * are read on that first call only. A failed load rejects and may be retried.
 */
export function openLedger(options?: OpenLedgerOptions): Promise<Ledger>;

/**
 * One ledger: catalog facts, the append-only movements, the levels derived from them. Single
 * threaded and deterministic: the same calls in the same order give the same ids, levels and
 * reports. Created only by {@link openLedger}.
 */
export class Ledger {
  private constructor();

  /**
   * The raw protocol call: runs one request and returns the whole response, `ok: true` or not.
   * Never throws for a protocol error (a request that cannot be serialized answers bad_request);
   * throws StockroomError `closed` after close(). Quantities are passed as they are (no number
   * conversion); bigints go out as decimal strings.
   */
  request(request: ProtocolRequest): ProtocolResponse;

  /**
   * Runs one protocol request and returns its answer as JSON text without the `ok` member
   * (`{"data":[...],"product":{...},...}`), for a host that hands the answer on unchanged, such
   * as an HTTP body: nothing is parsed or serialized again in JS. Throws a StockroomError when
   * the request fails, like the typed methods.
   */
  answerText(request: ProtocolRequest): string;

  /**
   * productStock() as JSON text without `ok`: the same text as
   * answerText({ op: 'product_stock', product_id }), for a host that sends it on as it is. A
   * positive safe integer id is asked without writing and parsing a request document. Errors:
   * not_found, validation_failed (an id that is not one).
   */
  productStockText(productId: IdInput): string;

  /**
   * Adds or replaces catalog facts. Workspaces and products are validated whole (on any error none
   * is registered), then the minimums; one call may name new ids in all three lists. Catalog
   * loading is not a command: rollback() does not undo it.
   */
  register(catalog: Catalog): Record<string, never>;

  /** First stock of products in a workspace. Errors: initial_stock_already_set, validation_failed, product_not_tracked. */
  initialStock(cmd: InitialStockCommand): CommandResult;
  /** Signed adjustments with a reason. Errors: insufficient_stock, stale_quantity, validation_failed, product_not_tracked. */
  adjust(cmd: AdjustCommand): CommandResult;
  /** Moves stock between workspaces: a transfer_out then a linked transfer_in. Errors: insufficient_stock, stale_quantity, validation_failed. */
  transfer(cmd: TransferCommand): CommandResult;
  /** One sale movement per tracked product of the invoice. Errors: insufficient_stock, validation_failed. */
  sell(cmd: SellCommand): CommandResult;
  /** Reverses every sale movement of an invoice. Errors: conflict (already voided). */
  voidSale(cmd: VoidSaleCommand): CommandResult;
  /** Stock received. Errors: validation_failed, product_not_tracked. */
  purchase(cmd: PurchaseCommand): CommandResult;
  /** Absolute counts; each difference becomes a recount adjustment. */
  count(cmd: CountCommand): CommandResult;
  /** Sets a per-workspace minimum (writes no movement). */
  setMinimum(cmd: SetMinimumCommand): CommandResult;

  /** Errors: not_found. */
  getMovement(id: IdInput): { movement: Movement };
  /** A filtered, sorted page of movements. */
  listMovements(query?: MovementQuery): Page<Movement>;
  /** A page of movements plus per-(product, workspace) balances over the filter's dates. */
  report(query: ReportQuery): Report;
  /** The product in every workspace. Errors: not_found. */
  productStock(productId: IdInput): ProductStock;
  /** Every tracked product's level in a workspace, now or as of a time or day. */
  workspaceLevels(query: WorkspaceLevelsQuery): { data: LevelEntry[] };
  /** Levels at or below their minimum (or below zero), largest shortage first. */
  lowStock(query: LowStockQuery): Page<LowStockEntry>;
  /** One level before a time, or at the end of a day. */
  levelAsOf(query: LevelAsOfQuery): { quantity: DecimalString };

  /** Marks the current state (movements and minimums) for rollback(). */
  checkpoint(): { checkpoint: Checkpoint };
  /**
   * Undoes every command since the checkpoint (the checkpoint() answer or its `checkpoint`
   * member). A checkpoint that is not of the ledger's current history is ignored (`rolled_back`
   * false): one from the future, or one taken after the checkpoint of an earlier rollback.
   */
  rollback(checkpoint: Checkpoint | { checkpoint: Checkpoint }): { rolled_back: boolean };
  /** Recomputes every level from the movements; `differences` is empty when all agree. */
  verify(): { differences: LevelDifference[] };
  stats(): LedgerStats;

  /**
   * The movements with id > afterId (default 0: all) in the journal form
   * (docs/journal-format.md): one tab-separated line per movement. One boundary crossing,
   * whatever the size.
   */
  exportJournal(afterId?: IdInput): string;
  /**
   * Appends journal text (a host's stored movements) without re-running the business rules.
   * Ids must continue the ledger's; products and workspaces must be registered first. All or
   * nothing. Errors: validation_failed.
   */
  replayJournal(journal: string): { appended: number };

  /**
   * Frees the C++ ledger. Idempotent. Any later call (request included) throws StockroomError
   * `closed`.
   */
  close(): void;
  /** True once close() has been called. */
  readonly closed: boolean;
}
