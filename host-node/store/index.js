// The store interface. One implementation today (SQLite, embedded); the methods used by the service are
// those of SqliteStore (store/sqlite.js): all synchronous, `transaction(fn)` for atomic groups. A
// PostgreSQL store would implement the same methods (with a per-organization write lock).
export { SqliteStore, openStore } from './sqlite.js';
