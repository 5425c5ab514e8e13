// The repository explains itself: the README, docs/ and code comments point only at files
// the repository holds and at README sections that exist, and docs/requirements.md and
// docs/policies.md agree on which policy drives which requirement.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function filesUnder(dir: string, ends: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path, ends));
    else if (ends.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

const DOCS = ['README.md', 'tests/sim/README.md', ...filesUnder('docs', ['.md'])];
const CODE = [
  ...filesUnder('src', ['.ts']),
  ...filesUnder('tests', ['.ts', '.mjs', '.cjs']),
  ...filesUnder('scripts', ['.mjs']),
  '.ci/run',
  'esbuild.config.mjs',
].filter((file) => file !== relative(ROOT, __filename));

describe('the docs and comments are self-contained', () => {
  it('never point outside the repository, to the design or policy folders a clone does not have', () => {
    // Built from parts, so that this file does not match itself.
    const outside = ['..' + '/shared', 'shared' + '/design', 'shared' + '/policies'];
    const hits = [...DOCS, ...CODE].flatMap((file) =>
      outside.filter((s) => read(file).includes(s)).map((s) => `${file}: ${s}`),
    );
    expect(hits).toEqual([]);
  });

  it('link only to files that exist', () => {
    const broken = DOCS.flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(join(ROOT, dirname(file), target)))
        .map((target) => `${file} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('name only README sections that exist when they say (README, "Section")', () => {
    const headings = new Set(
      [...read('README.md').matchAll(/^#{1,4} (.+)$/gm)].map((m) => m[1]!.trim()),
    );
    const missing = [...DOCS, ...CODE].flatMap((file) =>
      [...read(file).matchAll(/README, "([^"]+)"/g)]
        .map((m) => m[1]!)
        .filter((section) => !headings.has(section))
        .map((section) => `${file}: README, "${section}"`),
    );
    expect(missing).toEqual([]);
  });
});

describe('docs/requirements.md and docs/policies.md', () => {
  const requirements = read('docs/requirements.md');
  const policies = read('docs/policies.md');

  /** R-number → the policies its "Policy 00N (...)" lines cite. */
  const cited = new Map<number, Set<string>>();
  for (const section of requirements.split(/^### /m).slice(1)) {
    const n = Number(/^R(\d+) /.exec(section)?.[1]);
    cited.set(n, new Set([...section.matchAll(/^- Policy (00\d) \(/gm)].map((m) => m[1]!)));
  }

  /** R-number → the policies whose "Drives:" line lists it (ranges like R1–R7 expanded). */
  const drives = new Map<number, Set<string>>();
  for (const section of policies.split(/^## Policy /m).slice(1)) {
    const policy = section.slice(0, 3);
    const line = /\*\*Drives:\*\*([^(]*)/.exec(section)?.[1] ?? '';
    for (const [, from, to] of line.matchAll(/R(\d+)(?:–R(\d+))?/g)) {
      for (let n = Number(from); n <= Number(to ?? from); n++) {
        if (!drives.has(n)) drives.set(n, new Set());
        drives.get(n)!.add(policy);
      }
    }
  }

  it('list R1 to R28, each once, each citing at least one policy section', () => {
    expect([...cited.keys()]).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    for (const [n, from] of cited) expect([n, from.size > 0]).toEqual([n, true]);
  });

  it('describe all five policies, 000 to 004', () => {
    expect([...policies.matchAll(/^## Policy (00\d):/gm)].map((m) => m[1])).toEqual([
      '000',
      '001',
      '002',
      '003',
      '004',
    ]);
  });

  it('agree on which policies drive each requirement', () => {
    const disagree = [...cited].flatMap(([n, from]) => {
      const a = [...from].sort().join(',');
      const b = [...(drives.get(n) ?? [])].sort().join(',');
      return a === b ? [] : [`R${n}: requirements.md cites ${a}; policies.md says ${b}`];
    });
    expect(disagree).toEqual([]);
  });
});
