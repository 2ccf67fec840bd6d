// --pre-js for every Emscripten 3.1.6 binary this repo runs under Node 20 (the package's
// stockroom-core.mjs and the wasm GoogleTest binary). No-op in browsers.
//
// 1. The 3.1.6 loader calls fetch() whenever a global fetch exists, even in Node, and fails with
//    "Failed to parse URL from /abs/path/x.wasm". Shadowing fetch inside the factory makes it read
//    the file with fs instead.
// 2. An ES6 build would otherwise resolve the .wasm to a file:// URL that fs cannot open; a
//    locateFile that joins the script directory and the file name gives a plain path.
//    A caller's own locateFile (or wasmBinary) wins.
var fetch = globalThis.fetch;
if (typeof process == 'object' && typeof process.versions == 'object' &&
    typeof process.versions.node == 'string') {
  fetch = undefined;
  if (!Module['locateFile']) {
    Module['locateFile'] = function (path, dir) { return dir + path; };
  }
}
