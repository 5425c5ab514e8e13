// "Nothing fails silently" (issue 9, R28): MailApp's daily quota is the sending account's,
// shared with whatever else the school's automation account runs. When something else has
// spent it, an alert cannot be sent and no send is even attempted: the product must still say
// that mail is not working, why, and what waits, by the channels that need no email (the Status
// and Mail sheets, the teacher's card), and send the alert once as soon as the quota allows.
// End to end through the shipped bundle.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { mailRows, recordMail, waitingNotices } from './mail-books';
import { admit, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const HOUR = 60 * MIN;

/** The log's Status sheet: each row's state and detail, by what it is about. */
function status(school: DeployedSchool): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

function mailRow(school: DeployedSchool) {
  return status(school).get('Email recipients today');
}

/** A 10:00 lesson with its class in the call at 10:05; the automation account's quota spent at 08:00 by another script. */
function lessonAfterQuotaSpentElsewhere() {
  const school = new DeployedSchool({ start: monday(7, 0) });
  const s = scheduleFor(school, { title: 'Phonics' });
  school.advanceTo(monday(8, 0));
  // Another script run by the automation account (a mail merge) uses the whole day's quota.
  school.ws.mail.spendElsewhere(school.school.automation.email, 1500);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
  school.advanceTo(monday(10, 5));
  return { school, s, link, ws: school.ws };
}

describe('mail quota spent by something else the automation account runs', () => {
  it('still ends the lesson when an outsider joins, says on the Status and Mail sheets that the DSL alert waits for the quota, and sends it once the next day', () => {
    const { school, s, link, ws } = lessonAfterQuotaSpentElsewhere();
    const { dsl, outsider } = school.school;
    const automation = school.school.automation.email;
    const outboxBefore = ws.mail.outbox().length;

    admit(school, s, link, [outsider.email]);
    school.advance(2 * MIN);

    // Safety never waits on mail: the call is over and the room locked.
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(ws.meet.join(outsider.email, link)).toBe('refused');
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    // Nothing could leave, and nothing was sent.
    expect(ws.mail.outbox().length).toBe(outboxBefore);
    const alert = waitingNotices(school).find((n) => n.kind === 'outsider')!;
    expect(alert.urgency).toBe('now');
    expect(alert.to).toContain(dsl.email);

    // The Status sheet says so from the run that found it, not at the next hourly look.
    const row = mailRow(school)!;
    expect(row.state).toBe('NOT SENT');
    expect(row.detail).toMatch(
      /^NOT being sent since 2026-11-23 10:0\d: the automation account's daily email quota is spent \(0 left\); it comes back within 24 hours of the first sends\. /,
    );
    expect(row.detail).toContain(`outsider (lesson ${s.lessonId}) since 10:0`);
    expect(row.detail).toContain(
      'Tell the DSL and SLT in person now; check what else sends mail as the automation account.',
    );
    // No pupil or outsider names: kinds, lesson ids and times only.
    expect(row.detail).not.toContain('Stranger');
    for (const p of s.course.pupils) expect(row.detail).not.toContain(p.name);

    // The Mail sheet has the note, and a row for each alert that waits.
    const rows = mailRows(school);
    const note = rows.filter((r) => r.Kind === 'mail-quota-spent');
    expect(note).toHaveLength(1);
    expect(String(note[0]!.Status)).toMatch(
      /^MAIL NOT being sent since 2026-11-23 10:0\d: the automation account's daily email quota is spent \(0 left\)/,
    );
    const waitingRow = rows.find((r) => r.Kind === 'outsider')!;
    expect(String(waitingRow.Status)).toMatch(
      /^WAITING, NOT SENT: the automation account's daily email quota is spent \(0 left\)/,
    );
    expect(waitingRow['Notice ID']).toBe(`wait-${alert.id}`);
    // The script's log says it too, without names.
    const logs = ws.kernel.logs.map((l) => l.message).join('\n');
    expect(logs).toMatch(/MAIL NOT SENT since 2026-11-23T\d\d:0\d.*daily email quota is spent/);
    expect(logs).not.toContain('Stranger');

    // Through the day it stays so: nothing sent, the Status row still says why.
    school.advanceTo(monday(16, 0));
    expect(ws.mail.outbox().length).toBe(outboxBefore);
    expect(mailRow(school)!.state).toBe('NOT SENT');

    // Next morning the account's quota has reset (24 hours after its first send of Monday).
    school.advanceTo(monday(7, 0) + 24 * HOUR + 10 * MIN);
    const toDsl = school
      .mailTo(dsl.email)
      .filter((m) => m.subject === `Serious: an outside participant joined lesson ${s.lessonId}`);
    expect(toDsl).toHaveLength(1);
    expect(ws.mail.outbox().filter((m) => m.from !== automation)).toEqual([]);
    expect(waitingNotices(school).filter((n) => n.urgency === 'now')).toEqual([]);
    expect(mailRow(school)!.state).not.toBe('NOT SENT');
    school.advance(HOUR);
    recordMail(school);
    const after = mailRows(school);
    expect(after.filter((r) => r.Kind === 'mail-quota-back')).toHaveLength(1);
    expect(
      after.filter((r) => r.Kind === 'outsider' && /^sent/.test(String(r.Status))),
    ).toHaveLength(1);
    expect(after.filter((r) => r.Kind === 'mail-quota-spent')).toHaveLength(1);
    expect(
      school
        .mailTo(dsl.email)
        .filter((m) => m.subject === `Serious: an outside participant joined lesson ${s.lessonId}`),
    ).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('tells the teacher who reports an incident to tell the DSL in person, and why, when the quota holds the DSL’s email back', () => {
    const { school, s, ws, link } = lessonAfterQuotaSpentElsewhere();
    const { dsl, outsider } = school.school;
    // An alert already waits for the automation's quota (an outsider came and went)...
    admit(school, s, link, [outsider.email]);
    school.advance(2 * MIN);
    expect(mailRow(school)!.state).toBe('NOT SENT');
    // ...and the teacher's own account has spent its quota too (a mail merge to parents): the
    // report cannot leave from the teacher's execution, nor be passed on to the automation.
    ws.mail.spendElsewhere(s.course.teacher.email, 1500);
    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    const note = s.teacher.note(
      s.teacher.click(form, 'Send to the DSL', {
        person: s.course.pupils[0]!.email,
        role: 'O',
        nature: 'Inappropriate language or behaviour in the lesson',
        where: 'outside',
        details: 'Swore at another pupil.',
        action: 'warned',
      }),
    );
    expect(note).toMatch(
      /^Recorded, but the email to the DSL could not be sent: the automation account's daily email quota is spent \(0 left\); it comes back within 24 hours of the first sends\. It is sent as soon as the quota allows: tell the DSL in person now\./,
    );
    // The teacher's execution lets the report go to the automation, whose quota is spent.
    school.advance(4 * MIN);
    expect(school.mailTo(dsl.email).filter((m) => /incident/i.test(m.subject))).toEqual([]);
    const row = mailRow(school)!;
    expect(row.state).toBe('NOT SENT');
    expect(row.detail).toContain('3 urgent notices wait');
    expect(row.detail).toContain(`incident (lesson ${s.lessonId})`);
    expect(
      mailRows(school).filter(
        (r) =>
          r.Kind === 'incident' &&
          /^WAITING, NOT SENT: the automation account's daily email quota is spent/.test(
            String(r.Status),
          ),
      ),
    ).toHaveLength(1);
    expect(school.mailTo(dsl.email).filter((m) => /incident/i.test(m.subject))).toEqual([]);

    school.advanceTo(monday(7, 0) + 24 * HOUR + 10 * MIN);
    expect(school.mailTo(dsl.email).filter((m) => /incident/i.test(m.subject))).toHaveLength(1);
    expect(mailRow(school)!.state).not.toBe('NOT SENT');
    expect(ws.kernel.failures).toEqual([]);
  });
});
