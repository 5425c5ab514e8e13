// The bundle as it ships: dist/Code.js in a vm context with only Apps Script's globals.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// @ts-expect-error esbuild.config.mjs is plain JavaScript with no type declarations
import { manifestRunFunctions } from '../../esbuild.config.mjs';
import { TRIGGERS } from '../../src/shell/automation';
import { ACTIONS } from '../../src/ui/navigation';
import { Bundle } from '../sim/bundle';
import { cardOf, texts } from '../sim/card-driver';
import { makeSchool } from '../sim/school';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../appsscript.json'), 'utf8'));

describe('the shipped bundle', () => {
  const bundle = new Bundle();

  it('defines every function the manifest names as a top-level function', () => {
    const names = manifestRunFunctions(manifest) as string[];
    expect(names).toEqual(expect.arrayContaining(['onHomepage', 'onCalendarEventOpen']));
    for (const name of names) expect(bundle.topLevelFunctions()).toContain(name);
  });

  it('defines every card action and trigger handler as a top-level function', () => {
    for (const name of [...Object.values(ACTIONS), ...Object.values(TRIGGERS), 'setup']) {
      expect(bundle.topLevelFunctions()).toContain(name);
    }
  });

  it('needs nothing from Node: no require, process, setTimeout, URL or TextEncoder', () => {
    // A bare call (not a method such as UrlFetchApp.fetch) of what Apps Script's V8 lacks.
    const nodeOnly =
      /(^|[^.\w$])(require|setTimeout|setInterval|fetch|URL|URLSearchParams|TextEncoder|TextDecoder|process|Buffer)\b\s*[.(]/m;
    expect(nodeOnly.exec(bundle.source)?.[0] ?? null).toBeNull();
  });

  it('returns a card from the homepage trigger, run as a teacher', () => {
    const school = makeSchool();
    const result = bundle.run(
      school.ws,
      'onHomepage',
      {},
      { user: school.teachers[0]!.email, kind: 'card' },
    );
    expect(result.error).toBeUndefined();
    const card = cardOf(result.value);
    expect(texts(card).join(' ')).toContain('Safe Live Lessons');
  });

  it('fails a test, not a school, when code uses a Node-only API', () => {
    const school = makeSchool();
    const broken = new Bundle(resolve(__dirname, 'fixtures/uses-set-timeout.js'));
    const result = broken.run(
      school.ws,
      'onHomepage',
      {},
      { user: school.teachers[0]!.email, kind: 'card' },
    );
    expect(result.ok).toBe(false);
    expect(String(result.error)).toMatch(/setTimeout is not defined/);
  });

  it('refuses to call a function that is not top-level', () => {
    const school = makeSchool();
    const result = bundle.run(
      school.ws,
      'notAnEntryPoint',
      {},
      { user: school.teachers[0]!.email, kind: 'card' },
    );
    expect(String(result.error)).toMatch(/Script function not found: notAnEntryPoint/);
  });
});
