// Acceptance probe of this morning's two new rules in the mess a real school lives in:
// - R2 approvals: the "Not yet approved" email when MailApp fails or its quota is spent as it
//   falls due, and an approver withdrawing their agreement at the very minute the room opens
//   (two executions at once: never a confirmed decline with a live room);
// - R5, R11, R21 `staffClass`: the staff class deleted or unreadable in the middle of a lesson
//   (a pupil typed as the second adult must not start counting as staff, and a listed teaching
//   assistant must not be lost, so a lesson is neither left unsafe nor ended wrongly), and a
//   staff member's display name like `=IMPORTRANGE(...)` on its roster reaching the log.
// Each test drives the shipped bundle and asserts what the simulated Classroom, Meet, the log
// spreadsheet and the outbox hold.

import { eventObject, notificationOf } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { postLives, scheduleWithTypedSecondAdult } from './in-call-kit';
import {
  admit,
  flagCodes,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
} from './scenario-kit';
import { nameStaffClass } from './staff-class-kit';

/** The decide action of a card, as `user` sends it. */
function decide(
  school: DeployedSchool,
  user: string,
  s: Scheduled,
  decision: 'approve' | 'decline',
  reason = '',
): string {
  const event = eventObject({
    parameters: { lessonId: s.lessonId, decision },
    formInputs: { reason },
  });
  return notificationOf(school.run('decideAction', event, user)) ?? '';
}

/** A school needing approval; Phonics 10:00-10:30 scheduled at 07:00 and approved by the head at 08:00. */
function approvedAt8() {
  const school = new DeployedSchool({ approvalRequired: true, start: monday(7) });
  const s = scheduleFor(school);
  const head = school.school.head.email;
  school.advanceTo(monday(8));
  expect(decide(school, head, s, 'approve')).toBe('Lesson approved.');
  return { school, s, ws: school.ws, head, teacher: s.course.teacher.email };
}

function subjects(school: DeployedSchool, who: string, pattern: RegExp): string[] {
  return school
    .mailTo(who)
    .map((m) => m.subject)
    .filter((subject) => pattern.test(subject));
}

describe('an approver withdrawing at the very minute the room opens (R2)', () => {
  it('refuses a withdrawal that arrives while the minute run is making the room: the room opens, the approval stands and the teacher gets no "Declined"', () => {
    const { school, s, ws, head, teacher } = approvedAt8();
    school.advanceTo(monday(9, 49));
    let said: string | null = null;
    ws.kernel.duringCall('meet.spaces.create', () => {
      said = decide(school, head, s, 'decline', 'The cover fell through');
    });
    school.advanceTo(monday(9, 52));
    expect(said).not.toBeNull();
    expect(said).not.toMatch(/withdrawn|declined/i);
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(ws.meet.spaces.size).toBe(1);
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'approved', by: head } });
    // Sent again once the room is open: refused in plain words, the teacher's End lesson named.
    expect(decide(school, head, s, 'decline', 'The cover fell through')).toMatch(
      /already open.*End lesson for everyone/,
    );
    school.advance(2 * MIN);
    expect(subjects(school, teacher, /^Declined/)).toEqual([]);
    expect(school.sessionRow(s.lessonId)!.Approval).toBe(`approved by ${head}`);
  });

  it('a withdrawal confirmed while a minute run starts at the same moment: that run opens no room, and none opens later', () => {
    const { school, s, ws, head, teacher } = approvedAt8();
    // 09:50:00, the room's opening time; this minute's run has not come yet.
    school.advanceTo(monday(9, 50));
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    const automation = school.school.automation.email;
    // A minute run starts while the approver's execution holds the lesson (between its read of
    // the lesson under the lease and the lease's release).
    let overlapped = 0;
    ws.kernel.duringCall(
      'properties.*',
      () => {
        const held = (school.lesson(s.lessonId) as { lease?: { owner: string } | null }).lease;
        if (overlapped > 0 || !held) return;
        overlapped += 1;
        expect(ws.now()).toBeGreaterThanOrEqual(monday(9, 50));
        school.tryRun('monitorTick', {}, automation, 'trigger');
      },
      1000,
    );
    const said = decide(school, head, s, 'decline', 'The cover fell through');
    expect(overlapped).toBe(1);
    expect(said).toMatch(/Approval withdrawn/);
    school.advanceTo(monday(10, 40));
    expect(ws.meet.spaces.size).toBe(0);
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'declined', by: head } });
    expect(subjects(school, teacher, /^Declined/)).toEqual(['Declined: Phonics']);
    for (const p of s.course.pupils)
      expect(school.ws.classroom.announcementsVisibleTo(p.email, s.course.id)).toEqual([]);
  });
});

