// The naive poller (tests/bench/naive/naive-poller.ts) appended to the shipped bundle, so a
// simulated school can run it in place of the product's minute monitor: same script, same
// setup, same sidebar, only the minute trigger differs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { BUNDLE_PATH, Bundle } from '../sim/bundle';

export function naiveBundle(): Bundle {
  const naive = buildSync({
    entryPoints: ['tests/bench/naive/naive-poller.ts'],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2020',
    write: false,
    banner: { js: 'var global = this;' },
  }).outputFiles[0]!.text;
  const stubs = 'function naiveTick() {}\nfunction naiveInstall() {}\n';
  mkdirSync('.tmp', { recursive: true });
  const path = '.tmp/naive-bundle.js';
  writeFileSync(path, `${stubs}${readFileSync(BUNDLE_PATH, 'utf8')}\n${naive}`);
  return new Bundle(path);
}
