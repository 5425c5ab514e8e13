// scripts/check-lock.mjs, the first step of `npm test`: package.json, package-lock.json and
// node_modules must agree, so CI's `npm ci` installs exactly what was tested.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../scripts/check-lock.mjs');
const REPO = resolve(__dirname, '../..');

function check(dir: string, ...flags: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, dir, ...flags], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Fixture {
  pins?: Record<string, string>;
  locked?: Record<string, string>;
  resolved?: Record<string, string>;
  installed?: Record<string, string>;
  extraLocked?: Record<string, string>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sll-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project whose three sources say what the fixture says (by default: they agree). */
function project(f: Fixture = {}) {
  const pins = f.pins ?? { jest: '30.5.2', '@google/clasp': '3.4.1' };
  const locked = { ...(f.locked ?? pins), ...(f.extraLocked ?? {}) };
  const resolved = f.resolved ?? pins;
  const installed = f.installed ?? pins;
  const base = { name: 'school', version: '0.1.0', license: 'UNLICENSED' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...base, devDependencies: pins }));
  const packages: Record<string, unknown> = { '': { ...base, devDependencies: locked } };
  for (const [name, version] of Object.entries(resolved)) {
    packages[`node_modules/${name}`] = { version, dev: true };
  }
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ ...base, lockfileVersion: 3, requires: true, packages }),
  );
  for (const [name, version] of Object.entries(installed)) {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ version }));
  }
}

describe('package.json and the lock file cannot drift apart', () => {
  it("passes on this repository's own package.json, lock file and install", () => {
    const result = check(REPO);
    expect(result.output).toContain('agree');
    expect(result.status).toBe(0);
  });

  it('passes when all three agree', () => {
    project();
    expect(check(dir).status).toBe(0);
  });

  it('fails when package.json pins a version the lock file does not hold', () => {
    project({
      pins: { jest: '30.6.0', '@google/clasp': '3.4.1' },
      locked: { jest: '30.5.2', '@google/clasp': '3.4.1' },
      resolved: { jest: '30.5.2', '@google/clasp': '3.4.1' },
      installed: { jest: '30.5.2', '@google/clasp': '3.4.1' },
    });
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      "devDependencies.jest: package.json pins 30.6.0, the lock file's root entry has 30.5.2",
    );
    expect(result.output).toContain(
      'jest: package.json pins 30.6.0, the lock file resolves 30.5.2',
    );
  });

  it('fails when the lock file resolves another version than its root entry names', () => {
    project({ resolved: { jest: '30.5.1', '@google/clasp': '3.4.1' } });
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'jest: package.json pins 30.5.2, the lock file resolves 30.5.1',
    );
  });

  it('fails when node_modules holds another version, and says to run npm ci', () => {
    project({ installed: { jest: '30.5.2', '@google/clasp': '3.5.0' } });
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      '@google/clasp: package.json pins 3.4.1, node_modules has 3.5.0 (run npm ci)',
    );
    expect(check(dir, '--no-installed').status).toBe(0);
  });

  it('fails on a version range: every dependency is pinned exactly', () => {
    project({ pins: { jest: '^30.5.2' }, resolved: { jest: '30.5.2' } });
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain('devDependencies.jest is "^30.5.2": pin an exact version');
  });

  it('fails when the lock file still names a dependency package.json dropped', () => {
    project({ extraLocked: { lodash: '4.17.21' } });
    const result = check(dir);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      "devDependencies.lodash: in the lock file's root entry but not in package.json",
    );
  });
});
