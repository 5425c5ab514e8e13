// R15, R23 "removed pupils are caught at the door", end to end through the shipped bundle.
// Policy 000: "Staff to ask SLT to follow up with parents before that pupil joins any future
// sessions." A pupil removed for behaviour stays marked, school-wide, until SLT clear the mark:
// every class the pupil is in lists them on its lesson cards before the lesson; a join while
// marked tells the teacher and SLT at once and flags the lesson. SLT clear the mark in the log's
// Follow-ups sheet or from the sidebar, and the clearing is logged with who and when.

import { HOUR_MS } from '../../src/core/time';
import { texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { hms, letIn, mailAbout } from './in-call-kit';
import {
  admit,
  flagCodes,
  reportRemovedPupil,
  scheduleFor,
  teacherJoinsAndShares,
} from './scenario-kit';

const SEC = 1000;
const LOOK = MIN;

function table(school: DeployedSchool, sheet: string): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

/** Lesson A (class A, 10:00) where the teacher removes a pupil who is also in class B. */
function removedInLessonA() {
  const school = new DeployedSchool();
  const { ws } = school;
  const [classA, classB] = school.school.courses as [
    (typeof school.school.courses)[0],
    (typeof school.school.courses)[0],
  ];
  const pupil = classA.pupils[0]!;
  ws.classroom.addStudent(classB.id, pupil.email);
  const a = scheduleFor(school, { course: 0 });
  const b = scheduleFor(school, { course: 1, title: 'Science', start: monday(11) });
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, a);
  admit(school, a, link, [classA.assistant.email, ...classA.pupils.map((p) => p.email)]);
  school.advanceTo(monday(10, 10));
  reportRemovedPupil(a, pupil.email, 'Swore repeatedly after a warning.');
  ws.meet.leave(pupil.email, link);
  return { school, ws, a, b, pupil, classB };
}

