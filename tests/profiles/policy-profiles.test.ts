// R25, each school's policy fits: one school per policy profile (tests/profiles/), deployed on
// the simulated Workspace through the shipped bundle, schedules and runs a lesson, and the
// rule that makes that school different is checked in what Meet, Classroom, Drive, the log
// and the outbox now hold.

import { PARENT_PRESENT_LABEL } from '../../src/core/share-policy';
import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { DeployedSchool, MIN, monday } from '../e2e/deployed-school';
import {
  admit,
  everyPost,
  flagCodes,
  roomLink,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
} from '../e2e/scenario-kit';
import { texts } from '../sim/card-driver';
import { PROFILES } from './profiles';

/** A school whose SLT typed in the policy's profile; the sheet must say the settings applied. */
function schoolUnder(policy: keyof typeof PROFILES): DeployedSchool {
  const school = new DeployedSchool({ settings: PROFILES[policy] });
  const sheet = school.ws.sheets.table(school.logId, 'Settings');
  expect(String(sheet[0]![2])).toBe('Status: settings applied');
  return school;
}

/** What Meet holds for the lesson's room. */
function roomConfig(school: DeployedSchool, link: string) {
  return school.ws.meet.spaceInfo(link).config as {
    artifactConfig: { recordingConfig: { autoRecordingGeneration: string } };
  };
}

/** Recording files Meet made in the teacher's My Drive ("Meet Recordings"). */
function recordingsOf(school: DeployedSchool, teacher: string) {
  const folder = school.ws.drive.ensureMyDriveFolder(teacher, 'Meet Recordings');
  return school.ws.drive.filesIn(folder);
}

function sheet(school: DeployedSchool, name: string): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, name);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

/** The class's pupils knock and the teacher lets them in; the second adult too, when named. */
function classJoins(school: DeployedSchool, s: Scheduled, link: string, withAssistant = true) {
  const people = s.course.pupils.map((p) => p.email);
  admit(school, s, link, withAssistant ? [s.course.assistant.email, ...people] : people);
}

describe('policy 000 (Kenilworth): lessons within hours and 30 minutes, always recorded', () => {
  it('refuses a 45-minute lesson, and records a lesson its teacher runs alone, under policy 000', () => {
    const school = schoolUnder('000');
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);

    // A 45-minute event in the teacher's Calendar, offered as a live lesson (the form itself
    // offers no length over the limit), is refused and nothing is made.
    const event = school.ws.calendar.addEvent(course.teacher.email, {
      summary: 'Phonics',
      start: { dateTime: new Date(monday(10)).toISOString() },
      end: { dateTime: new Date(monday(10, 45)).toISOString() },
    });
    const offer = school.run(
      'onCalendarEventOpen',
      { calendar: { id: event.id, calendarId: 'primary' } },
      course.teacher.email,
    );
    const form = teacher.next(teacher.click(offer, 'Make it a live lesson'));
    const refused = teacher.click(form, 'Schedule', { secondStaff: course.assistant.email });
    expect(teacher.note(refused)).toBe(
      "A lesson can last at most 30 minutes (the school's limit); this one is 45. Make it shorter.",
    );
    expect(school.lessons()).toEqual([]);
    expect(school.ws.calendar.events(course.teacher.email)).toHaveLength(1);

    // Alone: allowed, flagged, and recorded ("where only one staff member is present").
    const s = scheduleFor(school, { secondStaff: null });
    const head = school.sidebar(school.school.head.email);
    expect(head.note(head.click(head.next(head.click(head.home(), 'Review')), 'Approve'))).toBe(
      'Lesson approved.',
    );
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    expect(roomConfig(school, link).artifactConfig.recordingConfig.autoRecordingGeneration).toBe(
      'ON',
    );
    classJoins(school, s, link, false);
    school.advanceTo(monday(11, 10));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('no-second-staff');
    expect(recordingsOf(school, course.teacher.email)).toEqual([]); // moved out of My Drive...
    const [recording] = sheet(school, 'Recordings');
    expect(recording).toMatchObject({ 'Lesson ID': s.lessonId }); // ...into the safeguarding drive
  });
});

