// Acceptance probe of R2 (the head teacher's or a nominee's agreement before a lesson's room can
// open) and R3 (SLT told of every scheduled lesson) in the mess a real school lives in: an
// approver who never answers, one who answers after the room's opening time, after the start or
// too close to the end, one who changes their mind once the class is in the call, a teacher who
// is the only approver, an approver replaced in the settings while lessons wait, an approved or
// a declined lesson moved in Calendar, 101 flagged lessons waiting at once, two approvers
// deciding at once, a decision on a cancelled lesson, and forged, replayed or odd decisions with
// 20,000-character and formula-like reasons. Written from the policies (000 "arranged in
// advance and with the agreement of the Head Teacher or their nominated staff member", "SLT ...
// will check the log of all meetings that have been scheduled"; 002 "a member of SLT should be
// informed of when video meetings have been scheduled") and Google's contracts, not from the
// product's code. Each test drives the shipped bundle and asserts what the simulated Classroom,
// Meet, Calendar, the log spreadsheet and the outbox hold.
//
// Tests marked `it.failing` pin a defect this probe found and did not fix: they pass while the
// product falls short and fail (so someone looks) once it is fixed. Each says which assertion
// fails today and what the Workspace held instead.
//
// Already covered elsewhere, so not repeated here: approving and declining from the review card,
// a decline needing a reason, a non-approver's decision (`sidebar-approver.test.ts`,
// `lesson-scenarios-oversight.test.ts`); an approver who also teaches deciding their own lesson
// while another approver exists, and 150 lessons paged on the approver's homepage
// (`sidebar-cards.test.ts`); SLT's hourly list and the approvers' one email a run
// (`log-spreadsheet.test.ts`); 120 lessons approved ten at a time through the mail queue
// (`mail-queue.test.ts`); the decide action among made-up card parameters
// (`probe-authority.test.ts`).

