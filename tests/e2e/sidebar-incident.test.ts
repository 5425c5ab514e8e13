// R15, R17, R19, R26 from the sidebar: an incident reported during a lesson by its teacher or
// its second adult reaches the DSL by email before anything else is written, holds the
// lesson's recording, lands in the Incidents sheet (Appendices I, J and K of policy 004) and
// on the Dashboard, and a removed pupil is marked for SLT follow-up on the class's next
// lessons until SLT close it. Nothing is chosen for the reporter, and a form with a problem
// comes back with what they typed.

import { MAYBE_REPEAT } from '../../src/core/mail-plan';
import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { findUnescapedHtml, inputs, notificationOf, texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, type Scheduled, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

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
      // Appendix I/J: who reported and as what, where, the immediate action, the DSL told;
      // then the DSL's fields, left for the DSL to fill in the sheet.
      'Reporter Role': 'Teacher of the lesson',
      Where: 'Outside school (the live lesson, pupils at home)',
      'Immediate Action Taken': 'Removed from the lesson',
      'Reported To DSL': 'emailed at 2026-11-23 10:10',
      'Referral Made To Safeguarding': 'to decide',
      'Reported To Police/CEOP': 'to decide',
      'Parents/Carers Informed': 'to decide',
      'Outcome (DSL)': '',
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

/** A lesson running at 10:10 with the TA and four pupils in it. */
function running(school: DeployedSchool): Scheduled {
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [
    s.course.assistant.email,
    ...s.course.pupils.slice(0, 4).map((p) => p.email),
  ]);
  school.advanceTo(monday(10, 10));
  return s;
}

/** The incident form as a member of staff opens it (the entry point the sidebar calls). */
function formFor(school: DeployedSchool, user: string, lessonId: string) {
  return school.run('showIncidentForm', { commonEventObject: { parameters: { lessonId } } }, user);
}

/** "Send to the DSL" as Google would send it, whatever the form offered. */
function send(
  school: DeployedSchool,
  user: string,
  lessonId: string,
  fields: Record<string, string | string[]>,
): string {
  const formInputs = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      { stringInputs: { value: Array.isArray(v) ? v : [v] } },
    ]),
  );
  return (
    notificationOf(
      school.run(
        'reportIncidentAction',
        { commonEventObject: { parameters: { lessonId }, formInputs } },
        user,
      ),
    ) ?? ''
  );
}

function incidentKeys(school: DeployedSchool): string[] {
  return Object.keys(school.ws.properties.scriptStore()).filter((k) =>
    /^(incq|hold|follow):/.test(k),
  );
}

const REPORT = {
  person: 'other',
  otherPerson: 'A pupil’s older brother',
  role: 'O',
  nature: [
    'Online bullying or harassment (cyber bullying)',
    'Uninvited or outside person in the lesson',
  ],
  where: 'outside',
  details: 'Shouted abuse at the class from behind the pupil.',
  action: 'warned',
};

