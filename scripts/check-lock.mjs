// `node scripts/check-lock.mjs [dir]`: fails when package.json, package-lock.json and the
// installed node_modules disagree, so a changed pin cannot reach CI without its lock file
// (where `npm ci` would refuse it) and a stale local install cannot pass the tests.
//
// Checked, for every dependency package.json names (all pinned to an exact version):
// - the lock file's root entry (packages[""]) names the same version in the same section;
// - the lock file's own entry (packages["node_modules/<name>"]) resolves that version;
// - node_modules/<name>/package.json is that version (skipped with --no-installed).
// The root entry's name, version, license and engines must match package.json too: npm
// rewrites the lock file on the next install when they differ.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const EXACT = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function readJson(path, problems) {
  if (!existsSync(path)) {
    problems.push(`${path} is missing`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${path} is not valid JSON: ${error.message}`);
    return null;
  }
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Every way the three disagree, in plain words; empty when they agree. */
function lockProblems(dir, { installed = true } = {}) {
  const problems = [];
  const pkg = readJson(join(dir, 'package.json'), problems);
  const lock = readJson(join(dir, 'package-lock.json'), problems);
  if (!pkg || !lock) return problems;
  const root = lock.packages?.[''];
  if (lock.lockfileVersion !== 3 || !root) {
    problems.push(
      `package-lock.json is lockfileVersion ${lock.lockfileVersion}; npm 9+ writes 3 (with a packages[""] entry)`,
    );
    return problems;
  }
  for (const field of ['name', 'version']) {
    if (!same(lock[field], pkg[field]) || !same(root[field], pkg[field])) {
      problems.push(
        `${field}: package.json says ${JSON.stringify(pkg[field])}, package-lock.json says ${JSON.stringify(root[field])}`,
      );
    }
  }
  for (const field of ['license', 'engines']) {
    if (!same(root[field], pkg[field])) {
      problems.push(
        `${field}: package.json says ${JSON.stringify(pkg[field])}, the lock file's root entry says ${JSON.stringify(root[field])}`,
      );
    }
  }
  for (const section of SECTIONS) {
    const wanted = pkg[section] ?? {};
    const locked = root[section] ?? {};
    for (const [name, spec] of Object.entries(wanted)) {
      if (!EXACT.test(spec)) {
        problems.push(`${section}.${name} is "${spec}": pin an exact version (no ^, ~ or range)`);
      }
      if (locked[name] !== spec) {
        problems.push(
          `${section}.${name}: package.json pins ${spec}, the lock file's root entry has ${locked[name] ?? 'nothing'}`,
        );
      }
      const entry = lock.packages[`node_modules/${name}`];
      if (!entry) {
        problems.push(`${name}: the lock file resolves no node_modules/${name}`);
      } else if (entry.version !== spec) {
        problems.push(
          `${name}: package.json pins ${spec}, the lock file resolves ${entry.version}`,
        );
      }
      if (installed) {
        const manifest = join(dir, 'node_modules', name, 'package.json');
        const version = existsSync(manifest)
          ? JSON.parse(readFileSync(manifest, 'utf8')).version
          : null;
        if (version !== spec) {
          problems.push(
            `${name}: package.json pins ${spec}, node_modules has ${version ?? 'nothing'} (run npm ci)`,
          );
        }
      }
    }
    for (const name of Object.keys(locked)) {
      if (!(name in wanted)) {
        problems.push(`${section}.${name}: in the lock file's root entry but not in package.json`);
      }
    }
  }
  return problems;
}

const args = process.argv.slice(2);
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
const problems = lockProblems(dir, { installed: !args.includes('--no-installed') });
if (problems.length > 0) {
  console.error(`package.json and package-lock.json have drifted apart (${dir}):`);
  for (const p of problems) console.error(`- ${p}`);
  console.error(
    'Change a dependency with `npm install --save-exact <name>@<version>`, commit both files, then `npm ci`.',
  );
  process.exit(1);
}
console.log('package.json, package-lock.json and node_modules agree.');