describe('the "Not yet approved" email when MailApp cannot send it (R2, R28)', () => {
  /** A school needing approval; Phonics 10:00-10:30 scheduled at 07:00 that nobody approves. */
  function waiting() {
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7) });
    const s = scheduleFor(school);
    return {
      school,
      s,
      ws: school.ws,
      teacher: s.course.teacher.email,
      head: school.school.head.email,
    };
  }

  it('tells the teacher once, a few minutes late, when MailApp fails as the room would have opened', () => {
    const { school, s, ws, teacher, head } = waiting();
    school.advanceTo(monday(9, 48));
    ws.kernel.faults.inject({ match: 'mail.sendEmail', kind: 500 });
    school.advanceTo(monday(9, 54));
    expect(subjects(school, teacher, /^Not yet approved/)).toEqual([]);
    ws.kernel.faults.clear();
    school.advanceTo(monday(10, 5));
    const told = school.mailTo(teacher).filter((m) => m.subject.startsWith('Not yet approved'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`Lesson id ${s.lessonId}.`);
    expect(told[0]!.at).toBeLessThan(monday(10, 0));
    expect(subjects(school, head, /^Still awaiting approval/)).toHaveLength(1);
    school.advanceTo(monday(10, 40));
    expect(subjects(school, teacher, /^Not yet approved/)).toHaveLength(1);
    expect(ws.meet.spaces.size).toBe(0);
  });

  it('tells the teacher once, when the quota comes back, when the automation account’s quota is spent as the room would have opened; SLT read that mail waits', () => {
    const { school, ws, teacher } = waiting();
    school.advanceTo(monday(9, 0));
    ws.mail.spendElsewhere(school.school.automation.email, 1500);
    school.advanceTo(monday(10, 40));
    expect(subjects(school, teacher, /^Not yet approved/)).toEqual([]);
    // The Mail sheet says a notice waits for the quota (nothing fails silently).
    const mailSheet = JSON.stringify(ws.sheets.table(school.logId, 'Mail'));
    expect(mailSheet).toMatch(/quota is spent/);
    // Next morning the quota is back: the notice leaves once, late, still naming the lesson.
    ws.kernel.clock.advance(23 * 60 * MIN);
    school.advance(5 * MIN);
    expect(subjects(school, teacher, /^Not yet approved/)).toHaveLength(1);
    school.advance(5 * MIN);
    expect(subjects(school, teacher, /^Not yet approved/)).toHaveLength(1);
  });
});

describe('300 lessons unapproved at the same opening minute (R2, R28)', () => {
  it('tells each of 300 teachers once, reminds the head of every lesson in lists, within the day’s mail budget and with no run killed', () => {
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7), teachers: 300 });
    const all = Array.from({ length: 300 }, (_, i) =>
      scheduleFor(school, { course: i, title: `Lesson ${i}`, start: monday(10), minutes: 30 }),
    );
    const head = school.school.head.email;
    school.advanceTo(monday(9, 45));
    const before = school.ws.mail.outbox().length;
    const runs: { startedAt: number; endedAt?: number; killed: boolean }[] = [];
    // 13 minutes: the 09:50 run sends the 300 alerts one by one until its hard stop (4.75 min,
    // and 10 s more for an alert); the last two wait for the next run that may send them (09:57).
    school.advance(13 * MIN, (name, r) => {
      if (name === 'monitorTick') runs.push(r.execution);
    });
    // One email per lesson to its teacher (each is a different teacher), once.
    for (const s of all) {
      const told = school
        .mailTo(s.course.teacher.email)
        .filter((m) => m.subject.startsWith('Not yet approved'));
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain(`Lesson id ${s.lessonId}.`);
    }
    const reminders = school
      .mailTo(head)
      .filter((m) => m.subject.startsWith('Still awaiting approval'));
    expect(reminders.length).toBeLessThanOrEqual(12);
    const named = reminders.map((m) => m.body).join('\n');
    expect(all.filter((s) => !named.includes(`lesson id ${s.lessonId}`))).toEqual([]);
    // Within the 500 recipients a day the product budgets, and within MailApp's 6-minute run.
    const sent = school.ws.mail.outbox().slice(before);
    expect(sent.reduce((n, m) => n + m.to.length, 0)).toBeLessThanOrEqual(500);
    expect(runs.filter((r) => r.killed)).toEqual([]);
    for (const r of runs) expect(r.endedAt! - r.startedAt).toBeLessThan(6 * MIN);
    expect(school.ws.kernel.failures).toEqual([]);
    expect(school.ws.meet.spaces.size).toBe(0);
  });
});

