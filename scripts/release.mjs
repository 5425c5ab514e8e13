// `npm run release`: from a clean, committed tree only, the tests, then the build pushed to
// the prod Apps Script project (.clasp.prod.json, gitignored) and the versioned deployment
// the add-on listing uses (its deploymentId, in the same file) moved to a new version
// described by the commit: "<short sha> <subject>". Every step that did not happen fails.

import { spawnSync } from 'node:child_process';
import { push, readTarget, redeploy, runTests, stop } from './clasp-target.mjs';

function git(...args) {
  const run = spawnSync('git', args, { encoding: 'utf8' });
  if (run.status !== 0) {
    stop(
      `Refusing to release: git ${args.join(' ')} failed (${(run.stderr || run.error?.message || '').trim()}).`,
    );
  }
  return run.stdout.trim();
}

/** A release is a commit: nothing uncommitted or untracked may ride along. */
function requireCleanTree(when) {
  const dirty = git('status', '--porcelain');
  if (dirty) {
    stop(
      `Refusing to release: the working tree has uncommitted changes${when}:\n${dirty}\n` +
        'Commit or stash them: a release is described by its commit, so it must be exactly that commit.',
    );
  }
}

requireCleanTree('');
const target = readTarget('prod', { action: 'release', needsDeployment: true });
const sha = git('rev-parse', '--short', 'HEAD');
const description = `${sha} ${git('log', '-1', '--format=%s')}`;
runTests('released');
requireCleanTree(' (the tests changed files)');
if (git('rev-parse', '--short', 'HEAD') !== sha)
  stop('Refusing to release: HEAD moved while the tests ran.');
const what = push(target);
console.log(`Pushed to prod (${target.file}): ${what}.`);
const version = redeploy(target, description);
console.log(
  `\nReleased ${description}: version ${version} of script ${target.scriptId}, ` +
    `deployment ${target.deploymentId} now serves it.`,
);
