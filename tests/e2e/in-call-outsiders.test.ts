// R22 "outsiders end the lesson", end to end through the shipped bundle. Policy 000: "If the
// uninvited attendee is from outside of the school community then the session will be ended
// immediately". A signed-in account from outside the school, or a guest who is not signed in,
// admitted into the call: with outsiderAction "end" (the default) the link is withdrawn, the
// call ended for everyone and the room locked within a minute, and the teacher, the DSL and
// SLT are told why; with "alert" they are told and the call runs on. A phone caller cannot be
// identified: the teacher is asked who it is, and it is flagged, but it ends nothing by itself.

import { MIN, monday } from './deployed-school';
import { callsOf, hms, letIn, mailAbout, postLives } from './in-call-kit';
import { admit, flagCodes, lessonWithClass } from './scenario-kit';

const SEC = 1000;
const LOOK = MIN;

describe('in the call: outsiders end the lesson (R22)', () => {
  it('ends the call within a minute when someone from outside the school is admitted, and tells the teacher, the DSL and SLT why', () => {
    const { school, s, link, ws } = lessonWithClass();
    const { dsl, slt, outsider } = school.school;

    school.advanceTo(monday(10, 5) + 5 * SEC);
    const admittedAt = ws.now();
    admit(school, s, link, [outsider.email]);
    school.advance(2 * MIN);

    const [post] = postLives(school, s.course.id);
    const [call] = callsOf(school, link);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted! - admittedAt).toBeLessThanOrEqual(LOOK);
    expect(call!.end).not.toBeNull();
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(ws.meet.join(s.course.pupils[0]!.email, link)).toBe('refused');
    expect(ws.meet.join(outsider.email, link)).toBe('refused');

    const toTeacher = mailAbout(
      school,
      s.course.teacher.email,
      /^Lesson ended: an outsider joined/,
    );
    expect(toTeacher).toHaveLength(1);
    expect(toTeacher[0]!.body).toContain('"A Stranger" (an account outside the school');
    expect(toTeacher[0]!.body).toMatch(/the session is ended immediately/);
    for (const lead of [dsl.email, slt.email]) {
      const told = mailAbout(school, lead, /^Serious: an outside participant joined/);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('A Stranger');
      expect(told[0]!.body).toMatch(/call ended for everyone, the room locked/);
    }

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['external-participant', 'ended-for-safety']),
    );
    expect(String(row.Flags)).toContain(`at ${hms(call!.end)}: someone from outside the school`);
    expect(row.Serious).toBe('yes');
    expect(row.External).toBe(1);
    const outsiderRow = school.attendance(s.lessonId).find((a) => a.Role === 'external')!;
    expect(outsiderRow.Name).toBe('A Stranger');
    expect(outsiderRow['Follow Up']).toBe('outside the school: review');
    // R20: names go by email and into the log's sheets, never into the operators' log.
    expect(ws.kernel.logs.map((l) => l.message).join('\n')).not.toContain('A Stranger');
    console.log(
      `outsider: admitted ${hms(admittedAt)}; link withdrawn ${hms(post!.deleted)}; call ended ${hms(call!.end)}`,
    );
  });

  it('ends the call for a guest who is not signed in, without asking the directory', () => {
    const { school, s, link, ws } = lessonWithClass();
    // The directory is down for the whole lesson: a guest needs no look-up.
    ws.adminDirectory.refuse(503);
    const guest = { anonymous: 'Zoom Bomber' };
    school.advanceTo(monday(10, 5) + 5 * SEC);
    const admittedAt = ws.now();
    letIn(school, s.course.teacher.email, link, guest);
    school.advance(2 * MIN);

    const [call] = callsOf(school, link);
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK);
    expect(postLives(school, s.course.id)[0]!.deleted).not.toBeNull();
    expect(
      mailAbout(school, school.school.dsl.email, /^Serious: an outside participant/)[0]!.body,
    ).toContain('"Zoom Bomber" (not signed in');

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['external-participant', 'ended-for-safety']),
    );
    const guestRow = school.attendance(s.lessonId).find((a) => a.Role === 'anonymous')!;
    expect(guestRow.Name).toBe('Zoom Bomber');
  });

  it('only alerts, and leaves the call running, when the school chose outsiderAction alert', () => {
    const { school, s, link, ws } = lessonWithClass({ outsiderAction: 'alert' });
    school.advanceTo(monday(10, 5) + 5 * SEC);
    admit(school, s, link, [school.school.outsider.email]);
    school.advance(3 * MIN);

    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(postLives(school, s.course.id)[0]!.deleted).toBeNull();
    expect(mailAbout(school, s.course.teacher.email, /^Action needed in Phonics/)[0]!.body).toMatch(
      /end the lesson now for everyone/,
    );
    expect(mailAbout(school, school.school.slt.email, /^Serious: an outside/)).toHaveLength(1);
    const live = school.lesson(s.lessonId) as unknown as {
      flags: { code: string; severity: string }[];
    };
    expect(live.flags.find((f) => f.code === 'external-participant')?.severity).toBe('serious');
    expect(ws.meet.participantsNow(link)).toContain(school.school.outsider.email);
  });

  it('asks the teacher who a phone caller is and flags it, without ending the lesson', () => {
    const { school, s, link, ws } = lessonWithClass();
    const caller = { phone: '+44 7700 900123' };
    school.advanceTo(monday(10, 5) + 5 * SEC);
    expect(ws.meet.join(caller, link)).toBe('knocking');
    ws.meet.admit(s.course.teacher.email, link, caller);
    school.advance(2 * MIN);

    const asked = mailAbout(school, s.course.teacher.email, /^Who is on the phone in Phonics/);
    expect(asked).toHaveLength(1);
    // Meet gives a caller's number partly hidden; that is all the teacher can be shown.
    expect(asked[0]!.body).toContain('"+** **** ***123" (by phone');
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(postLives(school, s.course.id)[0]!.deleted).toBeNull();

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('phone-participant');
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(school.attendance(s.lessonId).filter((a) => a.Role === 'phone')).toHaveLength(1);
  });

  it('ends the call once for two outsiders admitted together, and names both', () => {
    const { school, s, link, ws } = lessonWithClass();
    const other = ws.kernel.directory.add({
      email: 'someone@elsewhere.example',
      name: 'Another Outsider',
      kind: 'external',
    });
    school.advanceTo(monday(10, 5) + 5 * SEC);
    admit(school, s, link, [school.school.outsider.email, other.email]);
    school.advance(2 * MIN);

    expect(callsOf(school, link)).toHaveLength(1);
    const told = mailAbout(school, school.school.dsl.email, /^Serious: an outside participant/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('A Stranger');
    expect(told[0]!.body).toContain('Another Outsider');
    const row = school.sessionRow(s.lessonId)!;
    expect(row.External).toBe(2);
    expect(
      school
        .attendance(s.lessonId)
        .filter((a) => a.Role === 'external')
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['A Stranger', 'Another Outsider']);
  });

  /** When the minute monitor next runs at or after `after`. */
  function nextMonitorRun(
    school: ReturnType<typeof lessonWithClass>['school'],
    after: number,
  ): number {
    for (let t = after - 1; ; ) {
      const due = school.ws.scriptApp.nextDue(t)!;
      if (due.trigger.handlerFunction === 'monitorTick') return due.at;
      t = due.at;
    }
  }

  it('logs an outsider who left before any look saw them, from the conference record', () => {
    const { school, s, link, ws } = lessonWithClass();
    const guest = { anonymous: 'In and Out' };
    // Admitted and gone between two runs of the automation.
    const run = nextMonitorRun(school, monday(10, 5));
    school.advanceTo(run + 10 * SEC);
    letIn(school, s.course.teacher.email, link, guest);
    school.advanceTo(run + 40 * SEC);
    ws.meet.leave(guest, link);
    school.advance(2 * MIN);

    // Nobody is left to end the lesson for; the DSL and SLT still hear of it.
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(
      mailAbout(school, school.school.slt.email, /^Serious: an outside participant/)[0]!.body,
    ).toMatch(/"In and Out" \(not signed in, in the call 10:0\d–10:0\d, now gone\)/);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('external-participant');
    expect(row.Serious).toBe('yes');
    const guestRow = school.attendance(s.lessonId).find((a) => a.Role === 'anonymous')!;
    expect(guestRow.Name).toBe('In and Out');
  });
});
