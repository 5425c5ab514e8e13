// Acceptance probe (R11, R14, R21, R22) of the people "mess" of a real lesson, written from
// Google's contracts (Meet's participants and participant sessions, space access types and
// members; Classroom rosters) and the policies rather than from the product's code: staff
// dropping out one after the other and the teacher coming back too late, a second adult who
// only looked in before the pupils came, a second adult who cannot get back in, a pupil named
// as the "second adult", outsiders at the edges of the lesson (before the teacher, in the last
// minute, in the grace minutes, while the teacher overruns), a pupil taken off the class after
// scheduling, and the same person on two devices. Each test drives the shipped bundle and
// asserts what the simulated Classroom, Meet, the log and the outbox hold.
//
// Tests marked `it.failing` pin a defect found by this probe: they pass while the product falls
// short of the policy and start failing (so someone looks) once it is fixed. Each says which
// assertion fails today and what the Workspace held instead.

import { DeployedSchool, MIN, monday } from './deployed-school';
import {
  callsOf,
  hms,
  linkLiveAt,
  mailAbout,
  postLives,
  scheduleWithTypedSecondAdult,
} from './in-call-kit';
import {
  admit,
  flagCodes,
  lessonWithClass,
  roomLink,
  scheduleFor,
  teacherJoinsAndShares,
} from './scenario-kit';
import { nameStaffClass } from './staff-class-kit';

const SEC = 1000;
/** The monitor looks once a minute: a step due at T happens at the first look after T. */
const LOOK = MIN;
/** What one monitor run takes on the simulated clock (its Google calls' latency). */
const RUN = 10 * SEC;

/** The standard lesson scheduled; at 09:55 its teacher joins and the link is shared. */
function teacherSharesAt955(school: DeployedSchool) {
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  const people = {
    teacher: s.course.teacher.email,
    ta: s.course.assistant.email,
    pupils: s.course.pupils.map((p) => p.email),
  };
  return { s, link, ...people };
}