describe('an incident reaches the DSL first, and belongs to the lesson’s staff', () => {
  it('emails the DSL before the incident is written anywhere', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const flagged = () =>
      (school.lesson(s.lessonId) as unknown as { flags: { code: string }[] }).flags.some(
        (f) => f.code === 'incident',
      );
    let atEmail: { keys: string[]; flagged: boolean } | null = null;
    school.ws.kernel.duringCall('mail.sendEmail', () => {
      atEmail = { keys: incidentKeys(school), flagged: flagged() };
    });
    const note = send(school, s.course.teacher.email, s.lessonId, REPORT);
    expect(note).toMatch(/^Sent to the DSL and recorded\./);
    expect(atEmail).toEqual({ keys: [], flagged: false });
    // And straight after, everything else: the report queued, the hold, the flag.
    expect(incidentKeys(school).sort()).toEqual([
      expect.stringMatching(/^hold:/),
      expect.stringMatching(/^incq:/),
    ]);
    expect(flagged()).toBe(true);
    const dsl = school.mailTo(school.school.dsl.email);
    expect(dsl).toHaveLength(1);
    expect(dsl[0]!.body).toMatch(
      /Type: Online bullying or harassment \(cyber bullying\); Uninvited or outside person in the lesson/,
    );
  });

  it('still reaches the DSL when nothing of the report can be written, and says so plainly', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const { ws } = school;
    // The script's store fills up the moment the email leaves: every later write fails (the
    // email's own place in the mail queue, freed once it has left, is counted as taken).
    ws.kernel.duringCall('mail.sendEmail', () => {
      const store = ws.properties.scriptStore();
      let used = 0;
      for (const [k, v] of Object.entries(store))
        if (!k.startsWith('mailq:')) used += Buffer.byteLength(k) + Buffer.byteLength(v);
      const filler: Record<string, string> = {};
      for (let i = 0; used < 500 * 1024 - 60; i++) {
        const size = Math.min(9000, 500 * 1024 - 60 - used - 10);
        filler[`filler${i}`] = 'x'.repeat(Math.max(size, 1));
        used += Buffer.byteLength(`filler${i}`) + Math.max(size, 1);
      }
      ws.properties.seedScript(filler);
    });
    const note = send(school, s.course.teacher.email, s.lessonId, REPORT);
    expect(note).toMatch(
      /^The DSL has been emailed, but the report could not be recorded in the incident log/,
    );
    expect(school.mailTo(school.school.dsl.email)).toHaveLength(1);
    expect(incidentKeys(school)).toEqual([]);
  });

  it('says so when the DSL may get the report twice because Apps Script stopped the first click as its email left', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const { ws } = school;
    const dsl = school.school.dsl.email;
    // MailApp takes the email but its answer never comes: the card runs past its 30 seconds
    // and Apps Script stops it there, before it can note that the email left.
    ws.kernel.faults.inject({ match: 'mail.sendEmail', kind: 'lost-response', times: 1 });
    expect(() => send(school, s.course.teacher.email, s.lessonId, REPORT)).toThrow(
      /Exceeded maximum execution time/,
    );
    expect(ws.kernel.failures.map((f) => f.execution.killed)).toEqual([true]);
    expect(school.mailTo(dsl)).toHaveLength(1);
    // The teacher clicks again: recorded, and not emailed again from the card.
    expect(send(school, s.course.teacher.email, s.lessonId, REPORT)).toMatch(
      /^Sent to the DSL and recorded\./,
    );
    expect(school.mailTo(dsl)).toHaveLength(1);
    // The stopped click's notice is still in the mail queue: the monitor sends it once its hold
    // on it runs out (whether it left cannot be known), and this copy says it may be a twin.
    school.advance(10 * MIN);
    const copies = school.mailTo(dsl).filter((m) => /incident/i.test(m.subject));
    expect(copies).toHaveLength(2);
    expect(copies[0]!.body).not.toContain(MAYBE_REPEAT);
    expect(copies[1]!.body).toContain(MAYBE_REPEAT);
    expect(copies[1]!.subject).toBe(copies[0]!.subject);
  });

  it('lets the lesson’s second adult report, but not end the teacher’s call from the form', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const ta = s.course.assistant.email;
    const form = school.run(
      'showIncidentForm',
      { commonEventObject: { parameters: { lessonId: s.lessonId } } },
      ta,
    );
    const shown = texts(form);
    expect(shown).toContain('Reporting as: second adult in the lesson.');
    expect(shown).toContain(
      'To end the lesson for everyone, ask the teacher to end it from their sidebar now.',
    );
    const actions = (inputs(form).action as { items: { value: string }[] }).items.map(
      (i) => i.value,
    );
    expect(actions).toEqual(['warned', 'removed', 'noted']);

    // Asking for it anyway (a crafted request) is refused with the reason; nothing is sent.
    expect(send(school, ta, s.lessonId, { ...REPORT, action: 'ended' })).toBe(
      'Only the teacher can end the lesson from here: ask them to end it now, and choose what you did.',
    );
    expect(school.mailTo(school.school.dsl.email)).toHaveLength(0);
    expect(incidentKeys(school)).toEqual([]);
    expect(school.lesson(s.lessonId).status).toBe('open');

    expect(send(school, ta, s.lessonId, REPORT)).toMatch(/^Sent to the DSL and recorded\./);
    expect(school.mailTo(school.school.dsl.email)[0]!.body).toMatch(
      new RegExp(`^${ta} \\(Second adult in the lesson\\) reported`),
    );
    school.advance(2 * MIN);
    expect(table(school, 'Incidents')[0]).toMatchObject({
      'Reported By': ta,
      'Reporter Role': 'Second adult in the lesson',
      'Immediate Action Taken': 'Warned',
      'Nature of incident(s)':
        'Online bullying or harassment (cyber bullying)\nUninvited or outside person in the lesson',
    });
  });

  it('refuses a report from anyone who was not the lesson’s teacher or second adult', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const other = school.school.courses[1]!.teacher.email;
    const refusal =
      'Only the teacher or the second adult of this lesson can report from here. Tell the DSL directly.';
    expect(notificationOf(formFor(school, other, s.lessonId))).toBe(refusal);
    expect(send(school, other, s.lessonId, REPORT)).toBe(refusal);
    expect(school.mailTo(school.school.dsl.email)).toHaveLength(0);
    expect(incidentKeys(school)).toEqual([]);
  });

  it('chooses nothing for the reporter, and keeps what was typed when the type is missing', () => {
    const school = new DeployedSchool();
    const s = running(school);
    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    const fields = inputs(form);
    for (const name of ['role', 'nature', 'where', 'action']) {
      const input = fields[name] as { title?: string; items: { selected?: boolean }[] };
      expect(input.items.some((i) => i.selected)).toBe(false);
      expect(input.title).toMatch(/required/);
    }
    const typed = {
      person: s.course.pupils[1]!.email,
      role: 'T',
      where: 'outside',
      details: 'Was sent a cruel message in the chat by someone we could not see.',
      action: 'noted',
    };
    const response = s.teacher.click(form, 'Send to the DSL', typed);
    expect(s.teacher.note(response)).toBe(
      'Choose what kind of incident it was: tick every type that applies.',
    );
    const again = inputs(s.teacher.next(response));
    expect((again.details as { value?: string }).value).toBe(typed.details);
    for (const name of ['person', 'role', 'where', 'action'] as const) {
      const chosen = (again[name] as { items: { value: string; selected?: boolean }[] }).items
        .filter((i) => i.selected)
        .map((i) => i.value);
      expect(chosen).toEqual([typed[name]]);
    }
    expect(school.mailTo(school.school.dsl.email)).toHaveLength(0);
    expect(incidentKeys(school)).toEqual([]);
    // Ticking a type sends it, with everything typed before.
    const sent = s.teacher.click(s.teacher.next(response), 'Send to the DSL', {
      nature: ['Online bullying or harassment (cyber bullying)'],
    });
    expect(s.teacher.note(sent)).toMatch(/^Sent to the DSL and recorded\./);
    expect(school.mailTo(school.school.dsl.email)[0]!.body).toContain(typed.details);
  });
});