describe('the staff class unreadable in the middle of a lesson (R5, R11, R21, staffClass)', () => {
  it('keeps counting a listed teaching assistant as staff when the staff class is deleted mid-lesson: the lesson with them is not ended', () => {
    const school = new DeployedSchool();
    const staffRoom = nameStaffClass(school);
    const ta = school.school.courses[1]!.assistant;
    const s = scheduleWithTypedSecondAdult(school, ta.email);
    school.advanceTo(monday(9, 55));
    const sc = { ...s, teacher: s.teacher } as unknown as Scheduled;
    const link = teacherJoinsAndShares(school, sc);
    admit(school, sc, link, [ta.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 2));
    school.ws.classroom.deleteCourse(staffRoom);
    school.advanceTo(monday(10, 14));
    school.ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 20));
    expect(postLives(school, s.course.id)[0]!.deleted).toBeNull();
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(row['Other Staff Member Present']).toBe(ta.name);
  });

  it('does not start counting a pupil typed as the second adult as staff when the staff class is deleted mid-lesson: the class left with them is alone', () => {
    const school = new DeployedSchool();
    const other = school.school.courses[1]!.pupils[0]!;
    // Typed before SLT named the staff class, so nothing refused it.
    const s = scheduleWithTypedSecondAdult(school, other.email);
    const staffRoom = nameStaffClass(school);
    school.advanceTo(monday(9, 55));
    const sc = s as unknown as Scheduled;
    const link = teacherJoinsAndShares(school, sc);
    admit(school, sc, link, [...s.course.pupils.map((p) => p.email), other.email]);
    school.advanceTo(monday(10, 0));
    school.ws.classroom.deleteCourse(staffRoom);
    school.advanceTo(monday(10, 14));
    const leftAt = school.ws.now();
    school.ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 45));
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(2 * MIN);
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('staff-absent');
    expect(row['Other Staff Member Present']).not.toBe(other.name);
    expect(school.attendance(s.lessonId).find((a) => a.Name === other.name)?.Role).not.toBe(
      'staff',
    );
  });

  it('does not count a pupil typed as the second adult as staff while Classroom fails to give the staff class', () => {
    const school = new DeployedSchool();
    const other = school.school.courses[1]!.pupils[0]!;
    const s = scheduleWithTypedSecondAdult(school, other.email);
    nameStaffClass(school);
    school.advanceTo(monday(9, 55));
    const sc = s as unknown as Scheduled;
    const link = teacherJoinsAndShares(school, sc);
    admit(school, sc, link, [...s.course.pupils.map((p) => p.email), other.email]);
    school.advanceTo(monday(10, 0));
    school.ws.kernel.faults.inject({ match: 'classroom.courses.students.list', kind: 503 });
    school.advanceTo(monday(10, 14));
    const leftAt = school.ws.now();
    school.ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 20));
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(2 * MIN);
    school.ws.kernel.faults.clear();
    school.advanceTo(monday(10, 45));
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('staff-absent');
  });
});

