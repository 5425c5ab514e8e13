// R12 "1:1 noticed while it happens", end to end through the shipped bundle. Policies 000 and 003:
// no 1:1 lessons; 001 allows them, recorded and the DSL told. When one pupil and one adult have
// been alone together in the call for oneToOneAlertMinutes (5), the teacher and the DSL are told
// within a minute; where 1:1s are not allowed the lesson is flagged serious.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { hms, mailAbout } from './in-call-kit';
import { admit, flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const LOOK = MIN;

describe('in the call: a 1:1 is noticed while it happens (R12)', () => {
  it('tells the teacher and the DSL when one pupil has been alone with the teacher for five minutes, and flags it serious', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    // Only one pupil comes; the second adult named never does.
    school.advanceTo(monday(10, 0));
    const pupilJoined = ws.now();
    admit(school, s, link, [s.course.pupils[0]!.email]);
    school.advanceTo(monday(10, 4) + 30_000);
    expect(mailAbout(school, school.school.dsl.email, /^1:1 in Phonics/)).toHaveLength(0);
    school.advanceTo(monday(10, 12));

    for (const who of [s.course.teacher.email, school.school.dsl.email]) {
      const told = mailAbout(school, who, /^1:1 in Phonics/);
      expect(told).toHaveLength(1);
      expect(told[0]!.at - pupilJoined).toBeGreaterThanOrEqual(5 * MIN);
      expect(told[0]!.at - pupilJoined).toBeLessThanOrEqual(5 * MIN + LOOK);
      expect(told[0]!.body).toMatch(/does not allow 1:1 lessons/);
    }
    const dslTold = mailAbout(school, school.school.dsl.email, /^1:1 in Phonics/)[0]!.at;
    console.log(`1:1: pupil joined ${hms(pupilJoined)}; teacher and DSL told ${hms(dslTold)}`);
    const live = school.lesson(s.lessonId) as unknown as {
      flags: { code: string; severity: string }[];
    };
    expect(live.flags.find((f) => f.code === 'one-to-one-in-call')?.severity).toBe('serious');

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['one-to-one-in-call', 'one-to-one']));
    expect(String(row.Flags)).toMatch(/alone together in the call \(the school does not allow/);
    expect(row.Serious).toBe('yes');
  });

  it('records an allowed 1:1 and tells the DSL, as policy 001 says', () => {
    const school = new DeployedSchool({ settings: { allowOneToOne: 'yes' } });
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    school.advanceTo(monday(10, 0));
    admit(school, s, link, [s.course.pupils[0]!.email]);
    school.advanceTo(monday(10, 12));

    const told = mailAbout(school, school.school.dsl.email, /^1:1 in Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/allows 1:1s \(policy 001\)/);
    const live = school.lesson(s.lessonId) as unknown as {
      flags: { code: string; severity: string }[];
    };
    expect(live.flags.find((f) => f.code === 'one-to-one-in-call')?.severity).toBe('warning');
  });

  it('does not call it a 1:1 while the second adult is in the call too', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, s.course.pupils[0]!.email]);
    school.advanceTo(monday(10, 20));
    expect(mailAbout(school, school.school.dsl.email, /^1:1 in/)).toHaveLength(0);
    expect(mailAbout(school, s.course.teacher.email, /^1:1 in/)).toHaveLength(0);
  });
});
