// One open "shop": the stockroom ledger (in WebAssembly), the page's catalog and the IndexedDB
// store, kept in step. Every change goes through here, one at a time:
//   catalog change: ledger.register (validated whole by the core) -> store
//   command:        checkpoint -> ledger.<command> -> store (journal + catalog in one transaction);
//                   if the browser cannot save, the ledger is rolled back to the checkpoint.
// On load: register the stored catalog, then replay the stored journal.

import { openLedger, StockroomError } from '../stockroom/wasm/js/index.js';
import { emptyCatalog, Store } from './store.js';

export const EXPORT_FORMAT = 'stockroom-demo';
export const EXPORT_VERSION = 1;

/** An error meant for the person at the page (a sentence), as opposed to a bug. */
export class DemoError extends Error {
  constructor(message, errors = {}) {
    super(message);
    this.name = 'DemoError';
    this.errors = errors;
  }
}

function copy(value) { return JSON.parse(JSON.stringify(value)); }

function fieldError(field, message) {
  return new StockroomError('validation_failed', message, { errors: { [field]: [message] } });
}

function mergeMinimums(list, changed) {
  if (!changed?.length) return list;
  const out = list.filter((m) => !changed.some((c) => c.product_id === m.product_id && c.workspace_id === m.workspace_id));
  return [...out, ...changed.map((c) => ({ product_id: c.product_id, workspace_id: c.workspace_id, minimum_quantity: c.minimum_quantity }))];
}

/** Registers a catalog into a ledger (ids, names, flags and minimums). */
function registerCatalog(ledger, catalog) {
  ledger.register({
    workspaces: catalog.workspaces,
    products: catalog.products,
    minimums: catalog.minimums,
  });
}

/**
 * Checks the shape of an imported catalog (the core checks the facts themselves). Fills `next`
 * from the ids when it is missing. Throws a plain Error naming what is wrong.
 */
function normaliseCatalog(raw) {
  if (!raw || typeof raw !== 'object') throw new DemoError('The file has no catalog.');
  const list = (name) => {
    const v = raw[name] ?? [];
    if (!Array.isArray(v)) throw new DemoError(`The catalog's ${name} must be a list.`);
    return v;
  };
  const workspaces = list('workspaces');
  const products = list('products');
  const minimums = list('minimums');
  const ids = (items, what) => {
    const seen = new Set();
    for (const it of items) {
      if (!it || typeof it !== 'object' || !Number.isSafeInteger(it.id) || it.id <= 0) {
        throw new DemoError(`Every ${what} in the file needs a positive whole id.`);
      }
      if (seen.has(it.id)) throw new DemoError(`The file names ${what} ${it.id} twice.`);
      seen.add(it.id);
    }
  };
  ids(workspaces, 'workspace');
  ids(products, 'product');
  const maxId = (items) => items.reduce((m, it) => Math.max(m, it.id), 0);
  const next = { workspace: maxId(workspaces) + 1, product: maxId(products) + 1, invoice: 1 };
  if (raw.next && typeof raw.next === 'object') {
    for (const k of Object.keys(next)) {
      if (Number.isSafeInteger(raw.next[k]) && raw.next[k] > next[k]) next[k] = raw.next[k];
    }
  }
  return { workspaces: copy(workspaces), products: copy(products), minimums: copy(minimums), next };
}

export class Session {
  /** @type {import('../stockroom/wasm/js/index.js').Ledger} */
  ledger;
  catalog;
  store;
  #queue = Promise.resolve();
  #listeners = new Set();

  constructor(ledger, catalog, store) {
    this.ledger = ledger;
    this.catalog = catalog;
    this.store = store;
  }

  /** Opens the store and the ledger, registers the stored catalog and replays the stored journal. */
  static async open({ dbName } = {}) {
    const store = await Store.open(dbName);
    const ledger = await openLedger();
    const { catalog, journal } = await store.load();
    registerCatalog(ledger, catalog);
    const started = performance.now();
    const { appended } = journal ? ledger.replayJournal(journal) : { appended: 0 };
    const session = new Session(ledger, catalog, store);
    session.loaded = { movements: appended, ms: performance.now() - started };
    return session;
  }

