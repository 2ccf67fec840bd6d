// --extern-pre-js of the ES module build (outside the factory, top of stockroom-core.mjs).
// Emscripten 3.1.6's Node branch calls require() and reads __dirname, neither of which exists in
// an ES module. Provide both under Node only (top-level await: Node 20 and browsers accept it).
const __stockroomIsNode = typeof process == 'object' && typeof process.versions == 'object' &&
    typeof process.versions.node == 'string';
const require = __stockroomIsNode
    ? (await import('node:module')).createRequire(import.meta.url) : undefined;
const __dirname = __stockroomIsNode
    ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : undefined;
