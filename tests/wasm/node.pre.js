// Fallback --pre-js for the wasm test binary, used only while wasm/node.pre.js does not exist.
// Emscripten 3.1.6 loads the .wasm with fetch() whenever a global fetch exists, even in Node 20,
// and fails with "Failed to parse URL". Shadowing fetch makes it read the file with fs instead.
var fetch = globalThis.fetch;
if (typeof process == 'object' && typeof process.versions == 'object' &&
    typeof process.versions.node == 'string') {
  fetch = undefined;
}
