// Builds the one file Apps Script runs: src/main.ts -> dist/Code.js, plus the manifest.
//
// Apps Script calls entry points (manifest triggers, card actions, installable
// triggers) by looking up a *top-level function* by name. A bundle hides its
// functions inside a closure, so, as gas-webpack-plugin does, we let
// gas-entry-generator find every `global.name = ...` assignment in the bundle
// and emit an empty top-level `function name() {}` stub for it. At load the
// bundle runs and its assignment replaces the stub with the real function.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import gasEntryGenerator from 'gas-entry-generator';

const OUT_DIR = 'dist';
// Apps Script's V8 runtime runs ES2020 syntax; newer syntax is lowered.
const TARGET = 'es2020';

export async function buildBundle() {
  const result = await build({
    entryPoints: ['src/main.ts'],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: TARGET,
    write: false,
    charset: 'utf8',
    legalComments: 'none',
    // Whitespace and syntax are minified; identifiers are not, so Apps Script's stack traces
    // still name our functions (a 6-minute kill or an exception says where it happened).
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    // gas-entry-generator 2.x looks for assignments to an identifier named `global`.
    banner: { js: 'var global = this;' },
    logLevel: 'warning',
  });
  const bundle = result.outputFiles[0].text;
  const { entryPointFunctions } = gasEntryGenerator.generate(bundle, { comment: true });
  const code = `${entryPointFunctions}\n${bundle}`;

  const manifest = JSON.parse(readFileSync('appsscript.json', 'utf8'));
  assertManifestEntryPointsExist(manifest, code);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/Code.js`, code);
  copyFileSync('appsscript.json', `${OUT_DIR}/appsscript.json`);
  return { bytes: Buffer.byteLength(code, 'utf8'), entryPoints: topLevelFunctionNames(code) };
}

/** Names of the top-level `function x() {}` stubs, i.e. what Apps Script can call. */
export function topLevelFunctionNames(code) {
  return [...code.matchAll(/^function ([A-Za-z_$][\w$]*)\s*\(/gm)].map((m) => m[1]);
}

/** Every runFunction the manifest names, anywhere in it. */
export function manifestRunFunctions(manifest) {
  const names = [];
  const visit = (value) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'runFunction' && typeof inner === 'string') names.push(inner);
        else visit(inner);
      }
    }
  };
  visit(manifest);
  return names;
}

function assertManifestEntryPointsExist(manifest, code) {
  const defined = new Set(topLevelFunctionNames(code));
  const missing = manifestRunFunctions(manifest).filter((name) => !defined.has(name));
  if (missing.length > 0) {
    throw new Error(
      `appsscript.json names functions the bundle does not define: ${missing.join(', ')}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildBundle().then(
    ({ bytes, entryPoints }) =>
      console.log(`dist/Code.js: ${bytes} bytes, ${entryPoints.length} entry points`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
