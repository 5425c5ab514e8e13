// Runs a TypeScript script (demo, bench, soak) on Node: esbuild bundles it to a
// temporary file first, so no second TypeScript runtime is needed.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tests/support/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
// Inside the project (.tmp/, ignored by git), so the script can load packages such as esbuild.
mkdirSync('.tmp', { recursive: true });
const dir = mkdtempSync(join(resolve('.tmp'), 'run-'));
const outfile = join(dir, 'script.cjs');
await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  sourcemap: 'inline',
  logLevel: 'warning',
  // The bench builds the naive poller's script with esbuild itself: loaded from node_modules.
  external: ['esbuild'],
});
process.argv = [process.argv[0], resolve(entry), ...args];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