describe('staff drop out one after the other (R11, R21)', () => {
  it('counts the pupils alone from when the second adult left, ends the call, and logs both adults truthfully though the teacher left first and came back too late', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { dsl } = school.school;
    const { s, teacher, ta, pupils, link } = teacherSharesAt955(school);
    admit(school, s, link, [ta, ...pupils]);

    // 10:05 the teacher's connection drops; the TA stays with the class.
    school.advanceTo(monday(10, 5));
    ws.meet.leave(teacher, link);
    school.advanceTo(monday(10, 9));
    expect(linkLiveAt(school, s.course.id, ws.now())).toBe(true);
    expect(mailAbout(school, dsl.email, /Pupils alone/)).toHaveLength(0);

    // 10:10:05 the TA leaves too: the pupils are alone from now, not from 10:05.
    school.advanceTo(monday(10, 10) + 5 * SEC);
    const aloneFrom = ws.now();
    ws.meet.leave(ta, link);
    school.advanceTo(monday(10, 16));

    const [post] = postLives(school, s.course.id);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted! - aloneFrom).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - aloneFrom).toBeLessThanOrEqual(60 * SEC + LOOK);
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end! - aloneFrom).toBeLessThanOrEqual(3 * MIN + LOOK);
    const told = mailAbout(school, dsl.email, /^Pupils alone in Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('since 10:10');

    // 10:16 the teacher is back, too late: the room is locked, for staff too.
    expect(ws.meet.join(teacher, link)).toBe('refused');
    school.advanceTo(monday(10, 45));

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['staff-absent', 'ended-for-safety']));
    expect(flagCodes(row)).not.toContain('no-second-staff');
    expect(String(row.Flags)).toContain(`${hms(aloneFrom)}–${hms(call!.end)}`);
    expect(String(row.Flags)).not.toContain('10:05:00–');
    // Who was there, and until when: the TA is the second adult present; the teacher left at 10:05.
    expect(row['Other Staff Member Present']).toBe('Teaching Assistant 1');
    const people = school.attendance(s.lessonId);
    const host = people.find((a) => a.Role === 'host')!;
    const second = people.find((a) => a.Role === 'staff')!;
    expect([host.Joined, host.Left]).toEqual(['09:55', '10:05']);
    expect([second.Name, second.Left]).toEqual(['Teaching Assistant 1', '10:10']);
    expect(people.filter((a) => a.Role === 'pupil')).toHaveLength(pupils.length);
  });

  // Was a DEFECT. The room is RESTRICTED by default ("Only invitees can join without knocking")
  // and the product made nobody but the teacher a member of the space, so a second adult whose
  // connection dropped had to knock, and only the host could admit. With the teacher gone too,
  // the TA back at 10:12:05 was left knocking while the pupils were alone, and the call was
  // ended at 10:13:30 for "no member of staff", the TA still at the door. Now the named second
  // adult is made a member of the space (no host powers) when the room opens: "These users can join the
  // meeting space without requesting permission to connect"
  // (https://developers.google.com/workspace/meet/api/guides/meeting-space-members).
  it('lets the second adult back in to the pupils when the teacher is gone too, and keeps the call going with the link down', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { s, teacher, ta, pupils, link } = teacherSharesAt955(school);
    admit(school, s, link, [ta, ...pupils]);
    // The second adult is a member of the room (no host powers); no pupil is.
    expect(ws.meet.membersOf(link)).toEqual([{ email: ta, role: 'ROLE_UNSPECIFIED' }]);

    // 10:10:05 both adults drop; 10:12:05 the TA is back (the teacher is not).
    school.advanceTo(monday(10, 10) + 5 * SEC);
    const aloneFrom = ws.now();
    ws.meet.leave(teacher, link);
    ws.meet.leave(ta, link);
    school.advanceTo(monday(10, 12) + 5 * SEC);
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted).not.toBeNull();
    expect(ws.meet.join(ta, link)).toBe('joined');
    school.advanceTo(monday(10, 20));

    // A member of staff is with the pupils: the call is not ended; the link stays down (R6).
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(postLives(school, s.course.id)).toHaveLength(1);
    for (const pupil of pupils)
      expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(0);
    expect(mailAbout(school, school.school.dsl.email, /^Call ended: Phonics/)).toHaveLength(0);
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('staff-absent');
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(String(row.Flags)).toContain(`from ${hms(aloneFrom)} until a member of staff was back`);
  });

  // Was a known limit: the class's co-teachers (Classroom's teachers of the course, not named as
  // the second adult) were not members of the room, so one coming to cover for a teacher whose
  // connection dropped knocked, with nobody in the call able to admit them. Now every co-teacher
  // the lesson knows the address of is made a member when the room opens, as the second adult is.
  it('lets a co-teacher of the class straight in to cover when the teacher has dropped out, and keeps the call going', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const cover = ws.kernel.directory.add({
      email: `head.of.year@${school.school.domain}`,
      name: 'Head of Year',
      kind: 'staff',
    });
    // A teacher from outside the school, whom Classroom let in as a co-teacher, is not made one.
    const visitor = ws.kernel.directory.add({
      email: 'visiting.tutor@agency.example',
      name: 'Visiting Tutor',
      kind: 'external',
    });
    const course = school.school.courses[0]!;
    ws.classroom.addTeacher(course.id, cover.email);
    ws.classroom.addTeacher(course.id, visitor.email);
    const { s, teacher, ta, pupils, link } = teacherSharesAt955(school);
    // The second adult and the school's co-teacher are members (no host powers); nobody else is.
    expect(ws.meet.membersOf(link)).toEqual(
      expect.arrayContaining([
        { email: ta, role: 'ROLE_UNSPECIFIED' },
        { email: cover.email, role: 'ROLE_UNSPECIFIED' },
      ]),
    );
    expect(ws.meet.membersOf(link)).toHaveLength(2);
    admit(school, s, link, pupils);

    // 10:10:05 the teacher's connection drops (the TA never came); 10:11:05 the co-teacher comes.
    school.advanceTo(monday(10, 10) + 5 * SEC);
    const aloneFrom = ws.now();
    ws.meet.leave(teacher, link);
    school.advanceTo(monday(10, 11) + 5 * SEC);
    expect(ws.meet.join(cover.email, link)).toBe('joined');
    school.advanceTo(monday(10, 20));

    // A member of staff is with the pupils: the call goes on.
    expect(callsOf(school, link)[0]!.end).toBeNull();
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(flagCodes(row)).not.toContain('uninvited-participant');
    expect(String(row.Flags)).toContain(`from ${hms(aloneFrom)} until a member of staff was back`);
    expect(school.attendance(s.lessonId).find((a) => a.Name === 'Head of Year')!.Role).toBe(
      'staff',
    );
  });

  it('does not log as the second adult someone who was in the call only before any pupil came', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const ta = s.course.assistant.email;
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    // 9:56 the TA looks in, and leaves at 9:57 before any pupil has joined.
    admit(school, s, link, [ta]);
    school.advanceTo(monday(9, 57));
    ws.meet.leave(ta, link);
    school.advanceTo(monday(9, 58));
    admit(
      school,
      s,
      link,
      s.course.pupils.map((p) => p.email),
    );
    school.advanceTo(monday(10, 45));

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(row['Other Staff Member Present']).toBe('none');
    expect(flagCodes(row)).toContain('no-second-staff');
    // The TA's minute in the call is still in the attendance, with its times.
    const second = school.attendance(s.lessonId).find((a) => a.Role === 'staff')!;
    expect([second.Name, second.Left]).toEqual(['Teaching Assistant 1', '09:57']);
  });
});

