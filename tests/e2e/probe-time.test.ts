// Acceptance probe (R1, R4, R6, R10, R18) of the time and calendar mess a real school's timetable
// makes: one class's lessons back to back, one teacher booked into two classes at once, the
// clocks changing between scheduling and the lesson, a lesson cut short in Calendar while it
// runs, moved at the last minute, scheduled two minutes before it starts, at the edges of the
// school's lesson hours and days, and a teacher who comes in after the link's withdrawal time.
// Written from the policies (000: link on Classroom only once the teacher is in the meeting,
// deleted towards the end, meeting ended; normal lesson times) and Google's contracts, not from
// the product's code. Each test drives the shipped bundle and asserts what the simulated
// Classroom, Meet, Calendar, the log spreadsheet and the outbox hold.
//
// Tests marked `it.failing` pin a defect this probe found and did not fix: they pass while the
// product falls short and fail (so someone looks) once it is fixed. Each says which assertion
// fails today and what the Workspace held instead.
//
// Already covered elsewhere, so not repeated here: an event deleted while pupils are in the
// call, moved later or earlier after its room opened, moved to a Saturday or twice before the
// room opens, moved into the past (lesson-changes.test.ts); the teacher joining late but before
// the withdrawal time (lesson-scenarios-timing.test.ts).

import { SPREADSHEET_TIME_ZONE } from '../sim/services/spreadsheet-doc';
import { DeployedSchool, MIN } from './deployed-school';
import { callsOf, letIn, postLives } from './in-call-kit';
import { admit, flagCodes, roomLink, type Scheduled, scheduleFor } from './scenario-kit';

const SEC = 1000;
/** Monday 23 November 2026 (GMT) at hh:mm. */
const mon = (hh: number, mm = 0) => Date.UTC(2026, 10, 23, hh, mm);

/** This lesson's posts on its course stream (deleted ones too), with when each went up and came down. */
function postsOf(school: DeployedSchool, s: Scheduled) {
  return postLives(school, s.course.id).filter((p) => p.text.includes(`(lesson ${s.lessonId})`));
}

function eventOf(school: DeployedSchool, s: Scheduled) {
  const id = (school.lesson(s.lessonId) as unknown as { calendarEventId: string }).calendarEventId;
  const event = school.ws.calendar.events(s.course.teacher.email).find((e) => e.id === id);
  if (!event) throw new Error(`no event for ${s.lessonId}`);
  return event;
}

function subjectsTo(school: DeployedSchool, email: string): string[] {
  return school.mailTo(email).map((m) => m.subject);
}

/** A date-time cell of the log as SLT see it in the spreadsheet (in the spreadsheet's own time zone). */
function shown(cell: unknown): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: SPREADSHEET_TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(cell as Date));
}

function noFailures(school: DeployedSchool) {
  expect(
    school.ws.kernel.failures.map((f) => `${f.execution.functionName}: ${String(f.error)}`),
  ).toEqual([]);
}

function joins(school: DeployedSchool, who: string, link: string): number {
  expect(school.ws.meet.join(who, link)).toBe('joined');
  return school.ws.now();
}

