// One ledger per organization, loaded from the store on first use, and the write path with group commit:
//
//   request: checkpoint -> command on the ledger -> its rows into the open batch (a SAVEPOINT) -> wait
//   flush (once per event-loop turn, or when the batch is full): ONE SQLite COMMIT (one fsync) -> answer all
//   flush failure: ROLLBACK, every ledger of the batch back to its checkpoint, every request answered 503
//
// Commands run synchronously on the ledger as they arrive, so racing requests can never oversell; only
// the disk flush is shared. No answer of a write is sent before the COMMIT that made it durable.

export const productFacts = (p) => ({
  id: p.id, sku: p.sku, name: p.name, track_inventory: !!p.track_inventory,
  allow_negative_stock: !!p.allow_negative_stock, decimals: p.decimals, active: !!p.active,
});
export const workspaceFacts = (w) => ({ id: w.id, name: w.name, active: !!w.active });

/** The error every request of a failed batch gets: a storage failure (the error handler answers 503). */
export function storeFailure(cause) {
  const code = typeof cause?.code === 'string' && cause.code.startsWith('SQLITE_') && !cause.code.startsWith('SQLITE_CONSTRAINT')
    ? cause.code : 'SQLITE_IOERR';
  return Object.assign(new Error(`store commit failed: ${cause?.message ?? cause}`), { code, cause });
}

const noop = () => {};

/**
 * Group commit over a store with begin()/commit()/rollbackAll()/transaction(fn)/inTransaction.
 *
 * run(fn) runs fn synchronously inside the batch's open transaction (as a savepoint, so that a request that
 * fails undoes only its own rows) and returns a promise of fn's value that settles after the batch commits.
 * A batch is flushed by setImmediate (after every request that arrived in this event-loop turn has joined
 * it) or at once when it holds `maxBatch` requests.
 */
export class GroupCommit {
  constructor(store, { maxBatch = 512, log, onFailure = noop, isReplay = () => false } = {}) {
    this.store = store;
    this.maxBatch = maxBatch;
    this.log = log;
    this.onFailure = onFailure; // (batch) -> void: roll the ledgers back
    this.isReplay = isReplay;   // errors that must wait for the flush (an answer read from the open batch)
    this.pending = null;
    this.stats = { batches: 0, requests: 0, failures: 0, largest: 0 };
  }

  /** The open batch, opened (BEGIN IMMEDIATE) if there is none. */
  open() {
    if (this.pending) return this.pending;
    this.store.begin();
    const batch = { size: 0, orgs: new Map(), settled: false };
    batch.done = new Promise((resolve, reject) => { batch.resolve = resolve; batch.reject = reject; });
    batch.done.catch(noop); // a batch whose requests all failed on their own has no listener
    this.pending = batch;
    setImmediate(() => this.flush(batch));
    return batch;
  }

  /**
   * Notes that the batch changes `orgId`'s ledger: the first checkpoint is the one to roll back to.
   * `catalog`: facts were registered (rollback does not undo them: the ledger is reloaded instead).
   */
  touch(orgId, ledger, checkpoint, { catalog = false } = {}) {
    const batch = this.open();
    let o = batch.orgs.get(orgId);
    if (!o || o.ledger !== ledger) { o = { ledger, checkpoint, catalog: false }; batch.orgs.set(orgId, o); }
    if (catalog) o.catalog = true;
  }

  /** Runs fn() in the batch; resolves with its value once durable. Throws (synchronously wrapped) fn's error. */
  run(fn) {
    let batch = this.open();
    if (!this.store.inTransaction) {
      // SQLite ended the batch's transaction behind our back (a statement outside run() failed with an
      // error that rolls the whole transaction back): that batch is lost; never write outside a batch.
      this.fail(batch, Object.assign(new Error('the batch transaction was rolled back by SQLite'), { code: 'SQLITE_ABORT' }));
      batch = this.open();
    }
    let value;
    try {
      value = this.store.transaction(fn);
    } catch (e) {
      if (!this.store.inTransaction) { // SQLite gave up the whole transaction (I/O error, disk full, ...)
        this.fail(batch, e);
        return Promise.reject(storeFailure(e));
      }
      // an answer found in the open batch (idempotent replay) is only sent once that batch is durable
      if (this.isReplay(e)) return batch.done.then(() => { throw e; });
      return Promise.reject(e);
    }
    batch.size += 1;
    const out = batch.done.then(() => value);
    if (batch.size >= this.maxBatch) this.flush(batch);
    return out;
  }

  flush(batch) {
    if (batch.settled) return;
    batch.settled = true;
    if (this.pending === batch) this.pending = null;
    try {
      this.store.commit();
    } catch (e) {
      this.fail(batch, e, true);
      return;
    }
    this.stats.batches += 1;
    this.stats.requests += batch.size;
    this.stats.largest = Math.max(this.stats.largest, batch.size);
    batch.resolve();
  }

  fail(batch, cause, settled = false) {
    if (!settled) {
      if (batch.settled) return;
      batch.settled = true;
      if (this.pending === batch) this.pending = null;
    }
    this.stats.failures += 1;
    this.log?.error({ err: cause, requests: batch.size }, 'group commit failed; the batch is rolled back');
    try { this.store.rollbackAll(); } catch (e) { this.log?.error({ err: e }, 'rollback failed'); }
    try { this.onFailure(batch); } catch (e) { this.log?.error({ err: e }, 'ledger rollback failed'); }
    batch.reject(storeFailure(cause));
  }

