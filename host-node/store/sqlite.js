// The SQLite implementation of the store (better-sqlite3, synchronous). Every method is synchronous so
// that a ledger command and the write of its movements happen in one uninterrupted section of the event
// loop; `transaction(fn)` wraps several calls into one SQLite transaction (durable at COMMIT:
// journal_mode=WAL + synchronous=FULL), and begin()/commit() let the group commit put many requests'
// transactions (savepoints) under one COMMIT.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

const bool = (v) => (v ? 1 : 0);

/**
 * Rows read on (nearly) every request, kept in memory: each cache names the tables its entries are made
 * of, and every statement of this store that writes one of them empties it. A caller is a token's user,
 * organization and memberships (workspaces because the memberships join reads them).
 */
const CACHED = { callers: /\b(organizations|users|tokens|memberships|workspaces)\b/i, products: /\bproducts\b/i };
/** Entries kept at most per cache (distinct tokens, products in use); past it the oldest is dropped. */
const CACHE_MAX = 10_000;

export class SqliteStore {
  constructor(dbPath) {
    if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    this.db = new Database(dbPath);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.s = {};
    // The caches (CACHED): caller(): token hash -> { tokenId, user, org, memberships }; getProduct():
    // id -> row. Each is emptied by every write to its tables through these statements; all are
    // emptied by a rolled-back savepoint that had written a cached table and by a rolled-back batch.
    // caller() also empties them whenever another connection committed anything (PRAGMA data_version),
    // so that a changed role, a new membership or a token deleted by an operator counts from the next
    // request on. (Products changed by another connection are not seen by the loaded ledgers either.)
    // The version is read once per event-loop turn: the requests handled in one turn arrived together,
    // and the PRAGMA alone cost more than the rest of a cached authentication (bench/NOTES.md).
    this.cache = Object.fromEntries(Object.keys(CACHED).map((k) => [k, new Map()]));
    this.cacheWrites = 0; // bumped by every write to a cached table
    this.seenDataVersion = null;
    this.versionReadThisTurn = false;
    this.nextTurn = () => { this.versionReadThisTurn = false; };
    // One transaction function for every call: better-sqlite3's transaction() builds four wrapper
    // functions and their properties each time it is called (~3 µs, 6 % of a durable transfer's CPU).
    this.runInTransaction = this.db.transaction((fn) => fn());
    const prep = (name, sql) => {
      const stmt = this.db.prepare(sql);
      const emptied = stmt.reader ? [] : Object.keys(CACHED).filter((k) => CACHED[k].test(sql)).map((k) => this.cache[k]);
      this.s[name] = emptied.length ? this.invalidating(stmt, emptied) : stmt;
    };
    prep('dataVersion', 'PRAGMA data_version');
    this.s.dataVersion.pluck();
    prep('getSetting', 'SELECT value FROM settings WHERE key = ?');
    prep('setSetting', 'INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    prep('countOrgs', 'SELECT COUNT(*) AS n FROM organizations');
    prep('insertOrg', 'INSERT INTO organizations(name, created_at) VALUES (?, ?)');
    prep('setOrgOwner', 'UPDATE organizations SET owner_user_id = ? WHERE id = ?');
    prep('getOrg', 'SELECT * FROM organizations WHERE id = ?');
    prep('insertUser', 'INSERT INTO users(org_id, name, email, created_at) VALUES (?, ?, ?, ?)');
    prep('getUser', 'SELECT * FROM users WHERE id = ? AND org_id = ?');
    prep('userByEmail', 'SELECT * FROM users WHERE org_id = ? AND email = ? COLLATE NOCASE');
    prep('insertToken', 'INSERT INTO tokens(org_id, user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    prep('tokenByHash', `SELECT t.id AS token_id, t.token_hash, u.* FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`);
    prep('touchToken', 'UPDATE tokens SET last_used_at = ? WHERE id = ?');
    prep('insertWorkspace', 'INSERT INTO workspaces(org_id, name, code, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    prep('getWorkspace', 'SELECT * FROM workspaces WHERE id = ? AND org_id = ?');
    prep('orgWorkspaces', 'SELECT * FROM workspaces WHERE org_id = ? ORDER BY id');
    prep('updateWorkspace', 'UPDATE workspaces SET name = ?, code = ?, active = ?, updated_at = ? WHERE id = ? AND org_id = ?');
    prep('upsertMembership', `INSERT INTO memberships(user_id, workspace_id, role, seq, created_at)
      VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM memberships), ?)
      ON CONFLICT(user_id, workspace_id) DO UPDATE SET role = excluded.role`);
    prep('getMembership', 'SELECT * FROM memberships WHERE user_id = ? AND workspace_id = ?');
    prep('userMemberships', `SELECT m.workspace_id, m.role, w.name AS workspace_name, w.active FROM memberships m
      JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? ORDER BY m.seq`);
    prep('insertProduct', `INSERT INTO products(org_id, sku, name, track_inventory, allow_negative_stock, decimals, unit, price, active, created_at, updated_at)
      VALUES (@org_id, @sku, @name, @track_inventory, @allow_negative_stock, @decimals, @unit, @price, @active, @created_at, @updated_at)`);
    prep('updateProduct', `UPDATE products SET sku = @sku, name = @name, track_inventory = @track_inventory,
      allow_negative_stock = @allow_negative_stock, decimals = @decimals, unit = @unit, price = @price, active = @active,
      updated_at = @updated_at WHERE id = @id AND org_id = @org_id`);
    prep('getProduct', 'SELECT * FROM products WHERE id = ? AND org_id = ?');
    prep('productBySku', 'SELECT * FROM products WHERE org_id = ? AND sku = ?');
    prep('orgProducts', 'SELECT * FROM products WHERE org_id = ? ORDER BY id');
    prep('productHasMovements', 'SELECT 1 FROM movements WHERE org_id = ? AND product_id = ? LIMIT 1');
    prep('upsertMinimum', `INSERT INTO minimums(org_id, product_id, workspace_id, minimum_quantity) VALUES (?, ?, ?, ?)
      ON CONFLICT(org_id, product_id, workspace_id) DO UPDATE SET minimum_quantity = excluded.minimum_quantity`);
    prep('orgMinimums', 'SELECT product_id, workspace_id, minimum_quantity FROM minimums WHERE org_id = ?');
    prep('insertMovement', 'INSERT INTO movements(org_id, id, type, product_id, workspace_id, invoice_id, created_at, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    prep('orgJournal', 'SELECT line FROM movements WHERE org_id = ? ORDER BY id');
    prep('invoiceMovementIds', 'SELECT id FROM movements WHERE org_id = ? AND invoice_id = ? ORDER BY id');
    prep('insertInvoice', `INSERT INTO invoices(org_id, workspace_id, number, customer, status, total, created_by, created_at)
      VALUES (?, ?, ?, ?, 'issued', ?, ?, ?)`);
    prep('insertInvoiceLine', 'INSERT INTO invoice_lines(invoice_id, position, product_id, quantity, unit_price) VALUES (?, ?, ?, ?, ?)');
    prep('getInvoice', 'SELECT * FROM invoices WHERE id = ? AND org_id = ?');
    prep('invoiceByNumber', 'SELECT id FROM invoices WHERE org_id = ? AND number = ?');
    prep('invoiceLines', 'SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position');
    prep('voidInvoice', "UPDATE invoices SET status = 'void', voided_at = ? WHERE id = ? AND org_id = ?");
    prep('getIdem', 'SELECT * FROM idempotency_keys WHERE org_id = ? AND key = ? AND created_at > ?');
    prep('insertIdem', `INSERT INTO idempotency_keys(org_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(org_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status, body = excluded.body,
      created_at = excluded.created_at WHERE idempotency_keys.created_at <= excluded.created_at - 86400000`);
    prep('pruneIdem', 'DELETE FROM idempotency_keys WHERE created_at <= ?');
  }

  migrate() {
    const version = this.db.pragma('user_version', { simple: true });
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /** A writing statement that empties the caches of its tables (even if it fails: it may have changed rows). */
  invalidating(stmt, caches) {
    return {
      run: (...args) => {
        try { return stmt.run(...args); } finally { this.forget(caches); }
      },
    };
  }

  forget(caches = Object.values(this.cache)) {
    this.cacheWrites += 1;
    for (const c of caches) c.clear();
  }

  static remember(cache, key, value) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
    cache.set(key, value);
    return value;
  }

  close() { if (this.db.open) this.db.close(); }
  ping() { return this.db.prepare('SELECT 1 AS ok').get().ok === 1; }
  /** Runs fn inside one transaction (nested calls, and calls inside begin()..commit(), become savepoints). */
  transaction(fn) {
    const writes = this.cacheWrites;
    try {
      return this.runInTransaction(fn);
    } catch (e) {
      // the savepoint is rolled back: rows read after its write may have been cached
      if (this.cacheWrites !== writes) this.forget();
      throw e;
    }
  }
  // Group commit (lib/ledgers.js): one transaction spans a batch of requests, each in its own savepoint;
  // commit() is the batch's single disk flush (WAL + synchronous=FULL: one fsync of the WAL).
  begin() { this.db.exec('BEGIN IMMEDIATE'); }
  commit() { this.db.exec('COMMIT'); }
  rollbackAll() {
    this.forget(); // the batch may have written cached rows (and cached them) that are now undone
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
  get inTransaction() { return this.db.inTransaction; }

  getSetting(key) { return this.s.getSetting.get(key)?.value ?? null; }
  setSetting(key, value) { this.s.setSetting.run(key, value); }
  organizationCount() { return this.s.countOrgs.get().n; }

  // ---- organizations, users, tokens
  createOrganization(name, at) { return Number(this.s.insertOrg.run(name, at).lastInsertRowid); }
  setOrganizationOwner(orgId, userId) { this.s.setOrgOwner.run(userId, orgId); }
  getOrganization(id) { return this.s.getOrg.get(id) ?? null; }
  createUser(orgId, name, email, at) { return Number(this.s.insertUser.run(orgId, name, email, at).lastInsertRowid); }
  getUser(orgId, id) { return this.s.getUser.get(id, orgId) ?? null; }
  userByEmail(orgId, email) { return this.s.userByEmail.get(orgId, email) ?? null; }
  createToken(orgId, userId, name, hash, prefix, at) { return Number(this.s.insertToken.run(orgId, userId, name, hash, prefix, at).lastInsertRowid); }
  userByTokenHash(hash) { return this.s.tokenByHash.get(hash) ?? null; }

  /**
   * Who holds the token of this SHA-256 hash: { tokenId, tokenHash, user, org, memberships } (memberships
   * as store.memberships(), in joining order), or null. Cached (see the constructor): the same frozen
   * object for every request until a write of CACHED.callers; unknown hashes are not cached.
   */
  caller(hash) {
    this.noticeOtherConnections();
    const hit = this.cache.callers.get(hash);
    if (hit) return hit;
    const row = this.userByTokenHash(hash);
    if (!row) return null;
    const org = this.getOrganization(row.org_id);
    if (!org) return null;
    const { token_id: tokenId, token_hash: tokenHash, ...user } = row;
    const memberships = this.memberships(user.id).map((m) => Object.freeze(m));
    const entry = Object.freeze({ tokenId, tokenHash, user: Object.freeze(user), org: Object.freeze(org), memberships: Object.freeze(memberships) });
    return SqliteStore.remember(this.cache.callers, hash, entry);
  }
  /** Empties the caches when another connection committed since the last look (once per turn, above). */
  noticeOtherConnections() {
    if (this.versionReadThisTurn) return;
    const version = this.s.dataVersion.get(); // a failed read is tried again by the next request
    this.versionReadThisTurn = true;
    setImmediate(this.nextTurn);
    if (version !== this.seenDataVersion) { // another connection committed: anything may have changed
      this.seenDataVersion = version;
      this.forget();
    }
  }
  touchToken(id, at) { this.s.touchToken.run(at, id); }

  // ---- workspaces and memberships
  createWorkspace(orgId, { name, code = null, active = true }, at) {
    return Number(this.s.insertWorkspace.run(orgId, name, code, bool(active), at, at).lastInsertRowid);
  }
  getWorkspace(orgId, id) { return this.s.getWorkspace.get(id, orgId) ?? null; }
  workspaces(orgId) { return this.s.orgWorkspaces.all(orgId); }
  updateWorkspace(orgId, id, { name, code, active }, at) { this.s.updateWorkspace.run(name, code, bool(active), at, id, orgId); }
  setMembership(userId, workspaceId, role, at) { this.s.upsertMembership.run(userId, workspaceId, role, at); }
  membership(userId, workspaceId) { return this.s.getMembership.get(userId, workspaceId) ?? null; }
  memberships(userId) { return this.s.userMemberships.all(userId); }

  // ---- products and minimums
  createProduct(orgId, p, at) {
    return Number(this.s.insertProduct.run({ ...this.productRow(p), org_id: orgId, created_at: at, updated_at: at }).lastInsertRowid);
  }
  updateProduct(orgId, id, p, at) { this.s.updateProduct.run({ ...this.productRow(p), org_id: orgId, id, updated_at: at }); }
  productRow(p) {
    return { sku: p.sku, name: p.name, track_inventory: bool(p.track_inventory), allow_negative_stock: bool(p.allow_negative_stock),
      decimals: p.decimals, unit: p.unit ?? null, price: p.price ?? null, active: bool(p.active) };
  }
  /** A product of the organization (frozen, cached until a write of products), or null. */
  // Cached by id alone (ids are unique across organizations): a number key is hashed and compared without
  // building and hashing a string per request. A row of another organization is never answered.
  getProduct(orgId, id) {
    const hit = this.cache.products.get(id);
    if (hit) return hit.org_id === orgId ? hit : null;
    const row = this.s.getProduct.get(id, orgId);
    return row ? SqliteStore.remember(this.cache.products, id, Object.freeze(row)) : null;
  }
  productBySku(orgId, sku) { return this.s.productBySku.get(orgId, sku) ?? null; }
  products(orgId) { return this.s.orgProducts.all(orgId); }
  productHasMovements(orgId, id) { return !!this.s.productHasMovements.get(orgId, id); }
  saveMinimums(orgId, minimums) { for (const m of minimums) this.s.upsertMinimum.run(orgId, m.product_id, m.workspace_id, String(m.minimum_quantity)); }
  minimums(orgId) { return this.s.orgMinimums.all(orgId); }

  // ---- movements (append-only)
  /** movements: the API objects; journal: their journal text (one line each, same order). */
  appendMovements(orgId, movements, journal) {
    const lines = journal.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length !== movements.length) throw new Error('journal and movements disagree');
    movements.forEach((m, i) => this.s.insertMovement.run(orgId, m.id, m.type, m.product_id, m.workspace_id, m.invoice_id ?? null, m.created_at, lines[i]));
  }
  journal(orgId) {
    const out = [];
    for (const r of this.s.orgJournal.iterate(orgId)) out.push(r.line);
    return out.length ? out.join('\n') + '\n' : '';
  }
  invoiceMovementIds(orgId, invoiceId) { return this.s.invoiceMovementIds.all(orgId, invoiceId).map((r) => r.id); }

  // ---- invoices
  createInvoice(orgId, { workspace_id, number, customer, total, created_by }, at) {
    return Number(this.s.insertInvoice.run(orgId, workspace_id, number ?? null, customer ?? null, total ?? null, created_by, at).lastInsertRowid);
  }
  addInvoiceLine(invoiceId, position, l) { this.s.insertInvoiceLine.run(invoiceId, position, l.product_id, l.quantity, l.unit_price ?? null); }
  getInvoice(orgId, id) { return this.s.getInvoice.get(id, orgId) ?? null; }
  invoiceByNumber(orgId, number) { return this.s.invoiceByNumber.get(orgId, number) ?? null; }
  invoiceLines(invoiceId) { return this.s.invoiceLines.all(invoiceId); }
  voidInvoice(orgId, id, at) { this.s.voidInvoice.run(at, id, orgId); }

  // ---- lists: `where` is a fixed SQL fragment built by the caller from whitelisted pieces
  page(table, { where = 'org_id = ?', params = [], orderBy, limit, offset }) {
    const total = this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get(...params).n;
    const rows = this.db.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...params, limit, offset);
    return { total, rows };
  }

  // ---- idempotency
  idempotencyRecord(orgId, key, now) { return this.s.getIdem.get(orgId, key, now - 86400000) ?? null; }
  saveIdempotency(orgId, key, hash, status, body, now) { this.s.insertIdem.run(orgId, key, hash, status, body, now); }
  pruneIdempotency(now) { this.s.pruneIdem.run(now - 86400000); }
}

export function openStore(dbPath) { return new SqliteStore(dbPath); }
