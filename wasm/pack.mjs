// Builds the publishable npm tarball of the `stockroom` package.
//
//   node wasm/pack.mjs [--destination DIR]      (default: dist/)   -> prints the .tgz path
//
// Why a staging folder: the repository's root package.json is both the package manifest (name,
// version, exports, types, files) and the manifest of the REST service that lives in the same repo,
// so its `dependencies` list fastify, better-sqlite3, ... which the package itself never imports.
// Packing the root as is would make every user install them. Instead this script copies exactly
// the root's `files` into dist/npm/, writes a package.json holding only the package's own fields
// (no dependencies, no scripts), uses wasm/README.md as the package README, and runs `npm pack`
// there. The layout inside the tarball equals the repo's (wasm/js/, dist/wasm/), so the relative
// import from wasm/js/core.js to dist/wasm/stockroom-core.mjs holds in both.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const destIndex = args.indexOf('--destination');
const destination = resolve(destIndex >= 0 ? args[destIndex + 1] : join(root, 'dist'));
const stage = join(root, 'dist', 'npm');

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const KEEP = ['name', 'version', 'description', 'keywords', 'homepage', 'bugs', 'license', 'author',
  'contributors', 'repository', 'type', 'engines', 'main', 'types', 'exports', 'files', 'sideEffects'];
const published = {};
for (const key of KEEP) if (manifest[key] !== undefined) published[key] = manifest[key];
if (!published.files?.length) throw new Error('package.json has no "files"');

// Expand the `files` entries (plain paths, or a folder with a "*.ext" pattern) into file paths.
function expand(entry) {
  const star = entry.lastIndexOf('*');
  if (star < 0) return [entry];
  const folder = entry.slice(0, entry.lastIndexOf('/', star) + 1);
  const suffix = entry.slice(star + 1);
  return readdirSync(join(root, folder)).filter((f) => f.endsWith(suffix)).map((f) => folder + f);
}

rmSync(stage, { recursive: true, force: true });
for (const entry of published.files) {
  const matches = expand(entry);
  if (matches.length === 0) throw new Error(`"files" entry ${entry} matches nothing`);
  for (const file of matches) {
    const from = join(root, file);
    if (!existsSync(from)) {
      throw new Error(`${file} is missing; build the wasm core first (cmake --preset wasm && cmake --build --preset wasm)`);
    }
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(from, join(stage, file));
  }
}
copyFileSync(join(root, 'wasm', 'README.md'), join(stage, 'README.md'));
if (existsSync(join(root, 'LICENSE'))) copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

mkdirSync(destination, { recursive: true });
const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
  cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
});
const [info] = JSON.parse(out);
console.log(join(destination, info.filename));