describe('one class’s lessons back to back (R6, R7, R10)', () => {
  /** The class's 09:00–09:30 and a second lesson; the teacher joins the first at `joinAt`, then all are let in. */
  const twoLessons = (title: string, start: number, joinAt: number) => {
    const school = new DeployedSchool({ start: mon(7) });
    const one = scheduleFor(school, { title: 'Phonics', start: mon(9) });
    const two = scheduleFor(school, { title, start });
    const teacher = one.course.teacher.email;
    const ta = one.course.assistant.email;
    const pupils = one.course.pupils.map((p) => p.email);
    school.advanceTo(joinAt);
    const link1 = roomLink(school, one);
    joins(school, teacher, link1);
    school.advance(MIN);
    admit(school, one, link1, [ta, ...pupils]);
    return { school, ws: school.ws, one, two, teacher, ta, pupils, link1 };
  };

  it('09:00–09:30 then 09:30–10:00: each link comes down before its own end, lesson 2’s goes up only once the teacher is in lesson 2’s room, and ending lesson 1’s call does not cut lesson 2', () => {
    const { school, ws, one, two, teacher, ta, pupils, link1 } = twoLessons(
      'Phonics part 2',
      mon(9, 30),
      mon(8, 51),
    );
    expect(postsOf(school, one)).toHaveLength(1);

    // 09:21: lesson 2's room is open; its teacher is teaching lesson 1 in lesson 1's room.
    school.advanceTo(mon(9, 21));
    const link2 = roomLink(school, two);
    expect(link2).not.toBe(link1);
    expect(postsOf(school, two)).toEqual([]);

    // 09:30 lesson 1 is over: the teacher moves to lesson 2's room; the TA stays behind with a
    // pupil who is slow to leave, until lesson 1's call is ended.
    school.advanceTo(mon(9, 30));
    expect(postsOf(school, two)).toEqual([]);
    ws.meet.leave(teacher, link1);
    const joined2 = joins(school, teacher, link2);
    school.advance(MIN);
    const [post2] = postsOf(school, two);
    expect(post2).toBeDefined();
    expect(post2!.created).toBeGreaterThanOrEqual(joined2);
    expect(post2!.created - joined2).toBeLessThanOrEqual(MIN);
    for (const pupil of pupils.slice(1)) ws.meet.leave(pupil, link1);
    admit(school, two, link2, pupils.slice(1));

    // Lesson 1's call ends at its grace end (09:32); lesson 2's call and link are untouched.
    school.advanceTo(mon(9, 33));
    const [call1] = callsOf(school, link1);
    expect(call1!.end).not.toBeNull();
    expect(call1!.end!).toBeLessThanOrEqual(mon(9, 32) + MIN);
    expect(ws.meet.participantsNow(link1)).toEqual([]);
    expect(ws.meet.participantsNow(link2)).toEqual(
      expect.arrayContaining([teacher, ...pupils.slice(1)]),
    );
    expect(callsOf(school, link2).map((c) => c.end)).toEqual([null]);
    expect(postsOf(school, two)[0]!.deleted).toBeNull();
    admit(school, two, link2, [ta, pupils[0]!]);

    school.advanceTo(mon(10, 5));
    const [post1] = postsOf(school, one);
    expect(post1!.deleted).not.toBeNull();
    expect(post1!.deleted!).toBeLessThanOrEqual(mon(9, 25));
    expect(postsOf(school, two)[0]!.deleted!).toBeLessThanOrEqual(mon(9, 55));
    const [call2] = callsOf(school, link2);
    expect(call2!.end!).toBeLessThanOrEqual(mon(10, 2) + MIN);
    // One post each, no more, no fewer.
    expect(postsOf(school, one)).toHaveLength(1);
    expect(postsOf(school, two)).toHaveLength(1);
    expect(postLives(school, one.course.id)).toHaveLength(2);
    for (const s of [one, two]) expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    expect(school.sessionRow(two.lessonId)!['Pupils Present']).toBe(pupils.length);
    noFailures(school);
  });

  it('five minutes apart: lesson 2’s open room gets no link while its teacher is still in lesson 1’s, and the teacher ending lesson 1 early touches only lesson 1', () => {
    const { school, ws, one, two, teacher, pupils, link1 } = twoLessons(
      'Spelling',
      mon(9, 35),
      mon(8, 52),
    );

    // 09:26: lesson 2's room opened at 09:25; the teacher is still in lesson 1's.
    school.advanceTo(mon(9, 26));
    const link2 = roomLink(school, two);
    expect(postsOf(school, two)).toEqual([]);
    // 09:28 the teacher ends lesson 1 from the sidebar.
    school.advanceTo(mon(9, 28));
    expect(one.teacher.endLesson(one.lessonId)).toMatch(/ended/i);
    expect(ws.meet.participantsNow(link1)).toEqual([]);
    expect(callsOf(school, link2)).toEqual([]);
    expect(postsOf(school, two)).toEqual([]);
    expect(school.lesson(two.lessonId).status).toBe('open');

    // 09:33 the teacher joins lesson 2's room: its link goes up then, not before.
    school.advanceTo(mon(9, 33));
    expect(postsOf(school, two)).toEqual([]);
    const joined2 = joins(school, teacher, link2);
    school.advance(MIN);
    const [post2] = postsOf(school, two);
    expect(post2!.created).toBeGreaterThanOrEqual(joined2);
    admit(school, two, link2, [two.course.assistant.email, ...pupils]);

    school.advanceTo(mon(10, 10));
    expect(postsOf(school, one)).toHaveLength(1);
    expect(postsOf(school, two)).toHaveLength(1);
    expect(postsOf(school, two)[0]!.deleted!).toBeLessThanOrEqual(mon(10, 0));
    expect(callsOf(school, link2)[0]!.end!).toBeLessThanOrEqual(mon(10, 7) + MIN);
    for (const s of [one, two]) expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    noFailures(school);
  });
});

