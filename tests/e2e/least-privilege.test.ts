// Least privilege, written down (issue 9, point 5), through the built bundle. The automation
// asks Google, when it acts as a teacher, for exactly the scopes its calls as that teacher
// need: the simulated Workspace records each scope check a delegated token met, and a scope
// is needed when it is the only one of the token's scopes that let some call through. Every
// scope, the manifest's and the delegated ones, has its reason in the README. And setup never
// hands the automation role to whoever happens to run it.

import { readFileSync } from 'node:fs';
import { DELEGATED_SCOPES } from '../../src/adapters/credentials';
import { readManifest } from '../sim/workspace';
import { DeployedSchool, monday } from './deployed-school';
import { Timetable } from './timetable';

const AUTH = 'https://www.googleapis.com/auth/';

/** The scopes named in one README table (first column), as full URLs. */
function readmeScopes(heading: string): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const lines = readme.slice(start).split('\n').slice(1);
  const first = lines.findIndex((line) => line.startsWith('|'));
  let end = first;
  while (end < lines.length && lines[end]!.startsWith('|')) end += 1;
  return lines
    .slice(first + 2, end) // after the header row and its |---| rule
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z._]+)`/g)].map((m) => m[1]!))
    .map((s) => `${AUTH}${s}`);
}

describe('least privilege', () => {
  it('asks, as a teacher, for exactly the scopes the automation needs for that teacher’s lesson, recording included', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { ws } = school;
    const course = school.school.courses[0]!;
    const table = new Timetable(school);
    const plan = table.add({
      course,
      title: 'Phonics',
      start: monday(10),
      minutes: 30,
      teacherJoins: -3,
      pupils: course.pupils.slice(0, 4),
      intruder: null,
    });
    const id = plan.lessonId!;
    table.runUntil(monday(11));
    school.advanceTo(monday(14));

    // The whole life of the lesson ran on the automation's delegated calls: room opened and its
    // link written on the lesson's Calendar event, link shared and withdrawn, call ended, roster
    // read, recording moved into the school's drive.
    expect(school.sessionRow(id)).toMatchObject({ Status: 'closed', 'Pupils Present': 4 });
    expect(school.sessionRow(id)!['Link Withdrawn']).not.toBe('');
    const [recording] = ws.sheets.table(school.logId, 'Recordings').slice(1);
    expect(recording?.[0]).toBe(id);

    const delegated = ws.kernel.tokens.uses.filter((u) => u.via === 'delegation');
    // Nothing it asked for as the teacher was refused, and it acted as nobody but the teacher.
    expect(delegated.filter((u) => u.granted.length === 0)).toEqual([]);
    expect([...new Set(delegated.map((u) => u.user))]).toEqual([course.teacher.email]);

    // A scope is needed when some call got through on it alone.
    const needed = [
      ...new Set(delegated.filter((u) => u.granted.length === 1).map((u) => u.granted[0]!)),
    ];
    expect(needed.sort()).toEqual([...DELEGATED_SCOPES].sort());
  });

  it('gives every scope its reason in the README: the manifest’s and the delegated ones, nothing more', () => {
    expect(readmeScopes('#### What every user of the project grants').sort()).toEqual(
      [...(readManifest().oauthScopes ?? [])].sort(),
    );
    expect(readmeScopes('#### What the automation may do as a teacher').sort()).toEqual(
      [...DELEGATED_SCOPES].sort(),
    );
  });

  it('refuses to hand the automation role to anyone else who runs setup, and says who may', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const automation = school.school.automation.email;
    const head = school.school.head.email;
    const configBefore = ws.properties.scriptStore().config;
    const triggersBefore = ws.scriptApp.triggers();

    const result = school.tryRun('setup', {}, head, 'editor');

    expect(result.ok).toBe(false);
    expect(String(result.error)).toContain(
      `This school's automation account is ${automation}, and only that account may run setup`,
    );
    expect(String(result.error)).toContain(`Sign in as ${automation}`);
    // Nothing moved: the role, the log, the drive and every trigger are as they were.
    expect(ws.properties.scriptStore().config).toBe(configBefore);
    expect(ws.scriptApp.triggers()).toEqual(triggersBefore);
    expect(ws.scriptApp.triggers().some((t) => t.owner === head)).toBe(false);

    // The automation account itself runs setup again as often as it likes.
    expect(school.tryRun('setup', {}, automation, 'editor').ok).toBe(true);
    expect(JSON.parse(ws.properties.scriptStore().config!).automationAccount).toBe(automation);
  });
});