  onChange(fn) { this.#listeners.add(fn); return () => this.#listeners.delete(fn); }
  #emit() { for (const fn of this.#listeners) { try { fn(); } catch (e) { console.error(e); } } }

  /** Runs fn after every earlier change has finished (no two changes interleave). */
  #serial(fn) {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  // ---- names

  workspace(id) { return this.catalog.workspaces.find((w) => w.id === Number(id)) ?? null; }
  product(id) { return this.catalog.products.find((p) => p.id === Number(id)) ?? null; }
  workspaceName(id) { return this.workspace(id)?.name ?? `workspace ${id}`; }
  productLabel(id) {
    const p = this.product(id);
    return p ? `${p.name} (${p.sku})` : `product ${id}`;
  }
  activeWorkspaces() { return this.catalog.workspaces.filter((w) => w.active !== false); }
  trackedProducts() { return this.catalog.products.filter((p) => p.track_inventory !== false); }

  // ---- catalog

  /** Adds (no id) or replaces (with id) a workspace. Returns the saved workspace. */
  saveWorkspace(input) {
    return this.#serial(async () => {
      const name = String(input.name ?? '').trim();
      if (!name) throw fieldError('name', 'Give the workspace a name.');
      if (this.catalog.workspaces.some((w) => w.id !== input.id && w.name.toLowerCase() === name.toLowerCase())) {
        throw fieldError('name', `There is already a workspace called ${name}.`);
      }
      const isNew = !input.id;
      const ws = { id: isNew ? this.catalog.next.workspace : input.id, name, active: input.active !== false };
      this.ledger.register({ workspaces: [ws] });
      const catalog = copy(this.catalog);
      if (isNew) { catalog.workspaces.push(ws); catalog.next.workspace = ws.id + 1; } else {
        catalog.workspaces = catalog.workspaces.map((w) => (w.id === ws.id ? ws : w));
      }
      await this.#saveCatalog(catalog);
      return ws;
    });
  }

  /** Adds (no id) or replaces (with id) a product. Returns the saved product. */
  saveProduct(input) {
    return this.#serial(async () => {
      const name = String(input.name ?? '').trim();
      const sku = String(input.sku ?? '').trim();
      const errors = {};
      if (!sku) errors.sku = ['Give the product a SKU (a short code such as A-100).'];
      else if (this.catalog.products.some((p) => p.id !== input.id && p.sku.toLowerCase() === sku.toLowerCase())) {
        errors.sku = [`The SKU ${sku} is already used by another product.`];
      }
      if (!name) errors.name = ['Give the product a name.'];
      if (Object.keys(errors).length) {
        throw new StockroomError('validation_failed', Object.values(errors)[0][0], { errors });
      }
      const isNew = !input.id;
      const product = {
        id: isNew ? this.catalog.next.product : input.id,
        sku, name,
        decimals: Number(input.decimals ?? 2),
        allow_negative_stock: Boolean(input.allow_negative_stock),
        track_inventory: input.track_inventory !== false,
        active: input.active !== false,
      };
      this.ledger.register({ products: [product] });
      const catalog = copy(this.catalog);
      if (isNew) { catalog.products.push(product); catalog.next.product = product.id + 1; } else {
        catalog.products = catalog.products.map((p) => (p.id === product.id ? product : p));
      }
      await this.#saveCatalog(catalog);
      return product;
    });
  }

  async #saveCatalog(catalog) {
    try {
      await this.store.saveCatalog(catalog);
    } catch (e) {
      // The ledger already knows the new facts; the stored catalog does not. Reloading the page
      // brings both back to what is stored.
      throw new DemoError(`The browser could not save the catalog (${e?.message ?? e}). Reload the page.`);
    }
    this.catalog = catalog;
    this.#emit();
  }

  // ---- commands

  /**
   * Runs one ledger command (initialStock, transfer, adjust, sell, voidSale, purchase, count,
   * setMinimum) and keeps its journal. For `sell` without invoice_id the page assigns the next
   * invoice number. Returns the command's answer ({ movements, minimums, journal }).
   */
  command(method, cmd) {
    return this.#serial(async () => {
      const body = { ...cmd };
      const catalog = copy(this.catalog);
      if (method === 'sell' && body.invoice_id === undefined) {
        body.invoice_id = catalog.next.invoice;
        catalog.next.invoice += 1;
      }
      const mark = this.ledger.checkpoint();
      const result = this.ledger[method](body);
      catalog.minimums = mergeMinimums(catalog.minimums, result.minimums);
      try {
        await this.store.appendCommand(result.journal, catalog);
      } catch (e) {
        this.ledger.rollback(mark);
        throw new DemoError(`The browser could not save this (${e?.message ?? e}); nothing was recorded.`);
      }
      this.catalog = catalog;
      this.lastCall = { method, body };
      this.#emit();
      return result;
    });
  }

  // ---- export / import

  /** The whole shop as one JSON document: catalog + journal. */
  exportDocument() {
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exported_at: new Date().toISOString(),
      catalog: copy(this.catalog),
      journal: this.ledger.exportJournal(),
    };
  }

  /**
   * Replaces everything with an exported document, after checking it whole in a fresh ledger: on
   * any error nothing changes. Returns { workspaces, products, movements }.
   */
  importDocument(text) {
    return this.#serial(async () => {
      let doc;
      try { doc = JSON.parse(text); } catch {
        throw new DemoError('This file is not a Stockroom export: it is not JSON.');
      }
      if (!doc || typeof doc !== 'object' || doc.format !== EXPORT_FORMAT) {
        throw new DemoError('This file is not a Stockroom export (its "format" is not "stockroom-demo").');
      }
      if (doc.version !== EXPORT_VERSION) throw new DemoError(`This export is version ${doc.version}; this page reads version ${EXPORT_VERSION}.`);
      if (typeof doc.journal !== 'string') throw new DemoError('The file has no journal text.');
      const catalog = normaliseCatalog(doc.catalog);
      const fresh = await openLedger();
      let appended;
      try {
        try { registerCatalog(fresh, catalog); } catch (e) {
          throw new DemoError(`The catalog in the file is not valid: ${e.message}`);
        }
        try { ({ appended } = fresh.replayJournal(doc.journal)); } catch (e) {
          throw new DemoError(`The journal in the file cannot be replayed: ${e.message}`);
        }
        // Invoice numbers continue after the highest one in the file.
        let maxInvoice = 0;
        for (let page = 1, last = 1; page <= last; page++) {
          const r = fresh.listMovements({ filter: { type: 'sale' }, per_page: 10000, page, sort: 'id' });
          last = r.last_page;
          for (const m of r.data) maxInvoice = Math.max(maxInvoice, m.invoice_id ?? 0);
        }
        catalog.next.invoice = Math.max(catalog.next.invoice, maxInvoice + 1);
        await this.store.replaceAll(catalog, doc.journal);
      } catch (e) {
        fresh.close();
        throw e;
      }
      const old = this.ledger;
      this.ledger = fresh;
      this.catalog = catalog;
      old.close();
      this.#emit();
      return { workspaces: catalog.workspaces.length, products: catalog.products.length, movements: appended };
    });
  }

  /** Erases everything (store and ledger). */
  eraseAll() {
    return this.#serial(async () => {
      const catalog = emptyCatalog();
      await this.store.replaceAll(catalog, '');
      const fresh = await openLedger();
      const old = this.ledger;
      this.ledger = fresh;
      this.catalog = catalog;
      old.close();
      this.#emit();
    });
  }

  // ---- reads used by several views

  /** Low-stock rows of every active workspace, largest shortage first within a workspace. */
  lowStockAll() {
    const rows = [];
    for (const w of this.activeWorkspaces()) {
      for (let page = 1, last = 1; page <= last; page++) {
        const r = this.ledger.lowStock({ workspace_id: w.id, per_page: 500, page });
        last = r.last_page;
        rows.push(...r.data);
      }
    }
    return rows;
  }

  /** Every movement matching `filter`, oldest first (pages of 10,000). */
  allMovements(filter) {
    const out = [];
    for (let page = 1, last = 1; page <= last; page++) {
      const r = this.ledger.listMovements({ filter, per_page: 10000, page, sort: 'id' });
      last = r.last_page;
      out.push(...r.data);
    }
    return out;
  }
}
