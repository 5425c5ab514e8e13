// Acceptance probe (R11, R21, R28) of the recovery paths added last: the minute monitor stalling
// and coming back while teachers run lessons from the sidebar, delegation refused at the same
// time, the sidebar telling the admin, a Google service failing only one kind of call, the
// class's co-teachers made members of the room, and the check of a typed second adult against the
// teacher's own classes. Written from the policies and Google's contracts, not from the product's
// code; each test drives the shipped bundle and asserts what the simulated Classroom, Meet, the
// log and the outbox hold. The one defect this probe pinned with `it.failing` (a co-teacher added
// to the class after scheduling could not get in to cover a teacher who had dropped out) is fixed,
// and its test now passes as an ordinary one.

import { DELEGATED_SCOPES } from '../../src/adapters/credentials';
import { DELEGATION_CLIENT_ID } from '../sim/school';
import { DeployedSchool, MIN, monday, type DeployedSchool as School } from './deployed-school';
import { callsOf, postLives } from './in-call-kit';
import {
  AUTOMATION_JOBS,
  everyPost,
  roomLink,
  type Scheduled,
  scheduleFor,
  twoLessonsTeacherInAt955,
} from './scenario-kit';

const SEC = 1000;
const RUN_IT = 'Safe Live Lessons: please run your lesson from the sidebar';
const MONITOR_DOWN = 'Safe Live Lessons: the minute monitor is not running';

function status(school: School): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

