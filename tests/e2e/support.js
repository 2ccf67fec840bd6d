// Shared by the browser tests: the demo served on 127.0.0.1 (ephemeral port), Debian's Chromium
// driven by playwright-core with a fresh profile, and a network guard that blocks (and counts)
// every request to any other host.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createDemoServer } from '../../scripts/serve-demo.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const artifacts = join(repoRoot, 'artifacts', 'e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions'];

/** Starts the static demo server on 127.0.0.1:0. Returns { server, origin }. */
export async function startDemoServer() {
  const server = createDemoServer();
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export function closeServer(server) {
  return new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); });
}

export function newProfileDir() {
  return mkdtempSync(join(tmpdir(), 'stockroom-e2e-'));
}

/**
 * Opens Chromium with `profile` (kept between launches: IndexedDB survives a restart). Every request
 * whose origin is not `origin` is aborted and recorded in `guard.blocked`; console lines and page
 * errors go to `guard.console`.
 */
export async function launch(profile, origin, { viewport = { width: 1200, height: 900 } } = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, acceptDownloads: true,
  });
  const guard = { blocked: [], console: [], requests: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) {
      guard.requests.push(url);
      return route.continue();
    }
    guard.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => guard.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => guard.console.push(`pageerror: ${e.message}`));
  return { context, page, guard };
}

/** Waits until the page says it is ready (core loaded, catalog registered, journal replayed). */
export async function waitReady(page) {
  await page.locator('#status', { hasText: 'Ready:' }).waitFor({ timeout: 20000 });
}

/** Console lines that mean something is wrong (the favicon is data:, so no 404 is expected). */
export function badConsoleLines(guard) {
  return guard.console.filter((l) => /^(error|pageerror)|streaming compile failed|Content Security Policy|Refused to/i.test(l));
}

export function ensureArtifacts() {
  mkdirSync(artifacts, { recursive: true });
  return artifacts;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