describe('policy 001 (Werrington): group lessons not recorded; a 1:1 needs a parent in the room', () => {
  it('does not record a group lesson under policy 001', () => {
    const school = schoolUnder('001');
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    expect(everyPost(school, s.course.id)).toHaveLength(1);
    expect(roomConfig(school, link).artifactConfig.recordingConfig.autoRecordingGeneration).toBe(
      'OFF',
    );
    classJoins(school, s, link);
    expect(school.ws.meet.participantsNow(link)).toHaveLength(s.course.pupils.length + 2);

    // Long after the call and Meet's file delay: nothing was recorded, nothing to collect.
    school.advanceTo(monday(11, 30));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(recordingsOf(school, s.course.teacher.email)).toEqual([]);
    expect(sheet(school, 'Recordings')).toEqual([]);
  });

  it('will not share a 1:1 link until the teacher confirms a parent is present', () => {
    const school = schoolUnder('001');
    const { ws } = school;
    const course = school.school.courses[0]!;
    const [reader, ...others] = course.pupils;
    for (const p of others) ws.classroom.removeStudent(course.id, p.email);
    const s = scheduleFor(school, { title: 'Reading', secondStaff: null });

    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    // The teacher's card says what comes first, before they even join.
    expect(texts(s.teacher.lessonCard(s.lessonId))).toContain(
      'Room open: a 1:1, so confirm a parent/carer is present, then share',
    );
    expect(ws.meet.join(course.teacher.email, link)).toBe('joined');

    // The teacher is in the call, but the automation holds the link back.
    school.advance(3 * MIN);
    expect(everyPost(school, course.id)).toEqual([]);
    const card = s.teacher.lessonCard(s.lessonId);
    expect(texts(card)).toContain(PARENT_PRESENT_LABEL);
    expect(texts(card)).not.toContain('Share with class');
    // A stale card's "Share with class" is refused with the reason.
    const share = school.run(
      'lessonAction',
      { commonEventObject: { parameters: { lessonId: s.lessonId, action: 'share' } } },
      course.teacher.email,
    );
    expect(s.teacher.note(share)).toMatch(
      /1:1 lesson: the link goes to Classroom only once you confirm that a parent\/carer is present in the room/,
    );
    expect(everyPost(school, course.id)).toEqual([]);

    // Confirmed: the automation shares within a minute, and the log keeps the confirmation.
    expect(s.teacher.act(s.lessonId, PARENT_PRESENT_LABEL)).toMatch(
      /recorded that a parent\/carer is present in the room/,
    );
    school.advance(MIN);
    expect(everyPost(school, course.id)).toHaveLength(1);
    admit(school, s, link, [reader!.email]);
    // A 1:1 is recorded, even under "never for groups".
    expect(roomConfig(school, link).artifactConfig.recordingConfig.autoRecordingGeneration).toBe(
      'ON',
    );

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['parent-present', 'one-to-one']));
    expect(String(row.Flags)).toMatch(
      /parent-present: 1:1: the teacher confirmed at 09:5\d that a parent\/carer is present in the room/,
    );
    expect(String(row.Flags)).toMatch(/allowed by the school/);
  });
});

describe('policy 002 (Ash Lea): school hours, once a week, two staff, as rules', () => {
  it("refuses a lesson at 17:00 under policy 002's lesson hours", () => {
    const school = schoolUnder('002');
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const late = teacher.schedule({
      title: 'Story time',
      start: monday(17),
      secondStaff: course.assistant.email,
    });
    expect(late).toEqual({
      lessonId: null,
      message:
        "Lessons run between 09:00 and 15:00 (the school's lesson hours): 17:00–17:30 is outside them. Choose another time.",
    });
    expect(school.ws.calendar.events(course.teacher.email)).toEqual([]);

    // The same lesson at 10:00 is made, and runs.
    const s = scheduleFor(school, { title: 'Story time' });
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    classJoins(school, s, link);
    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(row['Pupils Present']).toBe(s.course.pupils.length);
    for (const rule of ['outside-lesson-hours', 'too-long', 'class-meets-too-often'])
      expect(flagCodes(row)).not.toContain(rule);
  });

  it('refuses a second lesson for the same class in one week under policy 002', () => {
    const school = schoolUnder('002');
    const s = scheduleFor(school, { start: monday(10) });
    const wednesday = monday(10) + 2 * DAY_MS;
    const again = s.teacher.schedule({
      title: 'Phonics again',
      start: wednesday,
      secondStaff: s.course.assistant.email,
      courseId: s.course.id,
    });
    expect(again).toEqual({
      lessonId: null,
      message:
        'This class already has 1 live lesson(s) that week; the school allows 1 a week. Choose another week.',
    });
    // Another class that week is fine.
    expect(scheduleFor(school, { course: 1, start: wednesday }).lessonId).toMatch(/^L-/);
  });
});

describe('policy 003 (All Saints): another member of the school team in every lesson', () => {
  it('refuses a lesson with no second member of staff under policy 003, and runs one with them', () => {
    const school = schoolUnder('003');
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const alone = teacher.schedule({
      title: 'Catch-up maths',
      start: monday(10),
      secondStaff: null,
    });
    expect(alone).toEqual({
      lessonId: null,
      message:
        "Name a second member of staff: the school's policy needs another adult in every live lesson.",
    });

    const s = scheduleFor(school, { title: 'Catch-up maths' });
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    classJoins(school, s, link);
    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(row['Other Staff Member Present']).toBe(course.assistant.name);
    expect(flagCodes(row)).not.toContain('no-second-staff');
  });
});

describe('policy 004 (Kenilworth online safety): images only for approved staff, then deleted', () => {
  it('keeps the recording only where SLT and the DSL can open it, and deletes it for good 30 days on, under policy 004', () => {
    const school = schoolUnder('004');
    const { ws } = school;
    const s = scheduleFor(school);
    const head = school.sidebar(school.school.head.email);
    head.click(head.next(head.click(head.home(), 'Review')), 'Approve');
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    classJoins(school, s, link);
    school.advanceTo(monday(11, 10));

    const [row] = sheet(school, 'Recordings');
    expect(row).toMatchObject({ 'Lesson ID': s.lessonId, 'Purged At': '' });
    const fileId = String(row!['File ID']);
    expect(ws.drive.canRead(school.school.dsl.email, fileId)).toBe(true);
    expect(ws.drive.canRead(school.school.slt.email, fileId)).toBe(true);
    expect(ws.drive.canRead(s.course.teacher.email, fileId)).toBe(false);
    expect(ws.drive.canRead(s.course.pupils[0]!.email, fileId)).toBe(false);

    // Day 31 (no triggers in between, then the hourly purge): gone for good, not in a trash.
    ws.kernel.clock.advanceTo(monday(11) + 31 * DAY_MS);
    school.advance(2 * HOUR_MS);
    expect(ws.drive.file(fileId)).toBeUndefined();
    const [deleted] = sheet(school, 'Audit').filter((r) => r.Action === 'deleted');
    expect(deleted).toMatchObject({ 'Lesson ID': s.lessonId, 'File ID': fileId });
    expect(String(deleted!.Why)).toMatch(/Past retention \(30 days\)/);
  });
});
