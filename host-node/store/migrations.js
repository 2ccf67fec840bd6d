// Versioned schema migrations for the SQLite store. Append only: never edit a migration that has shipped;
// add a new one. `PRAGMA user_version` records how many have been applied.
export const MIGRATIONS = [
  // 1: the initial schema
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    owner_user_id INTEGER,
    created_at TEXT NOT NULL
  );

  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX users_org_email ON users(org_id, email COLLATE NOCASE);

  CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );

  CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    code TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX workspaces_org ON workspaces(org_id);

  CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users(id),
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'clerk', 'viewer')),
    seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, workspace_id)
  );

  CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    track_inventory INTEGER NOT NULL DEFAULT 1,
    allow_negative_stock INTEGER NOT NULL DEFAULT 0,
    decimals INTEGER NOT NULL DEFAULT 2,
    unit TEXT,
    price TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX products_org_sku ON products(org_id, sku);

  CREATE TABLE minimums (
    org_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    workspace_id INTEGER NOT NULL,
    minimum_quantity TEXT NOT NULL,
    PRIMARY KEY (org_id, product_id, workspace_id)
  );

  CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    workspace_id INTEGER NOT NULL,
    number TEXT,
    customer TEXT,
    status TEXT NOT NULL DEFAULT 'issued',
    total TEXT,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    voided_at TEXT
  );
  CREATE UNIQUE INDEX invoices_org_number ON invoices(org_id, number) WHERE number IS NOT NULL;

  CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    position INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT,
    PRIMARY KEY (invoice_id, position)
  );

  -- Append-only: the journal line is the source of truth; the other columns are for inspection.
  CREATE TABLE movements (
    org_id INTEGER NOT NULL,
    id INTEGER NOT NULL,
    type TEXT NOT NULL,
    product_id INTEGER NOT NULL,
    workspace_id INTEGER NOT NULL,
    invoice_id INTEGER,
    created_at TEXT NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX movements_invoice ON movements(org_id, invoice_id) WHERE invoice_id IS NOT NULL;
  CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements BEGIN SELECT RAISE(ABORT, 'movements are append-only'); END;
  CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements BEGIN SELECT RAISE(ABORT, 'movements are append-only'); END;

  CREATE TABLE idempotency_keys (
    org_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, key)
  );
  CREATE INDEX idempotency_created ON idempotency_keys(created_at);
  `,
];
