// R15, R17, R19 from the teacher's sidebar: an incident reported during a lesson reaches the
// DSL at once, holds the lesson's recording, lands in the Incidents sheet (Appendix K of
// policy 004) and on the Dashboard, and a removed pupil is marked for SLT follow-up on the
// class's next lessons until SLT close it.

import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { findUnescapedHtml, texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

function table(school: DeployedSchool, sheet: string): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

const NATURE = 'Inappropriate language or behaviour in the lesson';

describe('reporting an incident from the sidebar', () => {
  it('reaches the DSL at once, holds the recording, is logged, and marks the removed pupil for follow-up', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupil = s.course.pupils[0]!;
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [
      s.course.assistant.email,
      ...s.course.pupils.slice(0, 4).map((p) => p.email),
    ]);
    school.advanceTo(monday(10, 10));

    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    expect(texts(form)).toEqual(expect.arrayContaining(['Report an incident', pupil.name]));
    expect(findUnescapedHtml(form)).toEqual([]);

    const mailBefore = ws.mail.outbox().length;
    const sent = s.teacher.click(form, 'Send to the DSL', {
      person: pupil.email,
      role: 'O',
      nature: NATURE,
      where: 'outside',
      details: 'Swore at another pupil twice after a warning; the chat log shows it.',
      action: 'removed',
    });
    expect(s.teacher.note(sent)).toBe(
      'Sent to the DSL and recorded. The recording is on hold. SLT will follow up before the pupil joins again.',
    );

    // At once, from the teacher's own execution: the DSL's email and the hold.
    const dslMail = ws.mail
      .outbox()
      .slice(mailBefore)
      .filter((m) => m.to.includes(school.school.dsl.email));
    expect(dslMail).toHaveLength(1);
    expect(dslMail[0]!.subject).toMatch(/incident/i);
    expect(dslMail[0]!.body).toContain(pupil.name);
    expect(dslMail[0]!.body).toMatch(/Removed from the lesson/);
    expect(ws.properties.scriptStore()[`hold:${s.lessonId}`]).toBeDefined();

    // The lesson card now carries the serious flag and the follow-up.
    const card = s.teacher.lessonCard(s.lessonId);
    expect(texts(card).join(' ')).toMatch(/Incident .* reported: Inappropriate language/);
    expect(texts(card)).toContain('Before pupils join');

    // Within minutes the automation writes the Appendix K row (teachers never open the log).
    school.advance(2 * MIN);
    const [row] = table(school, 'Incidents');
    expect(row).toMatchObject({
      'Name of pupil or staff member (T = target, O = offender)': `${pupil.name} (O)`,
      'Nature of incident(s)': NATURE,
      'Lesson ID': s.lessonId,
      'Reported By': s.course.teacher.email,
      'Recording Held': 'yes',
      'SLT Follow-up': 'required before the pupil joins again',
      Status: 'open',
    });
    expect(String(row!['Details of incident (including evidence)'])).toMatch(/Swore at/);
    expect(String(row!['Outcome including action taken'])).toMatch(
      /^Removed from the lesson; reported to the DSL at once; lesson recording held/,
    );
    expect(String(row!['Date & time'])).toMatch(/10:10/);
    const session = school.sessionRow(s.lessonId)!;
    expect(String(session.Flags)).toMatch(/^incident: /m);
    expect(session.Serious).toBe('yes');
    // R20: no pupil's name in the operator log.
    expect(ws.kernel.logs.map((l) => l.message).join('\n')).not.toContain(pupil.name);

    // After the lesson the recording is collected and its Hold cell says why it is kept.
    school.advanceTo(monday(11, 30));
    const recording = table(school, 'Recordings').find((r) => r['Lesson ID'] === s.lessonId);
    expect(String(recording?.Hold)).toMatch(/^held by .*incident /);

    // The class's next lesson warns the teacher before pupils join.
    const next = scheduleFor(school, { title: 'Phonics again', start: monday(10) + DAY_MS });
    const nextCard = texts(s.teacher.lessonCard(next.lessonId)).join(' ');
    expect(nextCard).toMatch(new RegExp(`${pupil.name} was removed from a lesson on 2026-11-23`));

    // The Dashboard lists the open incident and the pupil to follow up.
    school.advance(HOUR_MS);
    const dashboard = school.ws.sheets.table(school.logId, 'Dashboard').flat().map(String);
    expect(dashboard).toContain(String(row!['Incident ID']));
    expect(dashboard).toContain(pupil.name);

    // SLT close the incident in the sheet: the follow-up leaves the teacher's cards.
    const [header] = ws.sheets.table(school.logId, 'Incidents');
    const statusColumn = String.fromCharCode(65 + header!.indexOf('Status'));
    ws.sheets.editAsUser(school.school.slt.email, school.logId, `Incidents!${statusColumn}2`, [
      ['closed'],
    ]);
    school.advance(HOUR_MS);
    expect(texts(s.teacher.lessonCard(next.lessonId))).not.toContain('Before pupils join');
    expect(school.ws.sheets.table(school.logId, 'Dashboard').flat()).toContain(
      'Nobody to follow up.',
    );
  });

  it('ends the lesson for everyone when that is the action taken', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    const pupil = s.course.pupils[1]!;
    admit(school, s, link, [pupil.email]);
    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    const sent = s.teacher.click(form, 'Send to the DSL', {
      person: 'other',
      otherPerson: 'An adult in the background',
      role: 'O',
      nature: 'Unsuitable dress, location or background',
      where: 'outside',
      details: 'An adult walked behind the pupil undressed.',
      action: 'ended',
    });
    expect(s.teacher.note(sent)).toMatch(/Sent to the DSL.*Lesson ended for everyone\.$/);
    expect(school.lesson(s.lessonId).status).toBe('ended');
    expect(school.ws.meet.join(pupil.email, link)).toBe('refused');
    school.advance(2 * MIN);
    expect(table(school, 'Incidents')[0]).toMatchObject({
      'Name of pupil or staff member (T = target, O = offender)': 'An adult in the background (O)',
      'SLT Follow-up': '',
    });
  });
});