import { eventObject, notificationOf, texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import {
  admit,
  everyPost,
  flagCodes,
  roomLink,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
  world,
} from './scenario-kit';

const HOUR = 60 * MIN;

/** The decide action of the review card, as `user` sends it (a click, a replay or a forgery). */
function decide(
  school: DeployedSchool,
  user: string,
  parameters: Record<string, string>,
  reason = '',
): string {
  return (
    notificationOf(
      school.run('decideAction', eventObject({ parameters, formInputs: { reason } }), user),
    ) ?? ''
  );
}

function approve(school: DeployedSchool, s: Scheduled, user = school.school.head.email): string {
  return decide(school, user, { lessonId: s.lessonId, decision: 'approve' });
}

function decline(school: DeployedSchool, s: Scheduled, reason: string): string {
  return decide(
    school,
    school.school.head.email,
    { lessonId: s.lessonId, decision: 'decline' },
    reason,
  );
}

function eventOf(school: DeployedSchool, s: Scheduled) {
  const id = (school.lesson(s.lessonId) as unknown as { calendarEventId: string }).calendarEventId;
  const event = school.ws.calendar.events(s.course.teacher.email).find((e) => e.id === id);
  if (!event) throw new Error(`no event for ${s.lessonId}`);
  return event;
}

function noFailures(school: DeployedSchool) {
  expect(
    school.ws.kernel.failures.map((f) => `${f.execution.functionName}: ${String(f.error)}`),
  ).toEqual([]);
}

/** A school that needs approval, with Phonics 10:00-10:30 scheduled at 07:00. */
function waitingSchool() {
  const school = new DeployedSchool({ approvalRequired: true, start: monday(7) });
  const s = scheduleFor(school);
  return { school, s, ws: school.ws, head: school.school.head.email, slt: school.school.slt.email };
}

describe('an approver who never answers (R2, R3)', () => {
  it('never opens a room or shares a link for a lesson nobody approved; SLT knew of it from scheduling and the log says it was never approved', () => {
    const { school, s, ws, head, slt } = waitingSchool();
    const pupil = s.course.pupils[0]!.email;

    // R3: SLT hear of it within the hour, and it is in the log as pending from the first run.
    school.advance(2 * MIN);
    expect(school.sessionRow(s.lessonId)).toMatchObject({
      Status: 'scheduled',
      Approval: 'pending',
    });
    expect(school.mailTo(slt).some((m) => m.body.includes(s.lessonId))).toBe(true);
    expect(school.mailTo(head).some((m) => m.subject.startsWith('Approval needed'))).toBe(true);

    // The usual opening time and the start pass: no room, no link anywhere.
    school.advanceTo(monday(10, 5));
    expect(ws.meet.spaces.size).toBe(0);
    expect(texts(s.teacher.lessonCard(s.lessonId))).toContain('Awaiting approval');
    expect(s.teacher.meetLink(s.lessonId)).toBeNull();
    expect(eventOf(school, s).location ?? '').toBe('');

    school.advanceTo(monday(10, 45));
    expect(ws.meet.spaces.size).toBe(0);
    expect(everyPost(school, s.course.id)).toEqual([]);
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toEqual([]);
    expect(eventOf(school, s).location ?? '').toBe('');
    const row = school.sessionRow(s.lessonId)!;
    expect(row).toMatchObject({ Status: 'closed', Approval: 'pending', 'Room Opened': '' });
    expect(flagCodes(row)).toEqual(['not-approved']);
    expect(String(row.Flags)).toMatch(/never approved, so its room did not open/);
    noFailures(school);
  });

  // Defect (R2, R28 "nothing fails silently"): the teacher is never told that their lesson will
  // not open. Today the teacher's outbox is empty from scheduling to after the end (only the
  // sidebar's card says "Awaiting approval"), so a class and its teacher turn up at 10:00 for a
  // room that never comes; the approvers were emailed once, at 07:01, and never again. Fails at
  // the `told` expectation: no email to the teacher at all.
  it.failing('tells the teacher in plain words, by the time the room would have opened, that the lesson is not approved and will not open', () => {
    const { school, s } = waitingSchool();
    school.advanceTo(monday(9, 51));
    const told = school
      .mailTo(s.course.teacher.email)
      .find((m) => /not (yet )?(been )?approved/i.test(`${m.subject} ${m.body}`));
    expect(told).toBeDefined();
  });
});

describe('an approval that comes late (R2, R6, R10)', () => {
  it('approved after the start: the room opens within a minute, the teacher is told it is opening now, and the link reaches the class only once the teacher is in, and comes down on time', () => {
    const { school, s, ws, head } = waitingSchool();
    const pupil = s.course.pupils[0]!.email;
    school.advanceTo(monday(10, 5));
    expect(ws.meet.spaces.size).toBe(0);

    expect(approve(school, s)).toBe('Lesson approved.');
    const told = school
      .mailTo(s.course.teacher.email)
      .find((m) => m.subject === 'Approved: Phonics')!;
    // Not "shortly before the start": the start has passed.
    expect(told.body).not.toMatch(/shortly before the start/);
    expect(told.body).toMatch(/opens within a minute/);

    school.advance(MIN);
    const link = roomLink(school, s);
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toEqual([]);
    teacherJoinsAndShares(school, s);
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(1);
    admit(school, s, link, [pupil]);
    school.advanceTo(monday(10, 25));
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toEqual([]);
    school.advanceTo(monday(10, 40));
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(school.sessionRow(s.lessonId)).toMatchObject({
      Status: 'closed',
      Approval: `approved by ${head}`,
      'Pupils Present': 1,
    });
    noFailures(school);
  });

  it('refuses an approval too close to the end for the link to reach the class: no room opens that no pupil could be given, the teacher gets no false "Approved", and the log says never approved', () => {
    const { school, s, ws } = waitingSchool();
    school.advanceTo(monday(10, 26));
    // Before: "Lesson approved.", a room opened at 10:27 that no pupil could ever be given, the
    // teacher was told it "opens shortly before the start", and the log blamed the teacher
    // ("host-never-joined").
    expect(approve(school, s)).toMatch(/^Too late to approve/);
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'pending' } });
    school.advanceTo(monday(10, 29));
    expect(ws.meet.spaces.size).toBe(0);
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Approved')),
    ).toEqual([]);

    // After the end the lesson is closed: a decision says so.
    school.advanceTo(monday(10, 31));
    expect(approve(school, s)).toBe('This lesson is already closed.');
    school.advanceTo(monday(10, 40));
    expect(ws.meet.spaces.size).toBe(0);
    expect(everyPost(school, s.course.id)).toEqual([]);
    const row = school.sessionRow(s.lessonId)!;
    expect(row).toMatchObject({ Status: 'closed', Approval: 'pending', 'Room Opened': '' });
    expect(flagCodes(row)).toEqual(['not-approved']);
    noFailures(school);
  });
});