describe('in the call: a removed pupil is caught at the door (R23)', () => {
  it('lists the pupil on every class’s lesson card before the lesson, and tells the teacher and SLT at once when they join', () => {
    const { school, ws, b, pupil, classB } = removedInLessonA();

    // Before lesson B, in another class: its card lists the pupil.
    school.advanceTo(monday(10, 45));
    const card = texts(b.teacher.lessonCard(b.lessonId)).join(' ');
    expect(card).toContain('Before pupils join');
    expect(card).toMatch(new RegExp(`${pupil.name} was removed from a lesson on 2026-11-23`));

    school.advanceTo(monday(10, 55));
    const link = teacherJoinsAndShares(school, b);
    admit(school, b, link, [classB.assistant.email, ...classB.pupils.map((p) => p.email)]);
    school.advanceTo(monday(11, 2) + 5 * SEC);
    const joinedAt = ws.now();
    letIn(school, classB.teacher.email, link, pupil.email);
    school.advance(MIN);

    for (const who of [classB.teacher.email, school.school.slt.email]) {
      const told = mailAbout(school, who, /^Removed pupil joined Science/);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain(pupil.name);
      expect(told[0]!.at - joinedAt).toBeLessThanOrEqual(LOOK);
    }
    // The teacher's card shows it too, and the lesson is flagged.
    expect(texts(b.teacher.lessonCard(b.lessonId)).join(' ')).toMatch(
      /removed from an earlier lesson joined before SLT cleared the follow-up/,
    );
    school.advanceTo(monday(11, 40));
    const row = school.sessionRow(b.lessonId)!;
    expect(flagCodes(row)).toContain('removed-pupil-joined');
    expect(row.Serious).toBe('yes');
    expect(school.attendance(b.lessonId).find((x) => x.Name === pupil.name)!['Follow Up']).toBe(
      'removed from an earlier lesson: SLT had not cleared the follow-up',
    );
    // R20: the pupil's name went by email only, never into the operators' log.
    expect(ws.kernel.logs.map((l) => l.message).join('\n')).not.toContain(pupil.name);
    console.log(
      `removed pupil: joined ${hms(joinedAt)}; teacher told ${hms(mailAbout(school, classB.teacher.email, /^Removed pupil/)[0]!.at)}`,
    );
  });

  it('clears the mark when SLT set it cleared in the Follow-ups sheet, logging who and when; the pupil then joins with no alert', () => {
    const { school, ws, b, pupil, classB } = removedInLessonA();
    school.advance(HOUR_MS);
    const [open] = table(school, 'Follow-ups');
    expect(open).toMatchObject({ Pupil: pupil.name, Status: 'open', 'Cleared By': '' });

    // A teacher's address is not enough: the row says why and the mark stays.
    ws.sheets.editAsUser(school.school.slt.email, school.logId, 'Follow-ups!G2:H2', [
      ['cleared', classB.teacher.email],
    ]);
    school.advance(HOUR_MS);
    expect(table(school, 'Follow-ups')[0]).toMatchObject({ Status: 'open', 'Cleared At': '' });
    expect(String(table(school, 'Follow-ups')[0]!.Check)).toMatch(
      /^Not cleared: put the school email/,
    );

    ws.sheets.editAsUser(school.school.slt.email, school.logId, 'Follow-ups!G2:H2', [
      ['cleared', school.school.slt.email],
    ]);
    const editedAt = ws.now();
    school.advance(HOUR_MS);
    const cleared = table(school, 'Follow-ups')[0]!;
    expect(cleared).toMatchObject({ Status: 'cleared', 'Cleared By': school.school.slt.email });
    const clearedAt = new Date(String(cleared['Cleared At'])).getTime();
    expect(clearedAt).toBeGreaterThanOrEqual(editedAt - MIN);
    expect(clearedAt - editedAt).toBeLessThanOrEqual(HOUR_MS);
    expect(texts(b.teacher.lessonCard(b.lessonId))).not.toContain('Before pupils join');

    // Lesson B, later that day: the pupil joins with no alert.
    const later = scheduleFor(school, { course: 1, title: 'Science again', start: monday(14) });
    school.advanceTo(monday(13, 55));
    const link = teacherJoinsAndShares(school, later);
    admit(school, later, link, [classB.assistant.email, pupil.email]);
    school.advanceTo(monday(14, 40));
    expect(mailAbout(school, classB.teacher.email, /^Removed pupil joined/)).toHaveLength(0);
    expect(flagCodes(school.sessionRow(later.lessonId))).not.toContain('removed-pupil-joined');
  });

  it('clears the mark from SLT’s sidebar, logs who and when, and refuses anyone else', () => {
    const { school, ws, b, pupil } = removedInLessonA();
    school.advanceTo(monday(10, 20));

    // A teacher has no such button, and a crafted request from one is refused.
    expect(texts(b.teacher.home())).not.toContain('Pupils to follow up before they join again');
    const incidentId = Object.keys(ws.properties.scriptStore())
      .find((k) => k.startsWith('follow:'))!
      .slice('follow:'.length);
    const forged = school.run(
      'clearFollowUpAction',
      { commonEventObject: { parameters: { incidentId } } },
      b.teacher.user,
    );
    expect(b.teacher.note(forged)).toBe('Only SLT or the DSL can clear a follow-up.');

    const slt = school.sidebar(school.school.slt.email);
    const home = slt.home();
    expect(texts(home)).toEqual(
      expect.arrayContaining(['Pupils to follow up before they join again', pupil.name]),
    );
    const clearedAt = ws.now();
    expect(slt.note(slt.click(home, 'Followed up: clear'))).toMatch(
      new RegExp(`^Cleared: ${pupil.name} can join live lessons again`),
    );
    expect(texts(b.teacher.lessonCard(b.lessonId))).not.toContain('Before pupils join');

    school.advance(HOUR_MS);
    const row = table(school, 'Follow-ups')[0]!;
    expect(row).toMatchObject({
      Pupil: pupil.name,
      Status: 'cleared',
      'Cleared By': school.school.slt.email,
      Check: 'Cleared from the sidebar.',
    });
    expect(Math.abs(new Date(String(row['Cleared At'])).getTime() - clearedAt)).toBeLessThan(MIN);
  });
});