describe('a pupil is never the second adult (R11, R21)', () => {
  // The second case was a gap: a pupil of another of the teacher's own classes typed as the
  // second adult was taken for staff. Classroom's courses.list with studentId, as the teacher,
  // finds them in one call (it shows a teacher only their own classes).
  it.each([
    ['of the class', 'this class'],
    ['of another of the teacher’s classes', 'your class Year 3 Class A (set 2)'],
  ])('refuses a pupil %s typed as the second member of staff, and makes nothing', (_, where) => {
    const school = new DeployedSchool();
    const { ws } = school;
    const course = school.school.courses[0]!;
    let pupil = course.pupils[0]!.email;
    if (where !== 'this class') {
      const other = ws.classroom.addCourse({
        name: 'Year 3 Class A (set 2)',
        ownerEmail: course.teacher.email,
      });
      pupil = ws.kernel.directory.add({
        email: `set2.pupil@${school.school.domain}`,
        name: 'Sam Set',
        kind: 'pupil',
      }).email;
      ws.classroom.addStudent(other, pupil);
    }
    const teacher = school.sidebar(course.teacher.email);
    const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
    const response = teacher.click(form, 'Schedule', {
      title: 'Phonics',
      start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
      minutes: '30',
      courseId: course.id,
      otherStaff: pupil,
    });
    const said = JSON.stringify(response);
    expect(said).toContain(`${pupil} is a pupil in ${where}, not a member of staff`);
    expect(school.lessons()).toEqual([]);
    expect(ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.sessions().slice(1)).toEqual([]);
  });

  it('still schedules with a typed colleague who teaches another class, and SLT, as the second adult', () => {
    const school = new DeployedSchool();
    const teacher = school.school.courses[0]!.teacher.email;
    const colleague = school.school.courses[1]!.teacher.email;
    const slt = school.school.slt.email;
    for (const [i, adult] of [colleague, slt].entries()) {
      const s = scheduleWithTypedSecondAdult(school, adult, { start: monday(10 + i) });
      expect(school.lesson(s.lessonId).status).toBe('scheduled');
    }
    // Each is a guest of their lesson's Calendar event, as the second adult.
    const guests = school.ws.calendar
      .events(teacher)
      .map((e) => (e.attendees ?? []).map((a) => a.email).filter((g) => g !== teacher));
    expect(guests).toEqual([[colleague], [slt]]);
  });

  /**
   * The teacher of class A types, by mistake, the address of a pupil of class B as the second
   * adult (scheduling cannot tell: the pupil is not in class A). At 9:00 the office moves that
   * pupil into class A. The pupil joins the lesson with the class; the teacher then leaves.
   */
  function pupilNamedAsSecondAdult(moveIntoClass: boolean, thenStaffClass = false) {
    const school = new DeployedSchool();
    const { ws } = school;
    const other = school.school.courses[1]!.pupils[0]!;
    const s = scheduleWithTypedSecondAdult(school, other.email);
    const pupils = s.course.pupils.map((p) => p.email);
    // SLT name the school's staff class after the lesson was scheduled (so nothing refused it).
    if (thenStaffClass) nameStaffClass(school);
    school.advanceTo(monday(9, 0));
    if (moveIntoClass) {
      ws.classroom.removeStudent(school.school.courses[1]!.id, other.email);
      ws.classroom.addStudent(s.course.id, other.email);
    }
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [...pupils, other.email]);
    school.advanceTo(monday(10, 10) + 5 * SEC);
    const leftAt = ws.now();
    ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 45));
    return { school, s, link, leftAt, other };
  }

  it('treats a named second adult who is on the class roster on the day as a pupil: the class left with them is alone, the link comes down and the call ends', () => {
    const { school, s, link, leftAt, other } = pupilNamedAsSecondAdult(true);
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(60 * SEC + LOOK);
    const [call] = callsOf(school, link);
    expect(call!.end! - leftAt).toBeLessThanOrEqual(3 * MIN + LOOK);
    expect(mailAbout(school, school.school.dsl.email, /^Pupils alone in Phonics/)).toHaveLength(1);
    const row = school.sessionRow(s.lessonId)!;
    expect(row['Other Staff Member Present']).not.toBe(other.name);
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['staff-absent', 'ended-for-safety']));
    expect(school.attendance(s.lessonId).find((a) => a.Name === other.name)?.Role).toBe('pupil');
  });

  // DEFECT under the default settings (fixed where the school names a staff class: below). Nothing
  // Google documents lets the product, with the rights it has, tell a pupil of a class another
  // teacher teaches from a teaching assistant (src/app/staff-class.ts weighs each way: Classroom
  // shows the teacher only their own classes and the delegation cannot list classes as the typed
  // person; verifiedTeacher is not set for most assistants; the directory view readable without
  // admin rights holds no org unit or role; a Google Group needs a new scope), and pupils' accounts
  // are on the staff domain here. So the pupil typed as the second adult is taken as staff in the
  // call. Today the first assertion fails: the link stayed on Classroom until the scheduled
  // withdrawal at 10:24 (864 s after the teacher left, not within two minutes), as the pupil
  // counted as the member of staff still in the call.
  it.failing('does not take a pupil of another class typed as the second adult for staff when the teacher leaves the class with them', () => {
    const { school, s, leftAt } = pupilNamedAsSecondAdult(false);
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(60 * SEC + LOOK);
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('staff-absent');
  });

  // Fixed where the school names a staff class (R11, R21): the in-call rule asks it about a typed
  // second adult before counting them as staff, whenever the lesson was scheduled.
  it('with a staff class named, does not take a pupil of another class typed as the second adult for staff when the teacher leaves the class with them, though the lesson was scheduled before the staff class was named', () => {
    const { school, s, leftAt, other } = pupilNamedAsSecondAdult(false, true);
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(60 * SEC + LOOK);
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('staff-absent');
    expect(row['Other Staff Member Present']).not.toBe(other.name);
    expect(school.attendance(s.lessonId).find((a) => a.Name === other.name)?.Role).not.toBe(
      'staff',
    );
  });
});