describe('an approver who changes their mind (R2)', () => {
  it('a decline sent while the class is in the call is refused in plain words and changes nothing of the call, the link or the log', () => {
    const { school, s, ws } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 5));

    const before = world(school, s);
    expect(decline(school, s, 'I have changed my mind')).toBe('This lesson is already open.');
    expect(world(school, s)).toBe(before);
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Declined')),
    ).toEqual([]);
    expect(ws.meet.participantsNow(link)).toHaveLength(2 + s.course.pupils.length);
  });

  // Defect (R2: "agreement ... before its room can open"): an approver cannot withdraw an
  // agreement before the room opens. Today the decline at 09:00 is refused with "This lesson was
  // already approved by head@...", the lesson stays approved, and its room opens at 09:50 all the
  // same; nothing in the product lets the head stop it. Fails at the first expectation.
  it.failing('lets the approver withdraw their agreement before the room opens, so the room does not open and the teacher is told why', () => {
    const { school, s, ws } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(9));
    expect(decline(school, s, 'The parents’ letter has not gone out yet')).toMatch(/declined/);
    school.advanceTo(monday(10));
    expect(ws.meet.spaces.size).toBe(0);
    expect(
      school.mailTo(s.course.teacher.email).some((m) => m.subject === 'Declined: Phonics'),
    ).toBe(true);
  });
});

describe('who the approver is (R2)', () => {
  it('tells a teacher who is the only approver, when they schedule, that nobody can approve their lesson; it never opens', () => {
    const probe = new DeployedSchool({ approvalRequired: true });
    const teacherEmail = probe.school.courses[0]!.teacher.email;
    const school = new DeployedSchool({
      approvalRequired: true,
      start: monday(7),
      settings: { approvers: teacherEmail },
    });
    const teacher = school.sidebar(teacherEmail);
    const scheduled = teacher.schedule({
      title: 'Phonics',
      start: monday(10),
      secondStaff: school.school.courses[0]!.assistant.email,
    });
    // Before: only "Lesson scheduled. It needs approval before its room can open.", and the
    // "Approval needed" email went to the teacher alone, who may not decide.
    expect(scheduled.message).toMatch(/nobody but you is named as an approver/);
    expect(scheduled.message).toMatch(/ask SLT to add another approver/);
    const s = { course: school.school.courses[0]!, teacher, lessonId: scheduled.lessonId! };
    expect(approve(school, s, teacherEmail)).toMatch(/cannot approve or decline your own lesson/);

    school.advanceTo(monday(10, 40));
    expect(school.ws.meet.spaces.size).toBe(0);
    expect(flagCodes(school.sessionRow(s.lessonId))).toEqual(['not-approved']);
  });

  it('an approver taken out of the settings can no longer decide; the one named instead finds the lesson waiting and approving it opens the room', () => {
    const { school, s, ws, head } = waitingSchool();
    const deputy = school.school.teachers[1]!.email;
    school.advance(2 * MIN);
    school.writeSettings({ approvers: deputy });
    school.advance(HOUR);

    expect(approve(school, s, head)).toBe(
      'Only the approvers named in the school settings can approve lessons.',
    );
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'pending' } });
    const home = texts(school.sidebar(deputy).home());
    expect(home).toContain('Awaiting your approval');
    expect(home.join('\n')).toContain('Phonics');
    expect(approve(school, s, deputy)).toBe('Lesson approved.');
    school.advanceTo(monday(9, 52));
    expect(ws.meet.spaces.size).toBe(1);
    school.advance(2 * MIN);
    expect(school.sessionRow(s.lessonId)!.Approval).toBe(`approved by ${deputy}`);
  });

  // Defect (R2: approvers hear of lessons awaiting them): an approver named after a lesson was
  // scheduled is never emailed about it. The "Approval needed" email goes only when a lesson is
  // first written to the log, to the approvers named then (the head, now removed); the deputy's
  // outbox stays empty until the lesson is over, so a lesson waits on someone who does not know.
  // Fails at the `heard` expectation: the deputy received no email.
  it.failing('emails an approver named after a lesson was scheduled of the lessons already waiting for a decision', () => {
    const { school, s } = waitingSchool();
    const deputy = school.school.teachers[1]!.email;
    school.advance(2 * MIN);
    school.writeSettings({ approvers: deputy });
    school.advanceTo(monday(9));
    const heard = school.mailTo(deputy).find((m) => m.body.includes(s.lessonId));
    expect(heard).toBeDefined();
  });
});