function mailWith(school: School, email: string, subject: string | RegExp) {
  return school
    .mailTo(email)
    .filter((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
}

/** Posts of this lesson on its course stream, deleted or not. */
function posts(school: School, s: Scheduled) {
  return everyPost(school, s.course.id).filter((p) =>
    (p.text ?? '').includes(`(lesson ${s.lessonId})`),
  );
}

function livePosts(school: School, s: Scheduled) {
  return posts(school, s).filter((p) => !p.history.some((h) => h.action === 'deleted'));
}

/** How many rows the Sessions sheet holds for this lesson. */
function sessionRows(school: School, lessonId: string): number {
  return school
    .sessions()
    .slice(1)
    .filter((r) => r[0] === lessonId).length;
}

/**
 * Phonics 10:00-10:30 (class 0, its teacher in the call and the link up from 09:55) and Spelling
 * 10:30-11:00 (class 1), both scheduled at 07:00; at 10:05 Google stops firing the minute
 * monitor's trigger (still installed); at 10:21 both teachers have been told to run their lessons
 * from the sidebar.
 */
function monitorStallsMidLesson() {
  const { school, ws, automation, a, b, linkA } = twoLessonsTeacherInAt955();
  school.advanceTo(monday(10, 4) + 30 * SEC);
  expect(livePosts(school, a)).toHaveLength(1);
  ws.scriptApp.stallTrigger('monitorTick', automation);
  school.advanceTo(monday(10, 21));
  for (const s of [a, b]) expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
  /** A run of the minute monitor as Google would fire it, now (inside whatever else runs). */
  const monitorRuns = () => {
    const result = school.tryRun('monitorTick', {}, automation, 'trigger');
    if (result.error) throw result.error;
  };
  return { school, ws, automation, a, b, linkA, monitorRuns };
}

describe('the minute monitor stalls mid-lesson and comes back while teachers act from the sidebar (R28)', () => {
  it('posts the link once and takes it down on time when the monitor comes back in the middle of the teacher’s Share', () => {
    const { school, ws, automation, a, b, monitorRuns } = monitorStallsMidLesson();
    // 10:22 lesson B's teacher opens the room from the sidebar and joins it.
    expect(b.teacher.act(b.lessonId, 'Open room')).toMatch(/open/i);
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    // Google fires the monitor again while the teacher's Share is posting the link.
    let resumedAt = 0;
    ws.kernel.duringCall('classroom.courses.announcements.create', () => {
      resumedAt = ws.now();
      ws.scriptApp.resumeTrigger('monitorTick', automation);
      monitorRuns();
    });
    expect(b.teacher.act(b.lessonId, 'Share with class')).toMatch(/shared|Classroom/i);
    expect(resumedAt).toBeGreaterThan(0);
    school.advanceTo(monday(10, 27));
    expect(posts(school, b)).toHaveLength(1);
    expect(livePosts(school, b)).toHaveLength(1);
    // Lesson A, which nobody ended, is taken down by the monitor back at work: on time for its
    // own end (10:25) it could not be, but within its first minute back.
    expect(livePosts(school, a)).toEqual([]);

    // B's link comes down five minutes before its end, and its call ends after the grace.
    school.advanceTo(monday(11, 10));
    const [postB] = postLives(school, b.course.id);
    expect(postB!.deleted).not.toBeNull();
    expect(postB!.deleted!).toBeLessThanOrEqual(monday(10, 55) + MIN);
    const [callB] = callsOf(school, linkB);
    expect(callB!.end).not.toBeNull();
    expect(callB!.end!).toBeLessThanOrEqual(monday(11, 2) + MIN);
    for (const s of [a, b]) {
      expect(posts(school, s)).toHaveLength(1);
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(sessionRows(school, s.lessonId)).toBe(1);
      expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
    }
    expect(ws.kernel.failures).toEqual([]);
  });

  it('ends the lesson once when the monitor comes back in the same minute as the teacher presses End, and the teacher’s hourly sweep does no harm afterwards', () => {
    const { school, ws, automation, a, b, linkA, monitorRuns } = monitorStallsMidLesson();
    // The teacher of A opened the sidebar: they have an hourly sweep of their own now.
    a.teacher.home();
    const sweeps = () =>
      ws.scriptApp
        .triggers()
        .filter((t) => t.handlerFunction === 'teacherSweep' && t.owner === a.course.teacher.email);
    expect(sweeps()).toHaveLength(1);
    // 10:24 A's teacher presses End; Google fires the monitor again in the middle of it.
    school.advanceTo(monday(10, 24));
    ws.kernel.duringCall('meet.spaces.endActiveConference', () => {
      ws.scriptApp.resumeTrigger('monitorTick', automation);
      monitorRuns();
    });
    expect(a.teacher.endLesson(a.lessonId)).toMatch(/ended/i);
    expect(livePosts(school, a)).toEqual([]);
    expect(ws.meet.participantsNow(linkA)).toEqual([]);

    // The monitor is back: it opens B and shares when B's teacher joins.
    school.advanceTo(monday(10, 25));
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    // Two hours on, the teacher's sweep has run beside the monitor.
    let sweepRuns = 0;
    school.advance(monday(12, 30) - ws.now(), (name) => {
      if (name === 'teacherSweep') sweepRuns += 1;
    });
    expect(sweepRuns).toBeGreaterThanOrEqual(1);
    expect(posts(school, a)).toHaveLength(1);
    expect(posts(school, b)).toHaveLength(1);
    expect(livePosts(school, b)).toEqual([]);
    expect(postLives(school, b.course.id)[0]!.deleted!).toBeLessThanOrEqual(monday(10, 55) + MIN);
    expect(callsOf(school, linkA)).toHaveLength(1);
    expect(callsOf(school, linkB)).toHaveLength(1);
    for (const s of [a, b]) {
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(sessionRows(school, s.lessonId)).toBe(1);
      expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
    }
    const slt = school.school.slt.email;
    expect(mailWith(school, slt, MONITOR_DOWN)).toHaveLength(1);
    expect(
      mailWith(school, slt, 'Safe Live Lessons: working again: The minute monitor'),
    ).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });
});

const JOBS = AUTOMATION_JOBS;

/** The first line of the sidebar that says why the automation is not acting, or null. */
function banner(card: unknown): string | null {
  return (
    JSON.stringify(card).match(
      /Safe Live Lessons (is not acting|cannot act) for teachers[^"]*/,
    )?.[0] ?? null
  );
}

describe('delegation refused while the minute monitor is stalled (R28)', () => {
  it('tells each teacher once and the admin once of each cause, and says working again only for what works again', () => {
    const { school, ws, automation, slt, a, b, linkA } = twoLessonsTeacherInAt955();
    // 10:05 the monitor stalls; 10:08 an administrator removes the delegation as well.
    school.advanceTo(monday(10, 5));
    ws.scriptApp.stallTrigger('monitorTick', automation);
    school.advanceTo(monday(10, 8));
    ws.auth.revokeDelegation(DELEGATION_CLIENT_ID);
    school.advanceTo(monday(10, 22));
    // Nothing that runs acts as a teacher, so only the monitor's silence is known, and said.
    expect(mailWith(school, slt, MONITOR_DOWN)).toHaveLength(1);
    expect(mailWith(school, slt, /cannot act for teachers/)).toEqual([]);
    for (const s of [a, b]) {
      const told = mailWith(school, s.course.teacher.email, RUN_IT);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toMatch(/its minute monitor, .* has not run since 10:0\d/);
    }
    expect(banner(b.teacher.home())).toMatch(/its minute monitor has not run since 10:0\d/);

    // B's teacher runs their lesson from the sidebar, as told: it works without the automation.
    school.advanceTo(monday(10, 25));
    expect(b.teacher.act(b.lessonId, 'Open room')).toMatch(/open/i);
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    expect(b.teacher.act(b.lessonId, 'Share with class')).toMatch(/shared|Classroom/i);
    expect(livePosts(school, b)).toHaveLength(1);

    // 10:40 the monitor runs again, and meets the refusal: now the admin hears of it, and the
    // sidebar gives the cause that is left; teachers already told are not told again.
    ws.scriptApp.resumeTrigger('monitorTick', automation);
    school.advanceTo(monday(10, 45));
    expect(
      mailWith(school, slt, 'Safe Live Lessons: the automation cannot act for teachers'),
    ).toHaveLength(1);
    expect(
      mailWith(school, slt, 'Safe Live Lessons: working again: The minute monitor'),
    ).toHaveLength(1);
    expect(banner(b.teacher.home())).toMatch(/Google refused the automation’s access/);
    for (const s of [a, b])
      expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
    // A's link, which nobody took down, is still up: the admin is told so, not that it came down.
    expect(livePosts(school, a)).toHaveLength(1);
    const live = mailWith(school, slt, /^Link still live: Phonics/);
    expect(live).toHaveLength(1);
    expect(live[0]!.body).toMatch(/Google refuses to let the automation act as the teacher/);

    // B's teacher ends from the sidebar at 10:50; 10:52 delegation is given back.
    school.advanceTo(monday(10, 50));
    expect(b.teacher.endLesson(b.lessonId)).toMatch(/ended/i);
    expect(livePosts(school, b)).toEqual([]);
    school.advanceTo(monday(10, 52));
    ws.auth.authorizeDelegation(DELEGATION_CLIENT_ID, DELEGATED_SCOPES);
    school.advanceTo(monday(11, 30));
    // The automation takes A down and ends its call within a few minutes of being let act.
    expect(livePosts(school, a)).toEqual([]);
    expect(postLives(school, a.course.id)[0]!.deleted!).toBeLessThanOrEqual(monday(10, 55));
    expect(callsOf(school, linkA)[0]!.end!).toBeLessThanOrEqual(monday(10, 55));
    expect(callsOf(school, linkB)[0]!.end!).toBeLessThanOrEqual(monday(10, 51));
    expect(
      mailWith(
        school,
        slt,
        'Safe Live Lessons: working again: Delegation (the automation acting as teachers)',
      ),
    ).toHaveLength(1);
    for (const [subject, n] of [
      [MONITOR_DOWN, 1],
      ['Safe Live Lessons: the automation cannot act for teachers', 1],
      ['Safe Live Lessons: working again: The minute monitor', 1],
    ] as const)
      expect(mailWith(school, slt, subject)).toHaveLength(n);
    for (const s of [a, b]) {
      expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(sessionRows(school, s.lessonId)).toBe(1);
      expect(posts(school, s)).toHaveLength(1);
    }
    expect(banner(b.teacher.home())).toBeNull();
  });

  // Was a DEFECT. With delegation refused (the admin told) and then every job of the automation
  // stopped (its account suspended), the sidebar went on saying "Google refused the automation's
  // access; the administrator has been told", and only a stopped monitor with delegation working
  // made the sidebar tell the admin. The admin gave delegation back at 10:15 and heard nothing
  // more: no job was left to find the monitor silent, so rooms, links and calls were left to the
  // teachers with nobody knowing why. The sidebar now tells the admin whenever the monitor has
  // stopped and no job has said so, whatever else is wrong.
  it('tells the admin from a teacher’s sidebar that no job runs though delegation was refused first and is given back meanwhile', () => {
    const { school, ws, automation, slt, a, b } = twoLessonsTeacherInAt955();
    school.advanceTo(monday(10, 5));
    ws.auth.revokeDelegation(DELEGATION_CLIENT_ID);
    school.advanceTo(monday(10, 10));
    expect(
      mailWith(school, slt, 'Safe Live Lessons: the automation cannot act for teachers'),
    ).toHaveLength(1);
    // 10:10 the automation account is suspended: Google fires none of its triggers.
    for (const job of JOBS) ws.scriptApp.stallTrigger(job, automation);
    school.advanceTo(monday(10, 15));
    ws.auth.authorizeDelegation(DELEGATION_CLIENT_ID, DELEGATED_SCOPES);
    school.advanceTo(monday(10, 25));
    b.teacher.home();
    a.teacher.home();
    toldOnceFromSidebarOf(school, slt, b.course.teacher.email);
    school.advanceTo(monday(10, 35));
    a.teacher.home();
    expect(mailWith(school, slt, MONITOR_DOWN)).toHaveLength(1);
    // Teachers were told once, of the refusal; nobody is told twice.
    for (const s of [a, b])
      expect(mailWith(school, s.course.teacher.email, RUN_IT)).toHaveLength(1);
  });
});

/** SLT have had exactly one "minute monitor is not running", sent from `teacher`'s sidebar. */
function toldOnceFromSidebarOf(school: School, slt: string, teacher: string): void {
  const told = mailWith(school, slt, MONITOR_DOWN);
  expect(told).toHaveLength(1);
  expect(told[0]!.body).toMatch(
    new RegExp(`^Found by the Safe Live Lessons sidebar of ${teacher}`),
  );
}

/**
 * Phonics at 10:00 (its teacher in the call from 09:55) and Spelling at 10:30; at 10:05 the
 * automation account loses its authorisation: Google fires none of its triggers.
 */
function automationStopsAt1005(teachers = 2) {
  const { school, ws, automation, slt, a, b } = twoLessonsTeacherInAt955(monday(10, 30), teachers);
  school.advanceTo(monday(10, 5));
  for (const job of JOBS) ws.scriptApp.stallTrigger(job, automation);
  return { school, ws, automation, slt, a, b };
}

describe('the sidebar tells the admin that no job of the automation runs (R28)', () => {
  // Was a DEFECT. The first teacher's sidebar marked the problem told in the health record, then
  // handed the email to its own MailApp, which refused it (say, that teacher's daily quota
  // spent). The email waited in the queue for the automation's flush, which never came (no job
  // runs), and every later sidebar saw the problem told: the admin never heard. Now what did not
  // leave is not marked told, so the next teacher's sidebar sends it.
  it('tells the admin from the next teacher’s sidebar when the first teacher’s MailApp refuses the email', () => {
    const { school, ws, automation, slt, a, b } = automationStopsAt1005();
    school.advanceTo(monday(10, 20));
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'exception' });
    expect(banner(a.teacher.home())).toMatch(/its minute monitor has not run since 10:0\d/);
    ws.kernel.faults.clear();
    expect(mailWith(school, slt, MONITOR_DOWN)).toEqual([]);
    school.advanceTo(monday(10, 24));
    b.teacher.home();
    toldOnceFromSidebarOf(school, slt, b.course.teacher.email);
    school.advanceTo(monday(10, 30));
    a.teacher.home();
    b.teacher.home();
    expect(mailWith(school, slt, MONITOR_DOWN)).toHaveLength(1);
    // 10:40 the automation runs again and says so. Left alone (noticed, not fixed): the copy the
    // first teacher's MailApp refused waited in the mail queue (which has no way to withdraw a
    // notice) and leaves with the automation's first flush, beside "working again": late, but
    // the admin reads it with the news that it is over, and nothing is lost.
    school.advanceTo(monday(10, 40));
    for (const job of JOBS) ws.scriptApp.resumeTrigger(job, automation);
    school.advanceTo(monday(10, 50));
    const again = mailWith(school, slt, 'Safe Live Lessons: working again: The minute monitor');
    expect(again).toHaveLength(1);
    const down = mailWith(school, slt, MONITOR_DOWN);
    expect(down).toHaveLength(2);
    expect(down[1]!.at).toBeGreaterThanOrEqual(monday(10, 40));
    expect(down[1]!.body).toMatch(new RegExp(`sidebar of ${a.course.teacher.email}`));
  });

  it('sends one email when several teachers open the sidebar in the same minute, one in the middle of another', () => {
    const { school, ws, slt, a, b } = automationStopsAt1005(3);
    const c = scheduleFor(school, { course: 2, title: 'Maths', start: monday(10, 40) });
    school.advanceTo(monday(10, 20));
    // B's and C's sidebars open while A's is taking the lock to mark the problem told.
    let inside = 0;
    ws.kernel.duringCall(
      'lock.*',
      () => {
        inside += 1;
        for (const s of [b, c])
          expect(school.tryRun('onHomepage', {}, s.course.teacher.email).error).toBeUndefined();
      },
      1,
    );
    expect(banner(a.teacher.home())).toMatch(/its minute monitor has not run since 10:0\d/);
    expect(inside).toBe(1);
    a.teacher.home();
    expect(mailWith(school, slt, MONITOR_DOWN)).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });
});

/** A member of staff the school's directory knows, not yet in any class. */
function staffMember(school: School, name: string): string {
  return school.ws.kernel.directory.add({
    email: `${name.toLowerCase().replace(/ /g, '.')}@${school.school.domain}`,
    name,
    kind: 'staff',
  }).email;
}

describe('the class’s co-teachers are members of the room (R11, R21)', () => {
  it('makes a co-teacher who is also the second adult a member once, beside the class’s other co-teacher', () => {
    const school = new DeployedSchool();
    const course = school.school.courses[0]!;
    const cover = staffMember(school, 'Head of Year');
    school.ws.classroom.addTeacher(course.id, cover);
    const s = scheduleFor(school, { secondStaff: cover });
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    // The TA is a teacher of the class in Classroom too: a co-teacher, a member as well.
    const members = school.ws.meet.membersOf(link);
    expect(members).toEqual(
      expect.arrayContaining([
        { email: cover, role: 'ROLE_UNSPECIFIED' },
        { email: s.course.assistant.email, role: 'ROLE_UNSPECIFIED' },
      ]),
    );
    expect(members).toHaveLength(2);
    expect(school.ws.kernel.calls.count('meet.spaces.members.create')).toBe(2);
  });

  it('still opens the room, shares the link and logs the lesson when Meet refuses to make the staff members; the co-teacher knocks and is let in', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const course = school.school.courses[0]!;
    const cover = staffMember(school, 'Head of Year');
    ws.classroom.addTeacher(course.id, cover);
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 48));
    ws.kernel.faults.inject({ match: 'meet.spaces.members.create', kind: 503 });
    school.advanceTo(monday(9, 55));
    ws.kernel.faults.clear();
    const link = roomLink(school, s);
    expect(ws.meet.membersOf(link)).toEqual([]);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advance(MIN);
    expect(livePosts(school, s)).toHaveLength(1);
    expect(ws.meet.join(cover, link)).toBe('knocking');
    ws.meet.admit(s.course.teacher.email, link, cover);
    expect(ws.meet.participantsNow(link)).toContain(cover);
    // The refusal is in the operators' log, without names.
    const logged = ws.kernel.logs.map((l) => l.message).join('\n');
    expect(logged).toMatch(/not made (a member|members) of/);
    expect(logged).not.toContain(cover);
    school.advanceTo(monday(10, 45));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(school.attendance(s.lessonId).find((p) => p.Name === 'Head of Year')?.Role).toBe(
      'staff',
    );
  });

  // Co-teachers are recorded when the lesson is scheduled (issue 8), so a colleague added to the
  // class later is not a member when the room opens. Once the teacher drops out and leaves the
  // class alone, nobody in the call could admit their knock: the class's teachers are read again
  // then, once for that gap, and the cover is made a member and counted as staff.
  it('lets a co-teacher added to the class after scheduling straight in to cover once the teacher has dropped out, reading the class’s teachers once', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const course = school.school.courses[0]!;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 0));
    const cover = staffMember(school, 'Head of Year');
    ws.classroom.addTeacher(course.id, cover);
    const teachersRead = () => ws.kernel.calls.count('classroom.courses.teachers.list');
    const readBefore = teachersRead();
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    expect(ws.meet.membersOf(link).map((m) => m.email)).not.toContain(cover);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advanceTo(monday(9, 58));
    const pupil = course.pupils[0]!.email;
    if (ws.meet.join(pupil, link) === 'knocking')
      ws.meet.admit(s.course.teacher.email, link, pupil);
    expect(ws.meet.participantsNow(link)).toContain(pupil);
    school.advanceTo(monday(10, 5));
    // A call with its teacher and pupils costs no read of the class's teachers.
    expect(teachersRead()).toBe(readBefore);
    ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 7));
    expect(ws.meet.membersOf(link).map((m) => m.email)).toContain(cover);
    expect(ws.meet.join(cover, link)).toBe('joined');
    school.advanceTo(monday(10, 12));
    expect(teachersRead() - readBefore).toBe(1);
    // Staff are back with the class: the call goes on (the pupils-alone limit is 4 minutes).
    expect(ws.meet.participantsNow(link)).toEqual(expect.arrayContaining([cover, pupil]));
    school.advanceTo(monday(10, 45));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(school.attendance(s.lessonId).find((p) => p.Name === 'Head of Year')?.Role).toBe(
      'staff',
    );
    // Nobody's address in the operators' log.
    expect(ws.kernel.logs.map((l) => l.message).join('\n')).not.toContain(cover);
  });
});