  /** Flushes the open batch now (shutdown). */
  flushNow() { if (this.pending) this.flush(this.pending); }

  /** Resolves when no batch is pending (reads wait here: they never see what is not yet on disk). */
  async idle() {
    while (this.pending) await this.pending.done.catch(noop);
  }
}

export class Ledgers {
  constructor(store, openLedger, log, { maxBatch, isReplay } = {}) {
    this.store = store;
    this.openLedger = openLedger;
    this.log = log;
    this.loading = new Map(); // orgId -> Promise<ledger>
    this.loaded = new Map();  // orgId -> ledger
    this.batch = new GroupCommit(store, { maxBatch, log, isReplay, onFailure: (b) => this.rollbackBatch(b) });
  }

  /** The organization's ledger (loads it once: catalog facts, then the journal). */
  get(orgId) {
    const ready = this.loaded.get(orgId);
    if (ready) return Promise.resolve(ready);
    let p = this.loading.get(orgId);
    if (!p) {
      p = this.load(orgId).finally(() => this.loading.delete(orgId));
      this.loading.set(orgId, p);
    }
    return p;
  }

  /**
   * fn(ledger) for the organization: at once when its ledger is loaded (no promise to settle, for the
   * busiest reads), else once it has loaded (a promise of fn's result).
   */
  use(orgId, fn) {
    const ready = this.loaded.get(orgId);
    return ready ? fn(ready) : this.get(orgId).then(fn);
  }

  async load(orgId) {
    const ledger = await this.openLedger();
    // From here on synchronous: nothing can commit between reading the store and publishing the ledger.
    try {
      ledger.register({
        workspaces: this.store.workspaces(orgId).map(workspaceFacts),
        products: this.store.products(orgId).map(productFacts),
        minimums: this.store.minimums(orgId),
      });
      const journal = this.store.journal(orgId);
      if (journal) ledger.replayJournal(journal);
    } catch (e) {
      try { ledger.close?.(); } catch { /* ignore */ }
      throw e;
    }
    this.loaded.set(orgId, ledger);
    // loaded while a batch is open: it may hold that batch's rows, so a failed flush must reload it
    if (this.batch.pending) this.batch.touch(orgId, ledger, null, { catalog: true });
    return ledger;
  }

  /** The loaded ledger or null (catalog changes only need registering into a loaded one). */
  peek(orgId) { return this.loaded.get(orgId) ?? null; }

  /** Forget a ledger (it reloads from the store on next use). */
  evict(orgId) {
    const l = this.loaded.get(orgId);
    this.loaded.delete(orgId);
    try { l?.close?.(); } catch { /* ignore */ }
  }

  /**
   * Runs fn(ledger) in the open batch with a ledger checkpoint around it: if fn throws (a core error, or the
   * store), its own rows and its commands are undone at once. Returns a promise of fn's value, settled after
   * the batch's COMMIT (or rejected with a storage failure if that COMMIT fails).
   */
  write(orgId, ledger, fn) {
    const cp = ledger.checkpoint();
    this.batch.touch(orgId, ledger, cp);
    return this.batch.run(() => {
      try {
        return fn(ledger);
      } catch (e) {
        this.rollbackTo(orgId, ledger, cp);
        throw e;
      }
    });
  }

  /**
   * Runs fn(ledger) and undoes it at once, whatever happened: the error it threw, or null. For the value
   * checks of a request that already failed its schema (nothing of it may stay in the ledger).
   */
  probe(orgId, ledger, fn) {
    const cp = ledger.checkpoint();
    try {
      fn(ledger);
      return null;
    } catch (e) {
      return e;
    } finally {
      this.rollbackTo(orgId, ledger, cp);
    }
  }

  /** A store-only write in the batch (organizations, users, tokens, memberships). */
  storeWrite(fn) { return this.batch.run(fn); }

  /** Catalog facts were registered into orgId's ledger by the open batch: a failed flush reloads it. */
  registered(orgId, ledger) { this.batch.touch(orgId, ledger, null, { catalog: true }); }

  rollbackTo(orgId, ledger, cp) {
    try {
      // A mark the ledger no longer holds (not of its current history) is refused: reload instead.
      if (!ledger.rollback(cp).rolled_back) throw new Error('the ledger refused its checkpoint');
    } catch (e2) {
      this.log?.error({ err: e2 }, 'ledger rollback failed; reloading the ledger from the store');
      if (this.loaded.get(orgId) === ledger) this.evict(orgId);
    }
  }

  /** A failed flush: every ledger the batch changed goes back to its checkpoint (or is reloaded). */
  rollbackBatch(batch) {
    for (const [orgId, o] of batch.orgs) {
      if (this.loaded.get(orgId) !== o.ledger) continue; // already evicted
      if (o.catalog || !o.checkpoint) this.evict(orgId);
      else this.rollbackTo(orgId, o.ledger, o.checkpoint);
    }
  }

  closeAll() {
    this.batch.flushNow();
    for (const id of [...this.loaded.keys()]) this.evict(id);
  }
}