describe('an approved lesson moved in Calendar (R1, R2, R3)', () => {
  it('keeps the approval at the new time, and the approver who agreed to the old time is told of the move with SLT', () => {
    const { school, s, ws, head, slt } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advance(2 * MIN);
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(monday(14)),
      new Date(monday(14, 30)),
    );
    school.advance(2 * MIN);

    const subject = 'Live lesson moved: Phonics (now Mon 23 Nov, 14:00–14:30)';
    expect(school.mailTo(slt).some((m) => m.subject === subject)).toBe(true);
    // Before: only SLT heard; the head who agreed to 10:00 never learnt it now runs at 14:00.
    const toHead = school.mailTo(head).find((m) => m.subject === subject);
    expect(toHead?.body).toContain(`It was approved by ${head} for Mon 23 Nov, 10:00–10:30.`);
    // One notice each, though the head may be SLT too.
    expect(school.mailTo(head).filter((m) => m.subject === subject)).toHaveLength(1);

    school.advanceTo(monday(10, 30));
    expect(ws.meet.spaces.size).toBe(0);
    school.advanceTo(monday(13, 52));
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(String(school.sessionRow(s.lessonId)!.Start)).toContain('14:00');
    expect(school.sessionRow(s.lessonId)!.Approval).toBe(`approved by ${head}`);
  });
});

describe('a declined lesson moved in Calendar (R1, R2)', () => {
  it('goes back to the approvers at its new time: the approvers are asked again, SLT read that its room opens once it is approved, and it opens only then', () => {
    const { school, s, ws, head, slt } = waitingSchool();
    expect(decline(school, s, 'Please make it 14:00, after the assembly')).toMatch(/declined/);
    school.advance(2 * MIN);
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(monday(14)),
      new Date(monday(14, 30)),
    );
    school.advance(2 * MIN);

    // Before: the lesson followed the event but stayed declined for good; the head was not
    // told, and SLT read "its room opens 10 minutes before the new start", which it never did.
    const subject = 'Live lesson moved: Phonics (now Mon 23 Nov, 14:00–14:30)';
    for (const who of [head, slt]) {
      const told = school.mailTo(who).find((m) => m.subject === subject);
      expect(told?.body).toContain(
        'its room opens 10 minutes before the new start, once it is approved.',
      );
      expect(told?.body).toContain('so it awaits approval again at the new time.');
    }
    expect(school.sessionRow(s.lessonId)!.Approval).toBe('pending');
    const review = texts(school.sidebar(head).home());
    expect(review).toContain('Awaiting your approval');
    expect(texts(s.teacher.lessonCard(s.lessonId))).toContain('Awaiting approval');

    school.advanceTo(monday(12));
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(13, 49));
    expect(ws.meet.spaces.size).toBe(0);
    school.advanceTo(monday(13, 52));
    expect(school.lesson(s.lessonId).status).toBe('open');
  });
});

