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
// The three defects this probe first pinned with `it.failing` (the teacher never told of an
// unapproved lesson, an agreement that could not be withdrawn, an approver named later never
// emailed) are fixed; each test's comment says what the Workspace held before.
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

  // Was a defect (R2, R28 "nothing fails silently"): the teacher's outbox stayed empty from
  // scheduling to after the end (only the sidebar's card said "Awaiting approval"), so a class
  // and its teacher turned up at 10:00 for a room that never came; the approvers were emailed
  // once, at 07:01, and never again.
  it('tells the teacher in plain words, by the time the room would have opened, that the lesson is not approved and will not open', () => {
    const { school, s, head } = waitingSchool();
    const notApproved = (m: { subject: string; body: string }) =>
      /not (yet )?(been )?approved/i.test(`${m.subject} ${m.body}`);
    // Nothing yet before the opening time: the approver may still decide in good time.
    school.advanceTo(monday(9, 49));
    expect(school.mailTo(s.course.teacher.email).filter(notApproved)).toEqual([]);

    school.advanceTo(monday(9, 51));
    const told = school.mailTo(s.course.teacher.email).find(notApproved);
    expect(told).toBeDefined();
    expect(told!.subject).toBe('Not yet approved: Phonics (Mon 23 Nov, 10:00–10:30) will not open');
    expect(told!.body).toContain('so its room did not open at 09:50');
    expect(told!.body).toMatch(/approves it before 10:24, its room opens within a minute/);
    expect(told!.body).toContain('please tell your class');
    expect(told!.body).toContain(`Lesson id ${s.lessonId}.`);
    // The approver is reminded at the same moment, while approving still opens the room.
    const reminded = school
      .mailTo(head)
      .filter((m) => m.subject === 'Still awaiting approval: Phonics (Mon 23 Nov, 10:00–10:30)');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.body).toContain(`lesson id ${s.lessonId}; approve before 10:24`);

    // Once, not every minute: to the end of the lesson and after, one email each.
    school.advanceTo(monday(10, 45));
    expect(school.mailTo(s.course.teacher.email).filter(notApproved)).toHaveLength(1);
    expect(
      school.mailTo(head).filter((m) => m.subject.startsWith('Still awaiting approval')),
    ).toHaveLength(1);
    expect(school.ws.meet.spaces.size).toBe(0);
    noFailures(school);
  });

  it('tells the teacher again at the new time when a lesson nobody approved is moved, and an approval after the notice still opens the room', () => {
    const { school, s, ws, head } = waitingSchool();
    const notApproved = () =>
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Not yet approved'));
    school.advanceTo(monday(9, 52));
    expect(notApproved()).toHaveLength(1);
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(monday(14)),
      new Date(monday(14, 30)),
    );
    school.advanceTo(monday(13, 49));
    expect(notApproved()).toHaveLength(1);
    school.advanceTo(monday(13, 51));
    expect(notApproved().map((m) => m.subject)).toEqual([
      'Not yet approved: Phonics (Mon 23 Nov, 10:00–10:30) will not open',
      'Not yet approved: Phonics (Mon 23 Nov, 14:00–14:30) will not open',
    ]);

    // Told it will not open unless approved; approved now, it opens within a minute.
    expect(approve(school, s, head)).toBe('Lesson approved.');
    school.advance(MIN);
    expect(school.lesson(s.lessonId).status).toBe('open');
    school.advanceTo(monday(14, 45));
    expect(notApproved()).toHaveLength(2);
    noFailures(school);
  });

  it('never tells the teacher of a lesson approved in time, nor of a lesson in a school that needs no approval', () => {
    const { school, s } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    const auto = new DeployedSchool({ start: monday(7) });
    const t = scheduleFor(auto);
    school.advanceTo(monday(10, 45));
    auto.advanceTo(monday(10, 45));
    const anyNotice = (d: DeployedSchool, who: string) =>
      d.mailTo(who).filter((m) => /^(Not yet approved|Still awaiting approval)/.test(m.subject));
    expect(anyNotice(school, s.course.teacher.email)).toEqual([]);
    expect(anyNotice(school, school.school.head.email)).toEqual([]);
    expect(anyNotice(auto, t.course.teacher.email)).toEqual([]);
    expect(auto.lesson(t.lessonId).status).toBe('closed');
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
    // Declining cannot stop a running lesson: the message says what can (its teacher ends it;
    // a concern is an incident for the DSL).
    expect(decline(school, s, 'I have changed my mind')).toMatch(
      /^This lesson is already open: its room is running, so it can no longer be declined\. .*End lesson for everyone.*report an incident/,
    );
    expect(world(school, s)).toBe(before);
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Declined')),
    ).toEqual([]);
    expect(ws.meet.participantsNow(link)).toHaveLength(2 + s.course.pupils.length);
  });

  // Was a defect (R2: "agreement ... before its room can open"): the decline at 09:00 was refused
  // with "This lesson was already approved by head@...", the lesson stayed approved, and its room
  // opened at 09:50 all the same; nothing in the product let the head stop it.
  it('lists for the approver, on their homepage, the lessons they agreed to until each room opens, and withdrawing from there (with a reason) stops the room and tells the teacher', () => {
    const { school, s, ws, head } = waitingSchool();
    const other = scheduleFor(school, { course: 1, title: 'Fractions', start: monday(10) });
    expect(approve(school, s)).toBe('Lesson approved.');
    expect(approve(school, other)).toBe('Lesson approved.');
    const side = school.sidebar(head);
    const listed = texts(side.home()).join('\n');
    expect(listed).toContain('Approved by you, not yet open');
    expect(listed).toContain('Phonics');
    const card = side.next(side.click(side.home(), 'Review'));
    expect(texts(card)).toContain('Withdraw approval');
    expect(texts(card).join('\n')).toMatch(/Approved by you/);

    // No reason: refused, the card stays, the approval stands.
    expect(side.note(side.click(card, 'Withdraw approval', { reason: '  ' }))).toMatch(
      /Give a reason/,
    );
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'approved' } });

    side.click(card, 'Withdraw approval', { reason: 'The parents’ letter has not gone out yet' });
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'declined' } });
    expect(school.lesson(other.lessonId)).toMatchObject({ approval: { state: 'approved' } });
    school.advanceTo(monday(9, 51));
    // The other lesson's room opened: it is no longer the approver's to withdraw.
    expect(texts(side.home()).join('\n')).not.toContain('Approved by you, not yet open');
    expect(
      decide(school, head, { lessonId: other.lessonId, decision: 'decline' }, 'Too late now'),
    ).toMatch(/already open/);
    const told = school
      .mailTo(s.course.teacher.email)
      .filter((m) => m.subject === 'Declined: Phonics');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('The parents’ letter has not gone out yet');
    school.advanceTo(monday(10, 5));
    const rooms = [...ws.meet.spaces.values()];
    expect(rooms).toHaveLength(1);
    expect(roomLink(school, other)).toBeTruthy();
    noFailures(school);
  });

  it('lets the approver withdraw their agreement before the room opens, so the room does not open and the teacher is told why', () => {
    const { school, s, ws, head } = waitingSchool();
    const pupil = s.course.pupils[0]!.email;
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(9));
    expect(decline(school, s, 'The parents’ letter has not gone out yet')).toMatch(/declined/);
    expect(school.lesson(s.lessonId)).toMatchObject({
      status: 'scheduled',
      approval: { state: 'declined', by: head, reason: 'The parents’ letter has not gone out yet' },
    });
    school.advanceTo(monday(10));
    expect(ws.meet.spaces.size).toBe(0);
    const told = school
      .mailTo(s.course.teacher.email)
      .filter((m) => m.subject === 'Declined: Phonics');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`${head} has withdrawn their approval`);
    expect(told[0]!.body).toContain(
      'so its room will not open: The parents’ letter has not gone out yet',
    );
    expect(texts(s.teacher.lessonCard(s.lessonId))).toContain(
      'Declined: The parents’ letter has not gone out yet',
    );
    // SLT's log says so at once, not only at the close.
    expect(school.sessionRow(s.lessonId)!.Approval).toBe(
      `declined by ${head}: The parents’ letter has not gone out yet`,
    );
    school.advanceTo(monday(10, 45));
    expect(ws.meet.spaces.size).toBe(0);
    expect(everyPost(school, s.course.id)).toEqual([]);
    expect(String(school.sessionRow(s.lessonId)!.Flags)).toContain(
      `The lesson was declined by ${head}, so its room did not open.`,
    );
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toEqual([]);
    // A declined lesson is not "not approved yet": the teacher had the decline, nothing more.
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Not yet approved')),
    ).toEqual([]);
    noFailures(school);
  });

  it('a withdrawn agreement is final like any decline: an Approve replayed from the old card is refused and the room never opens', () => {
    const { school, s, ws, head } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    expect(decline(school, s, 'Wrong class')).toMatch(/^Approval withdrawn/);
    expect(approve(school, s)).toBe(`This lesson was already declined by ${head}.`);
    // Declining twice tells nobody twice.
    expect(decline(school, s, 'Wrong class')).toBe(`This lesson was already declined by ${head}.`);
    school.advanceTo(monday(10, 45));
    expect(ws.meet.spaces.size).toBe(0);
    expect(
      school
        .mailTo(s.course.teacher.email)
        .filter((m) => /^(Approved|Declined):/.test(m.subject))
        .map((m) => m.subject),
    ).toEqual(['Approved: Phonics', 'Declined: Phonics']);
    expect(school.sessionRow(s.lessonId)).toMatchObject({
      Status: 'closed',
      Approval: `declined by ${head}: Wrong class`,
      'Room Opened': '',
    });
  });

  it('refuses a decline once the room has opened, before anyone joined: the room, the approval and the teacher’s outbox are unchanged', () => {
    const { school, s, ws, head } = waitingSchool();
    expect(approve(school, s)).toBe('Lesson approved.');
    school.advanceTo(monday(9, 52));
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(decline(school, s, 'Too late now')).toMatch(/^This lesson is already open: /);
    expect(school.lesson(s.lessonId)).toMatchObject({
      status: 'open',
      approval: { state: 'approved', by: head },
    });
    expect(ws.meet.spaces.size).toBe(1);
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Declined')),
    ).toEqual([]);
  });

  it('only the approver who agreed can withdraw it: another approver’s decline of an approved lesson is refused and the room opens', () => {
    const probe = new DeployedSchool({ approvalRequired: true });
    const deputy = probe.school.courses[1]!.teacher.email;
    const school = new DeployedSchool({
      approvalRequired: true,
      start: monday(7),
      settings: { approvers: `${probe.school.head.email}, ${deputy}` },
    });
    const s = scheduleFor(school);
    const head = school.school.head.email;
    expect(approve(school, s, head)).toBe('Lesson approved.');
    school.advanceTo(monday(9));
    expect(
      decide(school, deputy, { lessonId: s.lessonId, decision: 'decline' }, 'Not this week'),
    ).toBe(`This lesson was already approved by ${head}.`);
    school.advanceTo(monday(9, 52));
    expect(school.lesson(s.lessonId)).toMatchObject({
      status: 'open',
      approval: { state: 'approved', by: head },
    });
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

  // Was a defect (R2: approvers hear of lessons awaiting them): the "Approval needed" email went
  // only when a lesson was first written to the log, to the approvers named then (the head, now
  // removed); the deputy's outbox stayed empty until the lesson was over, so a lesson waited on
  // someone who did not know.
  it('emails an approver named after a lesson was scheduled of the lessons already waiting for a decision', () => {
    const { school, s, head } = waitingSchool();
    const deputy = school.school.teachers[1]!.email;
    // Spelling is approved before the change: the deputy need not hear of it.
    const b = scheduleFor(school, { title: 'Spelling', start: monday(11) });
    school.advance(2 * MIN);
    expect(approve(school, b)).toBe('Lesson approved.');
    school.writeSettings({ approvers: `${head}, ${deputy}` });
    // The hourly job reads the Settings sheet; the next minute's run tells the deputy.
    school.advanceTo(monday(8, 5));
    const heard = school.mailTo(deputy).find((m) => m.body.includes(s.lessonId));
    expect(heard).toBeDefined();
    expect(heard!.subject).toBe('Approval needed: Phonics (Mon 23 Nov, 10:00–10:30)');
    expect(heard!.body).toContain('You are now named as an approver');
    expect(heard!.body).toContain(`lesson id ${s.lessonId}`);
    expect(heard!.body).not.toContain(b.lessonId);
    // The head, asked at scheduling, is not asked again for the change.
    expect(school.mailTo(head).filter((m) => m.subject.startsWith('Approval needed'))).toHaveLength(
      1,
    );

    // Once: hours later the deputy has had that one email of it.
    school.advanceTo(monday(9, 30));
    expect(
      school
        .mailTo(deputy)
        .filter((m) => m.subject.startsWith('Approval needed') && m.body.includes(s.lessonId)),
    ).toHaveLength(1);
    expect(approve(school, s, deputy)).toBe('Lesson approved.');
    school.advanceTo(monday(9, 52));
    expect(school.lesson(s.lessonId).status).toBe('open');
    noFailures(school);
  });

  it('asks an approver named before a lesson is scheduled only once, and names every waiting lesson to one named later, in lists that fit', () => {
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7), teachers: 4 });
    const head = school.school.head.email;
    const deputy = school.school.teachers[3]!.email;
    const waiting = Array.from({ length: 30 }, (_, i) =>
      scheduleFor(school, {
        course: i % 3,
        title: `Reading group ${i}`,
        start: monday(9) + Math.floor(i / 3) * 25 * MIN,
        minutes: 20,
      }),
    );
    school.advance(2 * MIN);
    school.writeSettings({ approvers: `${head}, ${deputy}` });
    // The hourly job reads the Settings sheet: from then on the deputy is an approver.
    school.advanceTo(monday(8, 5));
    // Scheduled after the change: asked of both through the log's first write, once.
    const later = scheduleFor(school, { course: 0, title: 'Late addition', start: monday(14) });
    school.advance(3 * MIN);

    const asked = school.mailTo(deputy).filter((m) => m.subject.startsWith('Approval needed'));
    const all = asked.map((m) => m.body).join('\n');
    expect(waiting.map((w) => w.lessonId).filter((id) => !all.includes(`lesson id ${id}`))).toEqual(
      [],
    );
    expect(all).not.toContain('Shortened');
    expect(asked.filter((m) => m.body.includes(later.lessonId))).toHaveLength(1);
    // Every waiting lesson is named to the deputy exactly once.
    for (const w of waiting)
      expect(asked.filter((m) => m.body.includes(`lesson id ${w.lessonId}`))).toHaveLength(1);
    noFailures(school);
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
