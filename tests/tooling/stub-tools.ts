// A scratch project for the deploy and release scripts: a temporary folder (optionally a git
// repository) where `clasp` and `npm` are stubs that record their arguments. clasp's stub
// prints what clasp 3.4.1 prints (node_modules/@google/clasp/build/src/commands/push.js and
// update-deployment.js); what it says for `push` is chosen per test.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCRIPTS = resolve(__dirname, '../../scripts');

/** What the clasp stub answers to `push`. */
export type PushOutcome = 'pushed' | 'skipped' | 'up-to-date' | 'silent' | 'error';

export interface Call {
  tool: 'clasp' | 'npm';
  args: string[];
}

export interface RunResult {
  status: number | null;
  output: string;
  calls: Call[];
}

// A real-looking script id and deployment id (letters, digits, - and _).
export const SCRIPT_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdefghijklmnopqrstu';
export const DEPLOYMENT_ID = 'AKfycbx0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW';

const RECORD = `
const { appendFileSync } = require('node:fs');
appendFileSync(process.env.STUB_LOG, JSON.stringify({ tool: TOOL, args: process.argv.slice(2) }) + '\\n');
`;

const CLASP = `#!/usr/bin/env node
const TOOL = 'clasp';
${RECORD}
const args = process.argv.slice(2);
if (args.includes('push')) {
  const outcome = process.env.STUB_PUSH || 'pushed';
  if (outcome === 'pushed') {
    console.log('Pushed 2 files at 10:41:07.');
    console.log('└─ dist/appsscript.json');
    console.log('└─ dist/Code.js');
  } else if (outcome === 'skipped') {
    console.log('Skipping push.');
  } else if (outcome === 'up-to-date') {
    console.log('Script is already up to date.');
  } else if (outcome === 'error') {
    console.error('Could not read API credentials. Are you logged in globally?');
    process.exitCode = 1;
  }
}
const at = args.indexOf('update-deployment');
if (at >= 0) console.log('Redeployed ' + args[at + 1] + ' @7');
`;

const NPM = `#!/usr/bin/env node
const TOOL = 'npm';
${RECORD}
process.exitCode = Number(process.env.STUB_TESTS_EXIT || 0);
`;

export class ScratchProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'sll-tooling-'));
  private readonly bin = join(this.dir, '.stub-bin');
  private readonly log = join(this.dir, '.stub-calls.jsonl');

  constructor() {
    mkdirSync(this.bin);
    for (const [name, source] of [
      ['clasp', CLASP],
      ['npm', NPM],
    ] as const) {
      writeFileSync(join(this.bin, name), source);
      chmodSync(join(this.bin, name), 0o755);
    }
    // The stubs and their record stay out of `git status`, as node_modules/ would.
    writeFileSync(
      join(this.dir, '.gitignore'),
      '.stub-bin/\n.stub-calls.jsonl\n.clasp.dev.json\n.clasp.prod.json\n',
    );
  }

  write(file: string, content: unknown): this {
    writeFileSync(
      join(this.dir, file),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
    return this;
  }

  projectFile(target: 'dev' | 'prod', fields: Record<string, unknown> = {}): this {
    return this.write(`.clasp.${target}.json`, {
      scriptId: SCRIPT_ID,
      rootDir: 'dist',
      ...(target === 'prod' ? { deploymentId: DEPLOYMENT_ID } : {}),
      ...fields,
    });
  }

  git(...args: string[]): string {
    const run = spawnSync(
      'git',
      ['-c', 'user.name=Release Test', '-c', 'user.email=release@test.invalid', ...args],
      { cwd: this.dir, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
    return run.stdout.trim();
  }

  /** A repository with one commit: "Link withdrawn five minutes before the end". */
  committed(): this {
    this.git('init', '-q');
    this.write('README.md', 'A school.\n');
    this.git('add', '-A');
    this.git('commit', '-q', '-m', 'Link withdrawn five minutes before the end');
    return this;
  }

  /** Runs scripts/<script> here, with clasp and npm replaced by the stubs. */
  run(script: string, env: { push?: PushOutcome; testsExit?: number } = {}): RunResult {
    rmSync(this.log, { force: true });
    const run = spawnSync(process.execPath, [join(SCRIPTS, script)], {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${this.bin}:${process.env.PATH}`,
        CLASP_BIN: join(this.bin, 'clasp'),
        STUB_LOG: this.log,
        STUB_PUSH: env.push ?? 'pushed',
        STUB_TESTS_EXIT: String(env.testsExit ?? 0),
      },
    });
    let calls: Call[] = [];
    try {
      calls = readFileSync(this.log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call);
    } catch {
      calls = [];
    }
    return { status: run.status, output: `${run.stdout}${run.stderr}`, calls };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