describe('101 lessons waiting at once (R2, R3)', () => {
  it('names every one of 101 flagged lessons to the approver and to SLT within the hour, logs each as pending from scheduling, and opens only those approved', () => {
    // Eight teachers plan their day at 07:00: thirteen 20-minute lessons each, 25 minutes apart,
    // none with a second adult named yet (each carries that flag).
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7), teachers: 8 });
    const { ws } = school;
    const { head, slt } = { head: school.school.head.email, slt: school.school.slt.email };
    const startOf = (i: number) => monday(9) + Math.floor(i / 8) * 25 * MIN;
    const all = Array.from({ length: 101 }, (_, i) =>
      scheduleFor(school, {
        course: i % 8,
        title: `Phonics group ${i}`,
        start: startOf(i),
        minutes: 20,
        secondStaff: null,
      }),
    );
    const scheduledBy = ws.now();
    school.advance(3 * MIN);

    for (const s of all)
      expect(school.sessionRow(s.lessonId)).toMatchObject({
        Status: 'scheduled',
        Approval: 'pending',
      });
    const bodies = (who: string, subject: RegExp) =>
      school
        .mailTo(who)
        .filter((m) => subject.test(m.subject) && m.at - scheduledBy < HOUR)
        .map((m) => m.body)
        .join('\n');
    const asked = bodies(head, /^Approval needed/);
    const listed = bodies(slt, /live lessons? scheduled/i);
    // Before: 40 lessons to an email, each with its flag line, overflowed the queued notice
    // ("Shortened to fit the mail queue"): 12 of the 101 were named to neither.
    const ids = all.map((s) => s.lessonId);
    expect(ids.filter((id) => !asked.includes(`lesson id ${id}`))).toEqual([]);
    expect(ids.filter((id) => !listed.includes(`lesson id ${id}`))).toEqual([]);
    expect(`${asked}\n${listed}`).not.toContain('Shortened');

    // The head approves three; the rest are never decided.
    const approved = [all[0]!, all[9]!, all[18]!];
    for (const s of approved) expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(10, 50));
    expect(ws.meet.spaces.size).toBe(approved.length);
    all.forEach((s, i) => {
      const row = school.sessionRow(s.lessonId)!;
      if (approved.includes(s)) expect(row.Approval).toBe(`approved by ${head}`);
      else if (startOf(i) + 20 * MIN <= ws.now()) {
        expect(row).toMatchObject({ Status: 'closed', Approval: 'pending', 'Room Opened': '' });
        expect(flagCodes(row)).toContain('not-approved');
      } else expect(row).toMatchObject({ Status: 'scheduled', Approval: 'pending' });
    });
    for (const c of school.school.courses)
      for (const p of c.pupils)
        expect(ws.classroom.announcementsVisibleTo(p.email, c.id)).toEqual([]);
    noFailures(school);
  });
});