describe('a lesson cut short in Calendar while it runs (R10)', () => {
  /** 10:00–10:30: the teacher in from 9:52, the second adult and the class let in. */
  const classInTheCall = () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(mon(9, 52));
    const link = roomLink(school, s);
    joins(school, s.course.teacher.email, link);
    school.advance(MIN);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    return { school, ws: school.ws, s, link };
  };
  /** The teacher drags the event's end in Calendar. */
  const endsAt = (school: DeployedSchool, s: Scheduled, end: number) =>
    school.ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(mon(10)),
      new Date(end),
    );

  it('takes the link down five minutes before the new end and ends the call at the new end’s grace when the teacher shortens the event mid-lesson', () => {
    const { school, ws, s, link } = classInTheCall();

    // 10:05 the teacher drags the event's end from 10:30 to 10:20.
    school.advanceTo(mon(10, 5));
    endsAt(school, s, mon(10, 20));
    school.advance(MIN);

    school.advanceTo(mon(10, 14));
    expect(postsOf(school, s)[0]!.deleted).toBeNull();
    school.advanceTo(mon(10, 16));
    const [post] = postsOf(school, s);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted!).toBeLessThanOrEqual(mon(10, 15));
    school.advanceTo(mon(10, 23));
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end!).toBeLessThanOrEqual(mon(10, 22) + MIN);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(postsOf(school, s)).toHaveLength(1);
    noFailures(school);
  });

  it('takes the link down at once when the new end leaves less than the withdrawal lead, and ends the call at the new end’s grace', () => {
    const { school, ws, s, link } = classInTheCall();

    // 10:12 the teacher cuts the lesson to end at 10:15: its withdrawal time (10:10) has passed.
    school.advanceTo(mon(10, 12));
    endsAt(school, s, mon(10, 15));
    const changedAt = ws.now();
    school.advance(MIN);
    const [post] = postsOf(school, s);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted! - changedAt).toBeLessThanOrEqual(MIN);

    school.advanceTo(mon(10, 18) + 30 * SEC);
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end!).toBeLessThanOrEqual(mon(10, 17) + MIN);
    expect(ws.meet.join(s.course.pupils[0]!.email, link)).toBe('refused');
    noFailures(school);
  });
});

/** Schedules a lesson for `courseIndex`'s class from `teacherEmail`'s sidebar, typing the second adult. */
function scheduleAs(
  school: DeployedSchool,
  teacherEmail: string,
  courseIndex: number,
  spec: { title: string; start: number; secondAdult: string },
): { note: string; lessonId: string | null } {
  const course = school.school.courses[courseIndex]!;
  const teacher = school.sidebar(teacherEmail);
  const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
  const before = new Set(school.lessons().map((l) => l.id));
  const response = teacher.click(form, 'Schedule', {
    title: spec.title,
    start: { msSinceEpoch: spec.start, hasDate: true, hasTime: true },
    minutes: '30',
    courseId: course.id,
    otherStaff: spec.secondAdult,
  });
  const created = school.lessons().find((l) => !before.has(l.id));
  return { note: teacher.note(response), lessonId: created?.id ?? null };
}