describe('a school that names its staff class in Classroom (R5, R11, R21, staffClass)', () => {
  /** The teacher of class A opens the form; `submit` types `typed` as the second adult (the answer as text). */
  function typeSecondAdult(school: DeployedSchool, typed: string) {
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const form = teacher.next(teacher.click(teacher.home(), 'Schedule a lesson'));
    const submit = () =>
      JSON.stringify(
        teacher.click(form, 'Schedule', {
          title: 'Phonics',
          start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
          minutes: '30',
          courseId: course.id,
          otherStaff: typed,
        }),
      );
    return { course, submit };
  }

  it('refuses a pupil of a class another teacher teaches typed as the second adult, in plain words, and makes nothing', () => {
    const school = new DeployedSchool();
    nameStaffClass(school);
    const pupil = school.school.courses[1]!.pupils[0]!.email;
    const { course, submit } = typeSecondAdult(school, pupil);
    expect(submit()).toContain(
      `${pupil} is not in the school’s staff class in Google Classroom, so cannot be the second adult: name a colleague who is, or ask SLT to add them.`,
    );
    expect(school.lessons()).toEqual([]);
    expect(school.ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.sessions().slice(1)).toEqual([]);
  });

  it('still schedules with a teaching assistant of another class the staff class lists, and counts them as staff when the teacher steps out', () => {
    const school = new DeployedSchool();
    nameStaffClass(school);
    const ta = school.school.courses[1]!.assistant;
    const s = scheduleWithTypedSecondAdult(school, ta.email);
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [ta.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 10));
    school.ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 20));
    // The TA is still with the class: the link stays up until the scheduled withdrawal.
    expect(postLives(school, s.course.id)[0]!.deleted).toBeNull();
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).not.toContain('staff-absent');
    expect(row['Other Staff Member Present']).toBe(ta.name);
  });

  it('still schedules with the class’s own co-teacher, the staff class or not, and with SLT', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const course = school.school.courses[0]!;
    nameStaffClass(school);
    // A cover teacher the class's teacher added, whom SLT have not put in the staff class yet.
    const cover = ws.kernel.directory.add({
      email: `cover.teacher@${school.school.domain}`,
      name: 'Cover Teacher',
      kind: 'staff',
    }).email;
    ws.classroom.addTeacher(course.id, cover);
    for (const [i, adult] of [cover, school.school.slt.email].entries()) {
      const s = scheduleWithTypedSecondAdult(school, adult, { start: monday(10 + i) });
      expect(school.lesson(s.lessonId).status).toBe('scheduled');
    }
  });

  it('says clearly that nothing was scheduled, and makes nothing, when Classroom fails while the staff class is read', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    nameStaffClass(school);
    const ta = school.school.courses[1]!.assistant.email;
    const { course, submit } = typeSecondAdult(school, ta);
    ws.kernel.faults.inject({ match: 'classroom.courses.teachers.list', kind: 503 });
    const said = submit();
    ws.kernel.faults.clear();
    expect(ws.kernel.calls.count('classroom.courses.teachers.list')).toBeGreaterThan(0);
    expect(said).toMatch(/Nothing was lost: please try again/);
    expect(school.lessons()).toEqual([]);
    expect(ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.sessions().slice(1)).toEqual([]);
    // Once Classroom answers, the same lesson is scheduled.
    expect(submit()).toContain('Lesson scheduled.');
  });
});

