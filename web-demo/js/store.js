// The page's own persistence, in IndexedDB (database "stockroom-demo"):
//   meta/catalog   { workspaces, products, minimums, next: { workspace, product, invoice } }
//   journal/<n>    { text }   one record per command, the `journal` text of its answer, in order
// The core keeps no catalog, so the page does; the movements live only as journal text. A command's
// journal and the catalog changes it implies (minimums, invoice counter) are written in one
// transaction.

const DB_NAME = 'stockroom-demo';
const DB_VERSION = 1;

export function emptyCatalog() {
  return { workspaces: [], products: [], minimums: [], next: { workspace: 1, product: 1, invoice: 1 } };
}

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('The browser refused to save (transaction aborted).'));
  });
}

export class Store {
  #db;

  constructor(db) { this.#db = db; }

  static async open(name = DB_NAME) {
    if (typeof indexedDB === 'undefined') throw new Error('This browser has no IndexedDB: nothing could be kept.');
    const request = indexedDB.open(name, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      if (!db.objectStoreNames.contains('journal')) db.createObjectStore('journal', { autoIncrement: true });
    };
    const db = await promisify(request);
    // Ask the browser to keep the data under storage pressure (best effort, no prompt in Chromium).
    navigator.storage?.persist?.().catch(() => {});
    return new Store(db);
  }

  /** { catalog, journal } as stored; an empty catalog and '' on first use. */
  async load() {
    const tx = this.#db.transaction(['meta', 'journal'], 'readonly');
    const catalog = promisify(tx.objectStore('meta').get('catalog'));
    const chunks = promisify(tx.objectStore('journal').getAll());
    const [c, j] = await Promise.all([catalog, chunks]);
    return { catalog: c ?? emptyCatalog(), journal: j.map((r) => r.text).join('') };
  }

  /** Saves the catalog alone (a registration, a minimum). */
  async saveCatalog(catalog) {
    const tx = this.#db.transaction(['meta'], 'readwrite');
    tx.objectStore('meta').put(catalog, 'catalog');
    await done(tx);
  }

  /** Appends one command's journal text and saves the catalog, atomically. */
  async appendCommand(journalText, catalog) {
    const tx = this.#db.transaction(['meta', 'journal'], 'readwrite');
    if (journalText) tx.objectStore('journal').add({ text: journalText });
    tx.objectStore('meta').put(catalog, 'catalog');
    await done(tx);
  }

  /** Replaces everything (an import, or erase with an empty catalog and ''), atomically. */
  async replaceAll(catalog, journalText) {
    const tx = this.#db.transaction(['meta', 'journal'], 'readwrite');
    const journal = tx.objectStore('journal');
    journal.clear();
    if (journalText) journal.add({ text: journalText });
    tx.objectStore('meta').put(catalog, 'catalog');
    await done(tx);
  }

  close() { this.#db.close(); }
}