/** Class A's teacher also teaches class B, and has Phonics with A 10:00–10:30 and Spelling with B 10:15–10:45. */
function doubleBooked() {
  const school = new DeployedSchool({ start: mon(7) });
  const [classA, classB] = school.school.courses as [Scheduled['course'], Scheduled['course']];
  school.ws.classroom.addTeacher(classB.id, classA.teacher.email);
  const teacher = classA.teacher.email;
  const a = scheduleAs(school, teacher, 0, {
    title: 'Phonics',
    start: mon(10),
    secondAdult: classA.assistant.email,
  });
  const b = scheduleAs(school, teacher, 1, {
    title: 'Spelling',
    start: mon(10, 15),
    secondAdult: classB.assistant.email,
  });
  return { school, classA, classB, teacher, a, b };
}

describe('one teacher booked into two classes at once', () => {
  // Policy 000: the teacher is "the first person in the meeting" and "the last person to leave";
  // 003: teachers "remain on the line with students throughout the call". Nobody can do that in
  // two calls at once, so the clash is caught when it is made: the lesson is scheduled (a
  // colleague may take one; a 300-lesson minute must not be refused) with a flag the teacher
  // reads at once and SLT see in the log. This probe found it scheduled with no word.
  it('tells the teacher when a new lesson overlaps another of theirs, and flags it for SLT', () => {
    const { school, b } = doubleBooked();
    expect(b.note).toMatch(
      /^Lesson scheduled\. Flagged for SLT: Overlaps another of this teacher's live lessons \(Phonics, Mon 23 Nov 10:00–10:30\)/,
    );
    school.advance(MIN);
    expect(String(school.sessionRow(b.lessonId!)!.Flags)).toMatch(
      /Phonics, Mon 23 Nov 10:00–10:30/,
    );
    expect(flagCodes(school.sessionRow(b.lessonId!))).toContain('teacher-double-booked');
  });

  it('shares each class’s link only once the teacher is in that class’s room, and ends each call on its own clock', () => {
    const { school, classA, classB, teacher, a, b } = doubleBooked();
    const { ws } = school;
    const sa = { course: classA, teacher: school.sidebar(teacher), lessonId: a.lessonId! };
    const sb = { course: classB, teacher: school.sidebar(teacher), lessonId: b.lessonId! };
    school.advanceTo(mon(9, 55));
    const linkA = roomLink(school, sa);
    joins(school, teacher, linkA);
    school.advance(MIN);
    for (const who of [classA.assistant.email, ...classA.pupils.map((p) => p.email)])
      letIn(school, teacher, linkA, who);

    // B's room opened at 10:05; its teacher is in A's call until 10:15.
    school.advanceTo(mon(10, 14));
    const linkB = roomLink(school, sb);
    expect(postsOf(school, sb)).toEqual([]);
    ws.meet.leave(teacher, linkA);
    const joinedB = joins(school, teacher, linkB);
    school.advance(MIN);
    expect(postsOf(school, sb)[0]!.created).toBeGreaterThanOrEqual(joinedB);
    for (const who of [classB.assistant.email, ...classB.pupils.map((p) => p.email)])
      letIn(school, teacher, linkB, who);

    school.advanceTo(mon(10, 50));
    expect(postsOf(school, sa)[0]!.deleted!).toBeLessThanOrEqual(mon(10, 25));
    expect(postsOf(school, sb)[0]!.deleted!).toBeLessThanOrEqual(mon(10, 40));
    expect(callsOf(school, linkA)[0]!.end!).toBeLessThanOrEqual(mon(10, 32) + MIN);
    expect(callsOf(school, linkB)[0]!.end!).toBeGreaterThanOrEqual(mon(10, 45));
    expect(callsOf(school, linkB)[0]!.end!).toBeLessThanOrEqual(mon(10, 47) + MIN);
    for (const s of [sa, sb]) expect(postsOf(school, s)).toHaveLength(1);
    noFailures(school);
  });
});