describe('forged, replayed and odd decisions (R2)', () => {
  it('refuses a decision with no verdict or a made-up one, for a lesson that does not exist, from a pupil, and an Approve replayed after a decline; each changes nothing', () => {
    const { school, s, head } = waitingSchool();
    const pupil = s.course.pupils[0]!.email;
    const before = world(school, s);

    // Before: a decision that was neither "approve" nor "decline" (or none at all) approved.
    expect(decide(school, head, { lessonId: s.lessonId })).toMatch(/Approve or Decline/);
    expect(decide(school, head, { lessonId: s.lessonId, decision: 'APPROVE' })).toMatch(
      /Approve or Decline/,
    );
    expect(decide(school, head, { lessonId: 'L-20261123-zzzzzz', decision: 'approve' })).toBe(
      'That lesson no longer exists.',
    );
    expect(decide(school, pupil, { lessonId: s.lessonId, decision: 'approve' })).toBe(
      'Only the approvers named in the school settings can approve lessons.',
    );
    expect(world(school, s)).toBe(before);
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'pending' } });

    expect(decline(school, s, 'Clashes with the nativity')).toMatch(/declined/);
    const declined = world(school, s);
    expect(approve(school, s)).toBe(`This lesson was already declined by ${head}.`);
    expect(world(school, s)).toBe(declined);
    school.advanceTo(monday(10, 40));
    expect(school.ws.meet.spaces.size).toBe(0);
  });

  it('two approvers deciding the same lesson from their open review cards: the first decision holds, the second is told who decided, and the teacher hears only the first', () => {
    const probe = new DeployedSchool({ approvalRequired: true });
    const deputy = probe.school.courses[1]!.teacher.email;
    const school = new DeployedSchool({
      approvalRequired: true,
      start: monday(7),
      settings: { approvers: `${probe.school.head.email}, ${deputy}` },
    });
    const s = scheduleFor(school);
    const head = school.school.head.email;
    // Both open the review; the head approves, then the deputy's Decline arrives.
    const headCard = school.sidebar(head).lessonCard(s.lessonId);
    const deputySide = school.sidebar(deputy);
    const deputyCard = deputySide.lessonCard(s.lessonId);
    expect(texts(headCard)).toContain('Approve');
    expect(texts(deputyCard)).toContain('Decline');
    expect(school.sidebar(head).note(school.sidebar(head).click(headCard, 'Approve'))).toBe(
      'Lesson approved.',
    );
    const late = deputySide.click(deputyCard, 'Decline', { reason: 'Not this week' });
    expect(deputySide.note(late)).toBe(`This lesson was already approved by ${head}.`);
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'approved', by: head } });
    school.advance(2 * MIN);
    expect(
      school
        .mailTo(s.course.teacher.email)
        .filter((m) => /^(Approved|Declined):/.test(m.subject))
        .map((m) => m.subject),
    ).toEqual(['Approved: Phonics']);
    expect(school.sessionRow(s.lessonId)!.Approval).toBe(`approved by ${head}`);
  });

  it('refuses a decision on a lesson whose Calendar event the teacher deleted: it stays cancelled', () => {
    const { school, s, ws, head } = waitingSchool();
    const card = school.sidebar(head).lessonCard(s.lessonId);
    ws.calendar.cancelEvent(s.course.teacher.email, eventOf(school, s).id!);
    school.advance(2 * MIN);
    expect(school.lesson(s.lessonId).status).toBe('cancelled');
    const response = school.sidebar(head).click(card, 'Approve');
    expect(school.sidebar(head).note(response)).toBe('This lesson is already cancelled.');
    school.advanceTo(monday(10, 40));
    expect(ws.meet.spaces.size).toBe(0);
    expect(school.sessionRow(s.lessonId)).toMatchObject({
      Status: 'cancelled',
      Approval: 'pending',
    });
  });

  it('keeps a formula-like or 20,000-character reason for declining as plain text: the teacher is told, the log holds it cut to size, no formula anywhere', () => {
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7) });
    const a = scheduleFor(school);
    const b = scheduleFor(school, { course: 1, title: 'Spelling' });
    const head = school.school.head.email;
    const formula = '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/evil","Sessions!A:Z")';
    const long = `Because ${'x'.repeat(20_000)}`;
    expect(decline(school, a, formula)).toMatch(/declined/);
    expect(decline(school, b, long)).toMatch(/declined/);
    school.advance(3 * MIN);

    expect(school.sessionRow(a.lessonId)!.Approval).toBe(`declined by ${head}: ${formula}`);
    const cell = String(school.sessionRow(b.lessonId)!.Approval);
    expect(cell.startsWith(`declined by ${head}: Because xxx`)).toBe(true);
    expect(cell.length).toBeLessThan(1_000);
    expect(school.ws.sheets.formulaCells(school.logId)).toEqual([]);

    const toA = school
      .mailTo(a.course.teacher.email)
      .find((m) => m.subject === 'Declined: Phonics');
    expect(toA?.body).toContain(formula);
    const toB = school
      .mailTo(b.course.teacher.email)
      .find((m) => m.subject === 'Declined: Spelling');
    expect(toB?.body).toContain('Because xxx');
    expect(texts(b.teacher.lessonCard(b.lessonId)).join('\n')).toContain('Declined: Because xxx');
    school.advanceTo(monday(10, 40));
    expect(school.ws.meet.spaces.size).toBe(0);
    noFailures(school);
  });
});
