// What `npm run deploy` and `npm run release` share: read a clasp project file and refuse
// one that cannot be pushed, run the tests, and run clasp so that a push or a redeploy that
// did not happen is a failure, never a line scrolled past.
//
// clasp 3.4.1 (node_modules/@google/clasp/build/src/commands/push.js) prints "Skipping push."
// and exits 0 when appsscript.json changed, --force is absent and there is no terminal to
// ask; so every push here passes --force and reads what clasp printed. The project file is
// passed with the global option `-P, --project <file>` (commands/program.js), which takes a
// file of any name; its rootDir resolves against the file's own folder (core/clasp.js).
//
// Runs in the current directory (npm runs scripts from the package root). CLASP_BIN names
// the clasp executable to run instead of node_modules/.bin/clasp: the tests in
// tests/tooling/ point it at a stub that records its arguments.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLE = '.clasp.example.json';

/** A refusal or failure with a message for the person at the terminal; exits 1. */
export function stop(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

// Script and deployment ids are long runs of letters, digits, - and _. Anything else, or
// anything that still reads like the example's text, is a placeholder.
const ID = /^[A-Za-z0-9_-]{20,}$/;
const PLACEHOLDER = /REPLACE|YOUR|PLACEHOLDER|EXAMPLE|CHANGE_?ME|TODO|xxxxx/i;

function placeholder(value) {
  return typeof value !== 'string' || !ID.test(value) || PLACEHOLDER.test(value);
}

/**
 * Reads `.clasp.<target>.json` and refuses, with what to do, when it is missing, when its
 * scriptId (or, for a release, its deploymentId) is a placeholder, or when it would push
 * anything but the build in dist/.
 */
export function readTarget(target, { action, needsDeployment = false }) {
  const file = `.clasp.${target}.json`;
  const refuse = (why) => stop(`Refusing to ${action}: ${why}`);
  if (!existsSync(file)) {
    refuse(
      `${file} is missing.\n` +
        `Copy ${EXAMPLE} to ${file} and put the ${target} Apps Script project's script id in it ` +
        `(Apps Script editor > Project Settings > IDs). ${file} is gitignored: ids stay out of git.`,
    );
  }
  let config;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    refuse(`${file} is not valid JSON (${error.message}).`);
  }
  if (placeholder(config.scriptId)) {
    refuse(
      `the scriptId in ${file} is a placeholder (${JSON.stringify(config.scriptId ?? null)}).\n` +
        `Put the ${target} Apps Script project's script id there ` +
        '(Apps Script editor > Project Settings > IDs).',
    );
  }
  if (config.rootDir !== 'dist' || config.srcDir !== undefined) {
    refuse(
      `${file} must have "rootDir": "dist" (and no srcDir): the build writes dist/, and clasp ` +
        'pushes everything under the folder it is given.',
    );
  }
  if (needsDeployment && placeholder(config.deploymentId)) {
    refuse(
      `the deploymentId in ${file} is a placeholder (${JSON.stringify(config.deploymentId ?? null)}).\n` +
        'Put there the id of the versioned deployment the add-on listing uses ' +
        `(npx clasp -P ${file} list-deployments; README, "Deploying for real with clasp").`,
    );
  }
  return { file, scriptId: config.scriptId, deploymentId: config.deploymentId };
}

/** The full test suite; nothing is pushed unless it passes. `outcome`: "deployed", "released". */
export function runTests(outcome) {
  console.log('Running the tests (npm test) first.');
  const run = spawnSync('npm', ['test'], { stdio: 'inherit' });
  if (run.error) stop(`Not ${outcome}: npm test could not start (${run.error.message}).`);
  if (run.status !== 0) stop(`Not ${outcome}: the tests failed, so nothing was pushed.`);
}

function clasp(args) {
  const bin = process.env.CLASP_BIN || join('node_modules', '.bin', 'clasp');
  console.log(`$ clasp ${args.join(' ')}`);
  const run = spawnSync(bin, args, { encoding: 'utf8', stdio: ['inherit', 'pipe', 'pipe'] });
  if (run.error) stop(`clasp could not start (${bin}: ${run.error.message}). Run npm ci first.`);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

/**
 * `clasp -P <file> push --force`, and a failure unless clasp says it pushed files (or that
 * the project already holds exactly these files: clasp compares every file's content).
 */
export function push(target) {
  const { status, out } = clasp(['-P', target.file, 'push', '--force']);
  if (status !== 0) stop(`clasp push failed (exit ${status}): nothing may have been pushed.`);
  if (/Skipping push\./.test(out)) {
    stop('clasp skipped the push ("Skipping push."): the Apps Script project was not updated.');
  }
  const pushed = out.match(/^Pushed (\d+ files|one file) at /m);
  if (pushed) return `pushed ${pushed[1]}`;
  if (/^Script is already up to date\.$/m.test(out)) return 'already up to date';
  return stop(
    'clasp did not report "Pushed N files": the Apps Script project may not have been updated.',
  );
}

/**
 * `clasp -P <file> update-deployment <id> --description <text>`: a new version of what was
 * pushed, described by `description`, and the deployment moved to it. Returns its number.
 */
export function redeploy(target, description) {
  const { status, out } = clasp([
    '-P',
    target.file,
    'update-deployment',
    target.deploymentId,
    '--description',
    description,
  ]);
  if (status !== 0) {
    stop(
      `clasp update-deployment failed (exit ${status}): the add-on listing still serves the previous version.`,
    );
  }
  const done = out.match(/^Redeployed (\S+) @(\d+)/m);
  if (!done || done[1] !== target.deploymentId) {
    stop(
      'clasp did not report "Redeployed <deployment id> @<version>": the add-on listing may still serve the previous version.',
    );
  }
  return Number(done[2]);
}