describe('the clocks change between scheduling and the lesson (Europe/London)', () => {
  /**
   * Scheduled on the Saturday night before the change for 10:00 on the Monday after; every
   * trigger of the automation runs through the night the clocks change and the Sunday.
   */
  function acrossTheChange(scheduledAt: number, start: number) {
    const school = new DeployedSchool({ start: scheduledAt });
    const s = scheduleFor(school, { start });
    school.advanceTo(start - 15 * MIN);
    return { school, ws: school.ws, s };
  }

  it.each([
    [
      'back (scheduled on Saturday 24 Oct in BST, for Monday 26 Oct in GMT)',
      Date.UTC(2026, 9, 24, 22),
      Date.UTC(2026, 9, 26, 10),
      '2026-10-26',
    ],
    [
      'forward (scheduled on Saturday 27 Mar in GMT, for Monday 29 Mar in BST)',
      Date.UTC(2027, 2, 27, 22),
      Date.UTC(2027, 2, 29, 9),
      '2027-03-29',
    ],
  ])(
    'clocks go %s: opens, shares, withdraws and ends at the lesson’s own wall-clock times, and says 10:00 everywhere',
    (_, scheduledAt, start, date) => {
      const day = date.split('-').reverse().join('/');
      const { school, ws, s } = acrossTheChange(scheduledAt, start);
      const teacher = s.course.teacher.email;
      // SLT were told of it in London time, and of nothing else: the automation's own jobs ran
      // through the night the clocks changed without a "not running" alarm.
      expect(subjectsTo(school, school.school.slt.email)).toEqual([
        `Live lesson scheduled: Phonics (${date} 10:00-10:30)`,
      ]);
      // The teacher's event is at the instant of 10:00 London.
      expect(Date.parse(eventOf(school, s).start!.dateTime!)).toBe(start);

      // The room opens ten minutes before 10:00 London, not an hour out.
      school.advanceTo(start - 10 * MIN - 30 * SEC);
      expect(ws.meet.spaces.size).toBe(0);
      school.advanceTo(start - 9 * MIN);
      const link = roomLink(school, s);
      joins(school, teacher, link);
      school.advance(MIN);
      admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
      const [post] = postsOf(school, s);
      expect(post!.text).toContain('10:25');

      school.advanceTo(start + 24 * MIN);
      expect(postsOf(school, s)[0]!.deleted).toBeNull();
      school.advanceTo(start + 31 * MIN);
      expect(postsOf(school, s)[0]!.deleted!).toBeLessThanOrEqual(start + 25 * MIN);
      expect(ws.meet.participantsNow(link).length).toBeGreaterThan(0);
      school.advanceTo(start + 40 * MIN);
      const [call] = callsOf(school, link);
      expect(call!.end!).toBeGreaterThanOrEqual(start + 32 * MIN);
      expect(call!.end!).toBeLessThanOrEqual(start + 33 * MIN);

      // The log: the lesson's times as London clocks showed them.
      const row = school.sessionRow(s.lessonId)!;
      expect(row.Status).toBe('closed');
      expect(shown(row.Start)).toBe(`${day}, 10:00`);
      expect(shown(row.End)).toBe(`${day}, 10:30`);
      expect(shown(row['Call Ended'])).toBe(`${day}, 10:32`);
      expect(flagCodes(row)).not.toContain('outside-lesson-hours');
      noFailures(school);
    },
  );
});