describe('outsiders at the edges of the lesson (R22)', () => {
  it('never posts the link when the teacher’s first act is to admit a guest who knocked before they came, and ends the call', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { dsl, slt } = school.school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 51));
    const link = roomLink(school, s);
    // 9:51 a guest with the code knocks; nobody is there to admit them.
    const guest = { anonymous: 'Parent of Ben' };
    expect(ws.meet.join(guest, link)).toBe('knocking');
    school.advanceTo(monday(9, 53) + 5 * SEC);
    // 9:53 the teacher joins and admits them at once, before any look of the automation.
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    ws.meet.admit(s.course.teacher.email, link, guest);
    const admittedAt = ws.now();
    school.advanceTo(monday(10, 0));

    expect(postLives(school, s.course.id)).toEqual([]);
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK);
    for (const lead of [dsl.email, slt.email])
      expect(mailAbout(school, lead, /^Serious: an outside participant joined/)).toHaveLength(1);
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['external-participant', 'ended-for-safety']),
    );
    expect(row['Link Shared']).toBe('');
  });

  it('ends the call and tells the DSL when an outsider is admitted in the last minute, after the link came down', () => {
    const { school, s, link, ws } = lessonWithClass();
    const { dsl, outsider } = school.school;
    school.advanceTo(monday(10, 29) + 30 * SEC);
    expect(postLives(school, s.course.id)[0]!.deleted).not.toBeNull();
    const admittedAt = ws.now();
    admit(school, s, link, [outsider.email]);
    school.advanceTo(monday(10, 45));

    const [call] = callsOf(school, link);
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK + RUN);
    const told = mailAbout(school, dsl.email, /^Serious: an outside participant joined/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('A Stranger');
    const row = school.sessionRow(s.lessonId)!;
    expect(row.External).toBe(1);
    expect(flagCodes(row)).toContain('external-participant');
    expect(school.attendance(s.lessonId).find((a) => a.Role === 'external')?.Name).toBe(
      'A Stranger',
    );
  });

  /**
   * 10:31:40, inside the default two grace minutes: the call is ended at 10:32 on time, by the
   * scheduled end, which comes before any look at the call in the monitor's run. Before the fix
   * the teacher got no email at all and the DSL only the close's count ("1 participant(s) from
   * outside the school joined"), no name: the close now tells of an outsider no look saw.
   */
  function outsiderInGraceMinutes() {
    const lesson = lessonWithClass();
    lesson.school.advanceTo(monday(10, 31) + 40 * SEC);
    admit(lesson.school, lesson.s, lesson.link, [lesson.school.school.outsider.email]);
    lesson.school.advanceTo(monday(10, 50));
    return lesson;
  }

  it('ends the call on time and tells the teacher, the DSL and SLT by name of an outsider admitted in the grace minutes, whom no look saw', () => {
    const { school, s, link } = outsiderInGraceMinutes();
    const [call] = callsOf(school, link);
    expect(call!.end!).toBeLessThanOrEqual(monday(10, 32) + LOOK);
    for (const lead of [school.school.dsl.email, school.school.slt.email]) {
      const told = mailAbout(school, lead, /^Serious: an outside participant joined/);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('"A Stranger" (an account outside the school');
      expect(told[0]!.at - call!.end!).toBeLessThanOrEqual(LOOK);
    }
    const teacher = mailAbout(school, s.course.teacher.email, /^Lesson ended: an outsider joined/);
    expect(teacher).toHaveLength(1);
    expect(teacher[0]!.body).toContain('A Stranger');
    expect(teacher[0]!.body).toContain('Report an incident');
    const row = school.sessionRow(s.lessonId)!;
    expect(row.External).toBe(1);
    expect(row.Serious).toBe('yes');
    expect(school.attendance(s.lessonId).find((a) => a.Role === 'external')?.Name).toBe(
      'A Stranger',
    );
    // R20: the name goes by email and into the log's sheets, never into the operators' log.
    expect(school.ws.kernel.logs.map((l) => l.message).join('\n')).not.toContain('A Stranger');
  });

  it('tells of an outsider seen by a look once only, not again at the close', () => {
    const { school, s, link, ws } = lessonWithClass({ outsiderAction: 'alert' });
    school.advanceTo(monday(10, 10) + 5 * SEC);
    admit(school, s, link, [school.school.outsider.email]);
    school.advanceTo(monday(10, 45));
    expect(callsOf(school, link)[0]!.end).not.toBeNull();
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(
      mailAbout(school, school.school.dsl.email, /^Serious: an outside participant joined/),
    ).toHaveLength(1);
    expect(
      mailAbout(school, s.course.teacher.email, /^Lesson ended: an outsider joined/),
    ).toHaveLength(0);
  });

  it('ends the call and tells the DSL when an outsider is admitted while the teacher overruns the scheduled end', () => {
    const { school, s, link, ws } = lessonWithClass({ endGraceMinutes: '10' });
    const { dsl, outsider } = school.school;
    school.advanceTo(monday(10, 31));
    expect(callsOf(school, link)[0]!.end).toBeNull();
    const admittedAt = ws.now();
    admit(school, s, link, [outsider.email]);
    school.advanceTo(monday(10, 55));

    const [call] = callsOf(school, link);
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK);
    expect(mailAbout(school, dsl.email, /^Serious: an outside participant joined/)).toHaveLength(1);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.External).toBe(1);
    expect(flagCodes(row)).toContain('external-participant');
  });
});

