// The clasp project file (.clasp.example.json, copied to .clasp.dev.json and .clasp.prod.json)
// points where the build writes: clasp would push exactly the manifest and the bundle.

import { execFileSync } from 'node:child_process';

describe('clasp', () => {
  it('would push exactly appsscript.json and Code.js from dist/ (clasp status, offline)', () => {
    const out = execFileSync('npx', ['clasp', '-P', '.clasp.example.json', 'status'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tracked = out
      .split('Untracked files:')[0]!
      .split('\n')
      .filter((line) => line.includes('└─'))
      .map((line) => line.replace(/.*└─\s*/, '').trim())
      .sort();
    expect(tracked).toEqual(['dist/Code.js', 'dist/appsscript.json']);
  });
});
