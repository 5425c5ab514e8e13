// `npm run deploy` and `npm run release` (scripts/deploy.mjs, scripts/release.mjs) with clasp
// and npm replaced by stubs that record their arguments: a deploy that cannot silently do
// nothing, and a release that is exactly one commit.

import { DEPLOYMENT_ID, SCRIPT_ID, ScratchProject } from './stub-tools';

jest.setTimeout(30_000);

let project: ScratchProject;
beforeEach(() => {
  project = new ScratchProject();
});
afterEach(() => project.remove());

const clasp = (calls: { tool: string; args: string[] }[]) =>
  calls.filter((c) => c.tool === 'clasp').map((c) => c.args);
const npm = (calls: { tool: string; args: string[] }[]) =>
  calls.filter((c) => c.tool === 'npm').map((c) => c.args);

describe('npm run deploy (dev)', () => {
  it('refuses, and runs nothing, while .clasp.dev.json is missing', () => {
    const result = project.run('deploy.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('Refusing to deploy: .clasp.dev.json is missing.');
    expect(result.output).toContain('Copy .clasp.example.json to .clasp.dev.json');
    expect(result.calls).toEqual([]);
  });

  it('refuses, and runs nothing, while the script id is the example placeholder', () => {
    project.projectFile('dev', { scriptId: 'REPLACE_WITH_THE_APPS_SCRIPT_PROJECT_SCRIPT_ID' });
    const result = project.run('deploy.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('the scriptId in .clasp.dev.json is a placeholder');
    expect(result.calls).toEqual([]);
  });

  it('refuses a project file that would push anything but dist/', () => {
    project.projectFile('dev', { rootDir: '.' });
    const result = project.run('deploy.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('must have "rootDir": "dist"');
    expect(result.calls).toEqual([]);
  });

  it('runs the tests, then pushes with --force to the dev project file', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs');
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      { tool: 'npm', args: ['test'] },
      { tool: 'clasp', args: ['-P', '.clasp.dev.json', 'push', '--force'] },
    ]);
    expect(result.output).toContain(`Deployed to dev (.clasp.dev.json, script ${SCRIPT_ID})`);
  });

  it('pushes nothing when the tests fail', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs', { testsExit: 1 });
    expect(result.status).toBe(1);
    expect(result.output).toContain('Not deployed: the tests failed, so nothing was pushed.');
    expect(clasp(result.calls)).toEqual([]);
  });

  it('fails when clasp prints "Skipping push." and exits 0', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs', { push: 'skipped' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('clasp skipped the push');
    expect(result.output).not.toContain('Deployed to dev');
  });

  it('fails when clasp exits 0 without reporting "Pushed N files"', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs', { push: 'silent' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('clasp did not report "Pushed N files"');
  });

  it('fails when clasp itself fails (not logged in)', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs', { push: 'error' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('clasp push failed (exit 1)');
  });

  it('accepts a project that already holds exactly these files, and says so', () => {
    project.projectFile('dev');
    const result = project.run('deploy.mjs', { push: 'up-to-date' });
    expect(result.status).toBe(0);
    expect(result.output).toContain('already up to date');
  });
});

describe('npm run release (prod)', () => {
  it('refuses with uncommitted changes, before testing or pushing anything', () => {
    project.projectFile('prod').committed();
    project.write('README.md', 'A school, changed but not committed.\n');
    const result = project.run('release.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'Refusing to release: the working tree has uncommitted changes',
    );
    expect(result.output).toContain('README.md');
    expect(result.calls).toEqual([]);
  });

  it('refuses with an untracked file too: it would ride along unrecorded', () => {
    project.projectFile('prod').committed();
    project.write('notes.txt', 'not committed\n');
    const result = project.run('release.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('notes.txt');
    expect(result.calls).toEqual([]);
  });

  it('refuses while .clasp.prod.json is missing', () => {
    project.committed();
    const result = project.run('release.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('Refusing to release: .clasp.prod.json is missing.');
    expect(result.calls).toEqual([]);
  });

  it('refuses while the deployment id is a placeholder', () => {
    project
      .projectFile('prod', { deploymentId: 'REPLACE_WITH_THE_ADD_ON_VERSIONED_DEPLOYMENT_ID' })
      .committed();
    const result = project.run('release.mjs');
    expect(result.status).toBe(1);
    expect(result.output).toContain('the deploymentId in .clasp.prod.json is a placeholder');
    expect(result.calls).toEqual([]);
  });

  it('tests, pushes to prod with --force, then moves the deployment to a version named after the commit', () => {
    project.projectFile('prod').committed();
    const sha = project.git('rev-parse', '--short', 'HEAD');
    const result = project.run('release.mjs');
    expect(result.status).toBe(0);
    expect(npm(result.calls)).toEqual([['test']]);
    expect(clasp(result.calls)).toEqual([
      ['-P', '.clasp.prod.json', 'push', '--force'],
      [
        '-P',
        '.clasp.prod.json',
        'update-deployment',
        DEPLOYMENT_ID,
        '--description',
        `${sha} Link withdrawn five minutes before the end`,
      ],
    ]);
    expect(result.output).toContain(
      `Released ${sha} Link withdrawn five minutes before the end: version 7`,
    );
  });

  it('does not move the deployment when the push was skipped', () => {
    project.projectFile('prod').committed();
    const result = project.run('release.mjs', { push: 'skipped' });
    expect(result.status).toBe(1);
    expect(clasp(result.calls)).toEqual([['-P', '.clasp.prod.json', 'push', '--force']]);
  });

  it('pushes nothing when the tests fail', () => {
    project.projectFile('prod').committed();
    const result = project.run('release.mjs', { testsExit: 1 });
    expect(result.status).toBe(1);
    expect(result.output).toContain('Not released: the tests failed');
    expect(clasp(result.calls)).toEqual([]);
  });
});