describe('a typed second adult checked against the teacher’s own classes (R11, R21)', () => {
  function scheduleTyping(school: School, typed: string) {
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
    return {
      course,
      form,
      schedule: () =>
        teacher.click(form, 'Schedule', {
          title: 'Phonics',
          start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
          minutes: '30',
          courseId: course.id,
          otherStaff: typed,
        }),
    };
  }

  it('says clearly that the lesson was not scheduled, and makes nothing, when Classroom fails the check', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const colleague = school.school.courses[1]!.teacher.email;
    const { course, schedule } = scheduleTyping(school, colleague);
    ws.kernel.faults.inject({ match: 'classroom.courses.list', kind: 503 });
    const said = JSON.stringify(schedule());
    ws.kernel.faults.clear();
    // Noticed: a 503 is worded as "did not answer in time"; what matters holds: try again.
    expect(said).toMatch(/Nothing was lost: please try again/);
    expect(school.lessons()).toEqual([]);
    expect(ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.sessions().slice(1)).toEqual([]);
    expect(ws.mail.outbox().filter((m) => /scheduled/i.test(m.subject))).toEqual([]);
  });

  // Classroom's NOT_FOUND for an unknown studentId cannot be reached through the bundle here: the
  // school directory check refuses an address it does not know first ("not in the school's
  // directory"), and the simulated Classroom knows every directory user. The nearest case: a
  // member of staff in no class at all is looked up once and scheduled.
  it('schedules a lesson with a typed second adult who is in no class', () => {
    const school = new DeployedSchool();
    const supply = staffMember(school, 'New Supply');
    const { course, schedule } = scheduleTyping(school, supply);
    const before = school.ws.kernel.calls.count('classroom.courses.list');
    expect(JSON.stringify(schedule())).not.toMatch(/is a pupil/);
    expect(school.ws.kernel.calls.count('classroom.courses.list') - before).toBeLessThanOrEqual(2);
    const [lesson] = school.lessons();
    expect(lesson?.status).toBe('scheduled');
    const [event] = school.ws.calendar.events(course.teacher.email);
    expect((event?.attendees ?? []).map((a) => a.email)).toContain(supply);
  });
});