describe('a lesson moved in Calendar at the last minute (R1, R10)', () => {
  it('follows a move to tomorrow made a minute before the room opens: no room today, the room at tomorrow’s time, and SLT told', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const tomorrow = mon(10) + 24 * 60 * MIN;
    school.advanceTo(mon(9, 49));
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(tomorrow),
      new Date(tomorrow + 30 * MIN),
    );
    school.advanceTo(mon(10, 35));
    expect(ws.meet.spaces.size).toBe(0);
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    expect(subjectsTo(school, school.school.slt.email)).toContain(
      'Live lesson moved: Phonics (now Tue 24 Nov, 10:00–10:30)',
    );
    expect(shown(school.sessionRow(s.lessonId)!.Start)).toBe('24/11/2026, 10:00');

    ws.kernel.clock.advanceTo(tomorrow - 12 * MIN);
    school.advanceTo(tomorrow - 9 * MIN);
    const link = roomLink(school, s);
    const joined = joins(school, s.course.teacher.email, link);
    school.advance(MIN);
    expect(postsOf(school, s)[0]!.created).toBeGreaterThanOrEqual(joined);
    school.advanceTo(tomorrow + 40 * MIN);
    expect(postsOf(school, s)[0]!.deleted!).toBeLessThanOrEqual(tomorrow + 25 * MIN);
    expect(callsOf(school, link)[0]!.end!).toBeLessThanOrEqual(tomorrow + 33 * MIN);
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    noFailures(school);
  });

  it('opens the room at once for a lesson moved to start in three minutes, before its room had opened, and runs it on the new clock', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(mon(9));
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      new Date(mon(9, 3)),
      new Date(mon(9, 33)),
    );
    school.advance(MIN);
    const link = roomLink(school, s);
    expect(school.lesson(s.lessonId).status).toBe('open');
    const joined = joins(school, s.course.teacher.email, link);
    school.advance(MIN);
    expect(postsOf(school, s)[0]!.created).toBeGreaterThanOrEqual(joined);
    expect(postsOf(school, s)[0]!.text).toContain('09:28');
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);

    school.advanceTo(mon(10, 40));
    expect(postsOf(school, s)[0]!.deleted!).toBeLessThanOrEqual(mon(9, 28));
    expect(callsOf(school, link)[0]!.end!).toBeLessThanOrEqual(mon(9, 35) + MIN);
    // No second room at the old time.
    expect(ws.meet.spaces.size).toBe(1);
    expect(postsOf(school, s)).toHaveLength(1);
    noFailures(school);
  });
});

describe('a lesson scheduled at the last minute (R1, R3, R6)', () => {
  it('opens the room within a minute for a lesson scheduled two minutes before it starts, shares once the teacher is in, and SLT hear of it before it starts', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    school.advanceTo(mon(9, 58));
    const s = scheduleFor(school);
    school.advance(MIN);
    const link = roomLink(school, s);
    expect(ws.now()).toBeLessThan(mon(10));
    expect(postsOf(school, s)).toEqual([]);
    const joined = joins(school, s.course.teacher.email, link);
    school.advance(MIN);
    expect(postsOf(school, s)[0]!.created).toBeGreaterThanOrEqual(joined);
    const scheduled = school
      .emailsTo(school.school.slt.email)
      .filter((m) => m.subject.startsWith('Live lesson scheduled: Phonics'));
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.at).toBeLessThanOrEqual(mon(10));

    school.advanceTo(mon(10, 40));
    expect(postsOf(school, s)[0]!.deleted!).toBeLessThanOrEqual(mon(10, 25));
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    noFailures(school);
  });

  it('refuses a lesson whose start has already passed, and leaves nothing behind in Calendar, the log or SLT’s inbox', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    school.advanceTo(mon(10, 3));
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const result = teacher.schedule({
      title: 'Phonics',
      start: mon(10),
      minutes: 30,
      secondStaff: course.assistant.email,
      courseId: course.id,
    });
    expect(result.lessonId).toBeNull();
    expect(result.message).toMatch(/already passed/);
    school.advance(2 * MIN);
    expect(ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.sessions().slice(1)).toEqual([]);
    expect(subjectsTo(school, school.school.slt.email)).toEqual([]);
    expect(ws.meet.spaces.size).toBe(0);
  });
});

