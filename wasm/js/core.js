// Loads the WebAssembly core once per process (one promise, shared by every openLedger call).
//
// Node: the .wasm is read from the package's own files (dist/wasm/, next to the .mjs), with no
// fetch. Browsers: fetched (streaming compile) from next to stockroom-core.mjs, resolved with
// `new URL(..., import.meta.url)` so bundlers see it; `wasmUrl` or `locateFile` can point elsewhere,
// and `wasmBinary` skips the fetch altogether.

let corePromise = null;

function factoryOptions(options) {
  const out = {};
  if (options.wasmBinary !== undefined) out.wasmBinary = options.wasmBinary;
  if (typeof options.locateFile === 'function') {
    out.locateFile = options.locateFile;
  } else if (options.wasmUrl !== undefined) {
    const url = String(options.wasmUrl);
    out.locateFile = (path, prefix) => (path.endsWith('.wasm') ? url : prefix + path);
  }
  return out;
}

/**
 * The embind module (raw: never handed to users). Options are read on the first call only; a
 * failed load is forgotten so that a later call can try again.
 * @param {{locateFile?: Function, wasmUrl?: string|URL, wasmBinary?: ArrayBuffer|Uint8Array}} [options]
 */
export function loadCore(options = {}) {
  if (corePromise === null) {
    corePromise = (async () => {
      const { default: createStockroomCore } = await import('../../dist/wasm/stockroom-core.mjs');
      return createStockroomCore(factoryOptions(options));
    })();
    corePromise.catch(() => { corePromise = null; });
  }
  return corePromise;
}