/**
 * Forty lessons at 10:00, every link up by 10:02; from 10:10 to 10:50 Classroom answers 503 to
 * every delete and takes every other request. Returns the school at 10:45, and a step to 11:05.
 */
function fortyLessonsDeletesFail() {
  const school = new DeployedSchool({ teachers: 40, pupilsPerCourse: 2, start: monday(7, 0) });
  const { ws } = school;
  const lessons = school.school.courses.map((_, course) =>
    scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
  );
  school.advanceTo(monday(9, 55));
  for (const s of lessons)
    expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
  school.advanceTo(monday(10, 2));
  for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
  school.advanceTo(monday(10, 10));
  ws.kernel.faults.inject({ match: 'classroom.courses.announcements.delete', kind: 503 });
  school.advanceTo(monday(10, 45));
  const deletesWorkAgain = () => {
    school.advanceTo(monday(10, 50));
    ws.kernel.faults.clear();
    school.advanceTo(monday(11, 5));
  };
  return { school, ws, lessons, slt: school.school.slt.email, deletesWorkAgain };
}

describe('Classroom failing only deletes for forty lessons (R28)', () => {
  it('shows on the Status sheet that deletes fail while the rest works, tells SLT once, and takes every link down once deletes work', () => {
    const { school, lessons, slt, deletesWorkAgain } = fortyLessonsDeletesFail();
    const row = status(school).get('Google Classroom');
    expect(row?.state).toBe('FAILING');
    expect(row?.detail).toMatch(
      /run\(s\) in a row failed every delete request \(it answers the others\) since 10:2\d: HTTP 503$/,
    );
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    deletesWorkAgain();
    for (const s of lessons) {
      expect(livePosts(school, s)).toEqual([]);
      expect(posts(school, s)).toHaveLength(1);
    }
    const about = mailWith(school, slt, /Google Classroom/).map((m) => m.subject);
    expect(about).toEqual([
      'Safe Live Lessons: Google Classroom is failing',
      'Safe Live Lessons: working again: Google Classroom',
    ]);
    school.advanceTo(monday(11, 10));
    expect(status(school).get('Google Classroom')?.state).toBe('OK');
  });

  // Was a DEFECT. Every post was made before the fault, so while deletes failed the runs tried
  // nothing but deletes, and the record had no answered call of another kind: the email (sent at
  // the fifth failing run, 10:28) said "Google Classroom has failed every request since 10:24",
  // although only deletes were known to fail (failingOps held ['DELETE']). It now names them.
  it('tells SLT that only deletes are known to fail, not every request', () => {
    const { school, slt } = fortyLessonsDeletesFail();
    expect(mailWith(school, slt, /Google Classroom is failing/)[0]!.body).toMatch(
      /has failed every delete request/,
    );
  });
});