describe('the edges of the school’s lesson hours and days, in summer time (R4)', () => {
  /** Monday 7 June 2027 at hh:mm London (BST, UTC+1). */
  const june = (day: number, hh: number, mm = 0) => Date.UTC(2027, 5, day, hh - 1, mm);

  it('takes a lesson that starts as lesson hours start or ends as they end, and refuses one a minute outside or on a Saturday, all on the London clock', () => {
    const school = new DeployedSchool({
      start: june(7, 7),
      settings: { lessonHoursRule: 'refuse', lessonDaysRule: 'refuse' },
    });
    const tryAt = (start: number) => {
      const course = school.school.courses[0]!;
      return school.sidebar(course.teacher.email).schedule({
        title: 'Phonics',
        start,
        minutes: 30,
        secondStaff: course.assistant.email,
        courseId: course.id,
      });
    };
    const taken = [june(7, 8, 30), june(7, 15), june(11, 15)].map((start) => tryAt(start).lessonId);
    expect(taken).not.toContain(null);
    for (const start of [june(7, 8, 29), june(7, 15, 1)]) {
      const refused = tryAt(start);
      expect(refused.lessonId).toBeNull();
      expect(refused.message).toContain('between 08:30 and 15:30');
    }
    const saturday = tryAt(june(12, 10));
    expect(saturday.lessonId).toBeNull();
    expect(saturday.message).toMatch(/Monday, Tuesday, Wednesday, Thursday and Friday/);

    school.advance(MIN);
    expect(school.sessions().slice(1)).toHaveLength(3);
    for (const id of taken) expect(flagCodes(school.sessionRow(id!))).toEqual([]);
    // The 08:30 lesson's room opens at 08:20 London, an hour before 08:20 UTC.
    school.advanceTo(june(7, 8, 19));
    expect(school.ws.meet.spaces.size).toBe(0);
    school.advanceTo(june(7, 8, 21));
    expect(school.ws.meet.spaces.size).toBe(1);
    noFailures(school);
  });
});

describe('a teacher who comes in after the link’s withdrawal time (R6, R10)', () => {
  it('never posts the link when the teacher first joins after its withdrawal time, by the automation or by the teacher’s Share', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(mon(10, 26));
    const link = roomLink(school, s);
    joins(school, s.course.teacher.email, link);
    school.advance(MIN);
    expect(postsOf(school, s)).toEqual([]);
    const card = s.teacher.lessonCard(s.lessonId);
    if (JSON.stringify(card).includes('Share with class'))
      expect(s.teacher.act(s.lessonId, 'Share with class')).toMatch(/too close to the end/);
    school.advanceTo(mon(10, 40));
    expect(postsOf(school, s)).toEqual([]);
    expect(callsOf(school, link)[0]!.end!).toBeLessThanOrEqual(mon(10, 33));
    expect(school.sessionRow(s.lessonId)!['Link Shared']).toBe('');
    noFailures(school);
  });

  // The monitor holds a link's withdrawal due from 45 seconds before its time (lifecycle-plan.ts
  // WITHDRAW_LEAD_MS: "the link comes down in the monitor's last run before its time"). A teacher
  // who joined in that window used to get the link posted by the share step and deleted by the
  // withdraw step of the same run (a post alive from 10:24:29.9 to 10:24:30.3, long enough to
  // reach pupils' streams). Sharing now closes when the withdrawal falls due, for the automation
  // and for the teacher's own Share.
  it('posts no link once its withdrawal is due, even in the seconds before the withdrawal time', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(mon(10, 24) + 20 * SEC);
    joins(school, s.course.teacher.email, roomLink(school, s));
    expect(s.teacher.act(s.lessonId, 'Share with class')).toBe(
      'It is too close to the end of the lesson to share the link.',
    );
    school.advanceTo(mon(10, 30));
    expect(postsOf(school, s)).toEqual([]);
  });

  it('has no link on Classroom at or after the withdrawal time when the teacher joins forty seconds before it', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(mon(10, 24) + 20 * SEC);
    const link = roomLink(school, s);
    joins(school, s.course.teacher.email, link);
    school.advanceTo(mon(10, 40));
    for (const post of postsOf(school, s)) {
      expect(post.created).toBeLessThan(mon(10, 25));
      expect(post.deleted).not.toBeNull();
      expect(post.deleted!).toBeLessThanOrEqual(mon(10, 25));
    }
    expect(ws.meet.participantsNow(link)).toEqual([]);
    noFailures(school);
  });
});