describe('the class as it is on the day (R14)', () => {
  it('flags a pupil taken off the class after scheduling who joins, and does not count them present', () => {
    const school = new DeployedSchool({ settings: { outsiderAction: 'alert' } });
    const { ws } = school;
    const s = scheduleFor(school);
    const [gone, ...stay] = s.course.pupils;
    // 9:00 the office moves the pupil to another class.
    school.advanceTo(monday(9, 0));
    ws.classroom.removeStudent(s.course.id, gone!.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...stay.map((p) => p.email), gone!.email]);
    school.advance(2 * MIN);

    const told = mailAbout(school, s.course.teacher.email, /^Action needed in Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(gone!.name);
    expect(told[0]!.body).toContain('not on your class roster');
    school.advanceTo(monday(10, 45));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Uninvited).toBe(1);
    expect(row['Pupils Present']).toBe(stay.length);
    expect(flagCodes(row)).toContain('uninvited-participant');
  });
});

describe('the same person on two devices (R14, R21)', () => {
  it('keeps the teacher in the call while one of their two devices is, counts a pupil on two devices once, and acts when the teacher’s last device leaves', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { dsl } = school.school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    const pupils = s.course.pupils.map((p) => p.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    // The second adult named never comes; the teacher is on a laptop and a phone.
    ws.meet.joinFromAnotherDevice(teacher, link);
    admit(school, s, link, pupils);
    ws.meet.joinFromAnotherDevice(pupils[0]!, link);

    // 10:08 the laptop drops; the phone stays in the call.
    school.advanceTo(monday(10, 8));
    ws.meet.leave(teacher, link);
    ws.meet.leave(pupils[0]!, link);
    school.advanceTo(monday(10, 15) + 5 * SEC);
    expect(linkLiveAt(school, s.course.id, ws.now())).toBe(true);
    expect(mailAbout(school, dsl.email, /Pupils alone/)).toHaveLength(0);

    // 10:15:05 the phone leaves too: now the pupils are alone.
    const aloneFrom = ws.now();
    ws.meet.leave(teacher, link);
    school.advanceTo(monday(10, 45));
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - aloneFrom).toBeLessThanOrEqual(60 * SEC + LOOK);
    expect(callsOf(school, link)[0]!.end! - aloneFrom).toBeLessThanOrEqual(3 * MIN + LOOK);
    const told = mailAbout(school, dsl.email, /^Pupils alone in Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('since 10:15');

    const row = school.sessionRow(s.lessonId)!;
    expect(row['Pupils Present']).toBe(pupils.length);
    const people = school.attendance(s.lessonId);
    expect(people.filter((a) => a.Name === s.course.pupils[0]!.name)).toHaveLength(1);
    const host = people.find((a) => a.Role === 'host')!;
    expect(host.Left).toBe('10:15');
  });
});