describe('a staff member’s odd display name on the staff class roster (R28)', () => {
  it('keeps a display name like =IMPORTRANGE(...) of a listed teaching assistant as plain text in the log', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const formula = '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/evil","A:Z")';
    const ta = ws.kernel.directory.add({
      email: `odd.ta@${school.school.domain}`,
      name: formula,
      kind: 'staff',
    });
    nameStaffClass(school, [ta.email]);
    const s = scheduleWithTypedSecondAdult(school, ta.email);
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    school.advanceTo(monday(9, 55));
    const sc = s as unknown as Scheduled;
    const link = teacherJoinsAndShares(school, sc);
    admit(school, sc, link, [ta.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 45));
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    expect(String(school.sessionRow(s.lessonId)!['Other Staff Member Present'])).toContain(
      'IMPORTRANGE',
    );
    expect(flagCodes(school.sessionRow(s.lessonId))).not.toContain('staff-absent');
  });
});

describe('odd values in the new settings (R2, R5, R11)', () => {
  it('keeps the last good settings when staffClass holds a formula or 20,000 characters: the staff class still refuses a pupil typed as the second adult', () => {
    const school = new DeployedSchool();
    nameStaffClass(school);
    const automation = school.school.automation.email;
    const pupil = school.school.courses[1]!.pupils[0]!.email;
    for (const odd of [
      '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/evil","A1")',
      '7'.repeat(20_000),
    ]) {
      school.writeSettings({ staffClass: odd });
      school.run('setup', {}, automation, 'editor');
      expect(() => scheduleWithTypedSecondAdult(school, pupil)).toThrow('not scheduled');
      // SLT's own Settings cell holds what they typed; the product writes no formula anywhere.
      const written = school.ws.sheets.formulaCells(school.logId);
      expect(written.filter((c) => c.sheet !== 'Settings')).toEqual([]);
    }
    expect(school.lessons()).toEqual([]);
  });

  it('keeps the last good approvers when the approvers setting holds a formula or 20,000 characters: the lesson still waits for the head, and the head’s approval opens it', () => {
    const school = new DeployedSchool({ approvalRequired: true, start: monday(7) });
    const automation = school.school.automation.email;
    const s = scheduleFor(school);
    const head = school.school.head.email;
    for (const odd of [
      '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/evil","A1")',
      `${'a'.repeat(20_000)}@x.org`,
    ]) {
      school.writeSettings({ approvers: odd });
      school.run('setup', {}, automation, 'editor');
    }
    school.advance(2 * MIN);
    const written = school.ws.sheets.formulaCells(school.logId);
    expect(written.filter((c) => c.sheet !== 'Settings')).toEqual([]);
    expect(decide(school, head, s, 'approve')).toBe('Lesson approved.');
    school.advanceTo(monday(9, 52));
    expect(school.lesson(s.lessonId).status).toBe('open');
  });

  // DEFECT left pinned: SLT name, by mistake, a pupils' class as the staff class (Year 3 Class B
  // instead of the staff room). Its teacher can still schedule (they are in it), and a pupil of
  // it typed as the second adult of another of their classes is "listed", so the check that
  // refuses a pupil of the teacher's own classes is skipped and the lesson is made. Not fixed:
  // the product cannot tell a pupils' class from a staff room class with the rights it has
  // (teaching assistants sit in the staff room class as students, exactly as pupils do), and
  // every other teacher is refused with "ask SLT to add you", which is how SLT hear of it.
  it.failing('refuses a pupil typed as the second adult when SLT named a pupils’ class as the staff class by mistake', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const b = school.school.courses[1]!;
    const other = ws.classroom.addCourse({
      name: 'Year 3 Class B (set 2)',
      ownerEmail: b.teacher.email,
    });
    ws.classroom.addStudent(other, b.pupils[1]!.email);
    school.writeSettings({ staffClass: b.id });
    school.run('setup', {}, school.school.automation.email, 'editor');
    const teacher = school.sidebar(b.teacher.email);
    const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
    const said = JSON.stringify(
      teacher.click(form, 'Schedule', {
        title: 'Phonics',
        start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
        minutes: '30',
        courseId: other,
        otherStaff: b.pupils[0]!.email,
      }),
    );
    expect(said).toContain('not a member of staff');
    expect(school.lessons()).toEqual([]);
  });
});
