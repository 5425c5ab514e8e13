// R1, R10, R14, R18 end to end, through the built bundle: a lesson's Calendar event deleted or
// moved at each point of its life, and changes that must not count (a forged tag, a copied
// event id, the second adult's own copy). Each test asserts what the simulated Calendar,
// Classroom, Meet, the log spreadsheet, the mail outbox and the operations log hold at the end.

import { decodeLesson } from '../../src/adapters/lesson-codec';
import { DAY_MS, HOUR_MS } from '../../src/core/time';
import { schoolConfig } from '../bench/purge-bench';
import { DeployedSchool, MIN, monday } from './deployed-school';
import {
  admit,
  everyPost,
  flagCodes,
  roomLink,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
} from './scenario-kit';

const at = (ms: number) => new Date(ms);

function eventOf(school: DeployedSchool, s: Scheduled) {
  const event = school.ws.calendar
    .events(s.course.teacher.email)
    .find((e) => e.id === lessonRecord(school, s).calendarEventId);
  if (!event) throw new Error(`no event for ${s.lessonId}`);
  return event;
}

function lessonRecord(school: DeployedSchool, s: Scheduled) {
  return school.lesson(s.lessonId) as ReturnType<DeployedSchool['lesson']> & {
    start: number;
    end: number;
    calendarEventId: string;
    cancelledAt?: number;
    attemptedMove?: { start: number; end: number };
  };
}

function table(school: DeployedSchool, sheet: 'Recordings' | 'Audit'): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

function opsLog(school: DeployedSchool): string {
  return school.ws.kernel.logs.map((l) => l.message).join('\n');
}

function subjects(school: DeployedSchool, to: string): string[] {
  return school.mailTo(to).map((m) => m.subject);
}

function noFailures(school: DeployedSchool) {
  expect(
    school.ws.kernel.failures.map((f) => `${f.execution.functionName}: ${String(f.error)}`),
  ).toEqual([]);
}

describe('a lesson whose event is deleted (R1, R10, R14, R18)', () => {
  it('keeps trying to lock the room of a lesson deleted before it began when Meet refuses the lock at first, so nobody can enter it', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 52));
    const link = s.teacher.meetLink(s.lessonId)!;
    // The room is open; the teacher deletes the event before anyone joins. Meet refuses the
    // lock for the run's three tries and the next minute's first.
    ws.kernel.faults.inject({ match: 'meet.spaces.patch', kind: 500, times: 4 });
    ws.calendar.cancelEvent(s.course.teacher.email, eventOf(school, s).id!);
    school.advance(3 * MIN);
    expect(ws.kernel.faults.injected.filter((f) => f.key === 'meet.spaces.patch')).toHaveLength(4);
    expect(ws.meet.join(s.course.pupils[0]!.email, link)).toBe('refused');
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('refused');
  });

  it('closes a lesson whose event the teacher deleted mid-call, with attendance and a complete Sessions row', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    const pupil = s.course.pupils[0]!;
    school.advanceTo(monday(9, 51));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [
      s.course.assistant.email,
      ...s.course.pupils.slice(0, 3).map((p) => p.email),
    ]);
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(1);

    // 10:10: the teacher deletes the event in Google Calendar while the lesson is live.
    school.advanceTo(monday(10, 10));
    ws.calendar.cancelEvent(teacher, eventOf(school, s).id!);
    school.advance(MIN);

    // Within the minute: the link is off Classroom, the call is over and nobody can re-enter.
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(0);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(ws.meet.join(pupil.email, link)).toBe('refused');

    // It closes like any other lesson: attendance from the call, a complete Sessions row.
    school.advance(2 * MIN);
    expect(school.lesson(s.lessonId).status).toBe('closed');
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed (cancelled during the lesson: event deleted at 10:10)');
    expect(row['Room Opened']).not.toBe('');
    expect(row['Link Shared']).not.toBe('');
    expect(row['Link Withdrawn']).not.toBe('');
    expect(row['Call Ended']).not.toBe('');
    expect(row['Duration (min)']).toBeGreaterThanOrEqual(15);
    expect(row['Pupils Present']).toBe(3);
    expect(row['Pupils Absent']).toBe(s.course.pupils.length - 3);
    expect(String(row['Other Staff Member Present'])).toContain('Teaching Assistant');
    const attendance = school.attendance(s.lessonId);
    expect(attendance.filter((a) => a.Role === 'pupil' && a.Joined !== '')).toHaveLength(3);
    expect(
      attendance.filter((a) => a['Follow Up'] === 'absent: follow up sensitively'),
    ).toHaveLength(s.course.pupils.length - 3);

    // SLT and the teacher were told in words.
    const subject = 'Live lesson cancelled during the lesson: Phonics';
    expect(subjects(school, school.school.slt.email)).toContain(subject);
    const toTeacher = school.mailTo(teacher).find((m) => m.subject === subject)!;
    expect(toTeacher.body).toContain('deleted at 10:10, while its room was open');
    expect(opsLog(school)).toContain(`lesson ${s.lessonId}: event deleted while the room was open`);

    // Its recording is collected into the safeguarding folder ...
    school.advanceTo(monday(11, 10));
    const { recordingsFolderId } = schoolConfig(school);
    const [recording] = table(school, 'Recordings').filter((r) => r['Lesson ID'] === s.lessonId);
    expect(recording).toBeDefined();
    const fileId = String(recording!['File ID']);
    expect(ws.drive.file(fileId)!.parents).toEqual([recordingsFolderId]);
    expect(ws.drive.canRead(teacher, fileId)).toBe(false);
    expect(school.sessionRow(s.lessonId)!['Recording Purge Due']).not.toBe('');

    // ... and purged on day 31, with an audit row.
    ws.kernel.clock.advanceTo(monday(10) + 31 * DAY_MS);
    school.advance(3 * HOUR_MS);
    expect(ws.drive.file(fileId)).toBeUndefined();
    expect(table(school, 'Audit').filter((r) => r.Action === 'deleted')).toEqual([
      expect.objectContaining({ 'Lesson ID': s.lessonId, 'File ID': fileId }),
    ]);
    noFailures(school);
  });

  it('notes a lesson whose event was deleted after it ran, and still collects its recording', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 51));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.pupils[0]!.email]);
    school.advanceTo(monday(10, 40));
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');

    ws.calendar.cancelEvent(s.course.teacher.email, eventOf(school, s).id!);
    school.advance(3 * MIN);

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed (event deleted in Calendar after the lesson, at 10:40)');
    expect(row['Pupils Present']).toBe(1);
    expect(subjects(school, school.school.slt.email).join('\n')).not.toContain('cancelled');
    school.advanceTo(monday(11, 10));
    expect(table(school, 'Recordings').map((r) => r['Lesson ID'])).toEqual([s.lessonId]);
    noFailures(school);
  });

  it('brings back a lesson whose event was deleted and restored before it began, telling SLT', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    school.advanceTo(monday(8));
    const id = eventOf(school, s).id!;
    ws.calendar.cancelEvent(teacher, id);
    school.advance(MIN);

    ws.calendar.restoreEvent(teacher, id);
    school.advance(2 * MIN);
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    expect(school.sessionRow(s.lessonId)!.Status).toBe('scheduled');
    expect(subjects(school, school.school.slt.email)).toContain(
      'Live lesson restored: Phonics (Mon 23 Nov, 10:00–10:30)',
    );
    school.advanceTo(monday(9, 51));
    expect(roomLink(school, s)).toMatch(/^https:\/\/meet\.google\.com\//);
    noFailures(school);
  });
});

describe('a lesson whose event is moved (R1, R4, R10)', () => {
  it('keeps the running times when the event is moved after the room opened, and tells the teacher and SLT', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    const pupil = s.course.pupils[0]!;
    school.advanceTo(monday(9, 51));
    const link = teacherJoinsAndShares(school, s);

    // 9:55: the teacher drags the event to 11:00 after the room has opened.
    school.advanceTo(monday(9, 55));
    ws.calendar.moveEvent(teacher, eventOf(school, s).id!, at(monday(11)), at(monday(11, 30)));
    school.advance(MIN);

    const lesson = lessonRecord(school, s);
    expect(lesson).toMatchObject({ status: 'open', start: monday(10), end: monday(10, 30) });
    expect(lesson.attemptedMove).toMatchObject({ start: monday(11), end: monday(11, 30) });
    const subject = 'Calendar move after the room opened: Phonics';
    const told = school.mailTo(teacher).find((m) => m.subject === subject)!;
    expect(told.body).toContain('was moved to Mon 23 Nov, 11:00–11:30 after its room had opened');
    expect(told.body).toContain('The link comes off Google Classroom at 10:25');
    expect(told.body).toContain('the call is ended for everyone at 10:32');
    expect(told.body).toContain('schedule a new lesson');
    expect(subjects(school, school.school.slt.email)).toContain(subject);
    expect(opsLog(school)).toContain(`lesson ${s.lessonId}: event moved after the room opened`);

    // The original clock holds: withdrawn at 10:25, ended at 10:32.
    school.advanceTo(monday(10, 24));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 26));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(0);
    school.advanceTo(monday(10, 34));
    expect(ws.meet.participantsNow(link)).toEqual([]);
    // No second room at the new time; the Calendar still shows what the teacher set.
    school.advanceTo(monday(11, 5));
    expect(ws.meet.spaces.size).toBe(1);
    expect(everyPost(school, s.course.id)).toHaveLength(1);
    expect(eventOf(school, s).start!.dateTime).toBe(at(monday(11)).toISOString());
    expect(school.sessionRow(s.lessonId)!.Status).toBe(
      'closed (event moved to Mon 23 Nov, 11:00–11:30 after the room opened: kept 10:00–10:30)',
    );
    noFailures(school);
  });

  it('ends on the new clock when the event is moved earlier after the room opened', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupil = s.course.pupils[0]!;
    school.advanceTo(monday(9, 51));
    const link = teacherJoinsAndShares(school, s);
    school.advanceTo(monday(9, 55));
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      at(monday(9, 45)),
      at(monday(10, 15)),
    );
    school.advance(MIN);
    const told = school
      .mailTo(s.course.teacher.email)
      .find((m) => m.subject === 'Calendar move after the room opened: Phonics')!;
    expect(told.body).toContain('it now ends on the new clock');
    expect(told.body).toContain('at 10:10');

    school.advanceTo(monday(10, 9));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 11));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, s.course.id)).toHaveLength(0);
    school.advanceTo(monday(10, 16));
    expect(ws.meet.participantsNow(link).length).toBeGreaterThan(0);
    school.advanceTo(monday(10, 18));
    expect(ws.meet.participantsNow(link)).toEqual([]);
    noFailures(school);
  });

  it('follows a move before the room opens, flags a Saturday as any schedule would be, and tells SLT', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(8));
    const saturday = monday(10) + 5 * DAY_MS;
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      at(saturday),
      at(saturday + 30 * MIN),
    );
    school.advance(2 * MIN);

    expect(lessonRecord(school, s)).toMatchObject({ status: 'scheduled', start: saturday });
    const row = school.sessionRow(s.lessonId)!;
    expect(new Date(row.Start as Date).getTime()).toBe(saturday);
    expect(flagCodes(row)).toContain('outside-lesson-hours');
    const moved = school
      .mailTo(school.school.slt.email)
      .find((m) => m.subject.startsWith('Live lesson moved: Phonics'))!;
    expect(moved.body).toContain('from Mon 23 Nov, 10:00–10:30 to Sat 28 Nov, 10:00–10:30');
    expect(moved.body).toContain('outside normal lesson hours');

    // No room on Monday.
    school.advanceTo(monday(10, 15));
    expect(ws.meet.spaces.size).toBe(0);
    noFailures(school);
  });

  it('follows the last of two moves made within a minute', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    school.advanceTo(monday(8));
    const id = eventOf(school, s).id!;
    ws.calendar.moveEvent(teacher, id, at(monday(11)), at(monday(11, 30)));
    school.advance(30_000);
    ws.calendar.moveEvent(teacher, id, at(monday(13)), at(monday(13, 30)));
    school.advance(2 * MIN);

    expect(lessonRecord(school, s)).toMatchObject({ start: monday(13), end: monday(13, 30) });
    const moves = subjects(school, school.school.slt.email).filter((t) =>
      t.startsWith('Live lesson moved'),
    );
    expect(moves.at(-1)).toBe('Live lesson moved: Phonics (now Mon 23 Nov, 13:00–13:30)');
    school.advanceTo(monday(12, 49));
    expect(ws.meet.spaces.size).toBe(0);
    school.advanceTo(monday(12, 51));
    expect(roomLink(school, s)).toMatch(/^https:\/\/meet\.google\.com\//);
    noFailures(school);
  });

  it('does not follow a move into the past: the lesson keeps its time and the teacher and SLT are told what to do', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(8));
    ws.calendar.moveEvent(
      s.course.teacher.email,
      eventOf(school, s).id!,
      at(monday(10) - DAY_MS),
      at(monday(10, 30) - DAY_MS),
    );
    school.advance(2 * MIN);

    expect(lessonRecord(school, s)).toMatchObject({ status: 'scheduled', start: monday(10) });
    const subject = 'Calendar move not followed: Phonics';
    const told = school.mailTo(s.course.teacher.email).find((m) => m.subject === subject)!;
    expect(told.body).toContain('moved from Mon 23 Nov, 10:00–10:30 to Sun 22 Nov');
    expect(told.body).toContain('That time has already passed');
    expect(told.body).toContain('still takes place at Mon 23 Nov, 10:00–10:30');
    expect(subjects(school, school.school.slt.email)).toContain(subject);
    expect(String(school.sessionRow(s.lessonId)!.Status)).toMatch(
      /^scheduled \(Calendar change to Sun 22 Nov, 10:00–10:30 not followed/,
    );
    // It runs at its own time, to its own end: the event still in the past when the room link
    // is written on it is not taken for a new move.
    school.advanceTo(monday(9, 51));
    teacherJoinsAndShares(school, s);
    school.advanceTo(monday(10, 20));
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(
      ws.classroom.announcementsVisibleTo(s.course.pupils[0]!.email, s.course.id),
    ).toHaveLength(1);
    noFailures(school);
  });

  it('loses nothing when the sync token expires (410) in the middle of a change', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const moved = scheduleFor(school);
    // A second lesson: its event's creation gives the teacher's calendar a sync token.
    const deleted = scheduleFor(school, { title: 'Maths', start: monday(13) });
    school.advance(MIN);
    const teacher = moved.course.teacher.email;

    school.advanceTo(monday(8));
    ws.calendar.moveEvent(teacher, eventOf(school, moved).id!, at(monday(11)), at(monday(11, 30)));
    ws.calendar.cancelEvent(teacher, eventOf(school, deleted).id!);
    ws.calendar.invalidateSyncTokens(teacher);
    school.advance(2 * MIN);

    expect(lessonRecord(school, moved)).toMatchObject({ status: 'scheduled', start: monday(11) });
    expect(school.lesson(deleted.lessonId).status).toBe('cancelled');
    expect(opsLog(school)).toContain('sync token expired (410)');
    // The next change is read incrementally again, with the new token.
    ws.calendar.moveEvent(teacher, eventOf(school, moved).id!, at(monday(12)), at(monday(12, 30)));
    school.advance(MIN);
    expect(lessonRecord(school, moved).start).toBe(monday(12));
    expect(opsLog(school).match(/sync token expired/g)).toHaveLength(1);
    noFailures(school);
  });
});

describe('only a lesson’s own event changes it (R1)', () => {
  it('ignores a forged event carrying another teacher’s lesson id', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const victim = scheduleFor(school);
    // Another teacher, whose own lesson installed their calendar trigger.
    const other = scheduleFor(school, { course: 1, start: monday(13) });
    const forger = other.course.teacher.email;
    school.advanceTo(monday(8));

    const forged = ws.calendar.addEvent(forger, {
      summary: 'Live lesson: Phonics',
      start: { dateTime: at(monday(11)).toISOString() },
      end: { dateTime: at(monday(11, 30)).toISOString() },
      extendedProperties: { private: { sllLessonId: victim.lessonId } },
    });
    school.advance(MIN);
    ws.calendar.moveEvent(forger, forged.id!, at(monday(14)), at(monday(14, 30)));
    school.advance(MIN);
    ws.calendar.cancelEvent(forger, forged.id!);
    school.advance(MIN);

    expect(lessonRecord(school, victim)).toMatchObject({ status: 'scheduled', start: monday(10) });
    expect(eventOf(school, victim).status).toBe('confirmed');
    const lines = opsLog(school)
      .split('\n')
      .filter((l) => l.includes(`lesson ${victim.lessonId}:`) && l.includes('ignored'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.join('\n')).toContain("carries this lesson's id");
    expect(lines.join('\n')).not.toMatch(/@/);
    expect(subjects(school, school.school.slt.email).join('\n')).not.toMatch(/moved|cancelled/);
    school.advanceTo(monday(9, 51));
    expect(roomLink(school, victim)).toMatch(/^https:\/\/meet\.google\.com\//);
    noFailures(school);
  });

  it('ignores an event with the lesson’s event id on another account’s calendar, even while the lesson runs', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const victim = scheduleFor(school);
    const other = scheduleFor(school, { course: 1, start: monday(13) });
    const copier = other.course.teacher.email;
    school.advanceTo(monday(9, 51));
    const link = teacherJoinsAndShares(school, victim);

    const sameId = eventOf(school, victim).id!;
    ws.calendar.addEvent(copier, {
      id: sameId,
      summary: 'Live lesson: Phonics',
      start: { dateTime: at(monday(10)).toISOString() },
      end: { dateTime: at(monday(10, 30)).toISOString() },
    });
    school.advance(MIN);
    ws.calendar.cancelEvent(copier, sameId);
    school.advance(2 * MIN);

    expect(lessonRecord(school, victim).status).toBe('open');
    expect(lessonRecord(school, victim).cancelledAt).toBeUndefined();
    expect(ws.meet.participantsNow(link).length).toBeGreaterThan(0);
    expect(
      ws.classroom.announcementsVisibleTo(victim.course.pupils[0]!.email, victim.course.id),
    ).toHaveLength(1);
    expect(opsLog(school)).toContain(
      `lesson ${victim.lessonId}: an event with this lesson's event id on another account's calendar changed; ignored`,
    );
    noFailures(school);
  });

  it('does not cancel the lesson when the second adult deletes their copy', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const assistant = s.course.assistant.email;
    // The second adult teaches the class too and has scheduled a lesson of their own, so their
    // own calendar trigger runs whenever their calendar changes.
    school.sidebar(assistant).schedule({
      title: 'Reading',
      start: monday(14),
      minutes: 30,
      secondStaff: s.course.teacher.email,
      courseId: s.course.id,
    });
    school.advanceTo(monday(8));
    const id = eventOf(school, s).id!;
    expect(ws.calendar.events(assistant).find((e) => e.id === id)?.status).toBe('confirmed');

    ws.calendar.respond(assistant, id, 'declined');
    school.advance(MIN);
    ws.calendar.cancelEvent(assistant, id);
    school.advance(2 * MIN);

    expect(ws.calendar.events(assistant).find((e) => e.id === id)?.status).toBe('cancelled');
    const event = eventOf(school, s);
    expect(event.status).toBe('confirmed');
    expect(event.attendees!.find((a) => a.email === assistant)!.responseStatus).toBe('declined');
    expect(school.lesson(s.lessonId).status).toBe('scheduled');
    expect(school.sessionRow(s.lessonId)!.Status).toBe('scheduled');
    expect(opsLog(school)).toContain(`lesson ${s.lessonId}: the second adult's own copy`);
    school.advanceTo(monday(9, 51));
    expect(roomLink(school, s)).toMatch(/^https:\/\/meet\.google\.com\//);
    noFailures(school);
  });
});

describe('when the Calendar change cannot be applied at once (R28: nothing fails silently)', () => {
  it('tells the teacher when their Calendar cannot be read, and applies the change at the next read', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    school.advanceTo(monday(8));
    ws.kernel.faults.inject({ match: 'calendar.events.list', kind: 500, times: 2 });
    ws.calendar.moveEvent(teacher, eventOf(school, s).id!, at(monday(11)), at(monday(11, 30)));
    school.advance(MIN);

    expect(lessonRecord(school, s).start).toBe(monday(10));
    const told = school
      .mailTo(teacher)
      .find((m) => m.subject === 'Safe Live Lessons could not read your Calendar')!;
    expect(told.body).toContain('check your lessons’ times');
    expect(opsLog(school)).toContain('calendar sync: calendar not read');

    // The teacher's next Calendar change (any at all) brings the move in: nothing was lost.
    ws.calendar.addEvent(teacher, {
      summary: 'Parents evening',
      start: { dateTime: at(monday(17)).toISOString() },
      end: { dateTime: at(monday(19)).toISOString() },
    });
    school.advance(MIN);
    expect(lessonRecord(school, s).start).toBe(monday(11));
    noFailures(school);
  });

  it('waits for a lesson another run is working on, then applies the change', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(8));
    // A run that was killed left its lease on the lesson; it runs out in a minute.
    const key = `lesson:${s.lessonId}`;
    const record = decodeLesson<Record<string, unknown>>(ws.properties.scriptStore()[key]!);
    const leaseEnds = ws.now() + MIN;
    ws.properties.seedScript({
      [key]: JSON.stringify({ ...record, lease: { owner: 'killed-run', until: leaseEnds } }),
    });
    ws.calendar.cancelEvent(s.course.teacher.email, eventOf(school, s).id!);
    school.advance(3 * MIN);

    const lesson = lessonRecord(school, s);
    expect(lesson.status).toBe('cancelled');
    // Applied by the same Calendar run once the lease ran out, not dropped when it found it busy.
    expect(lesson.cancelledAt).toBeGreaterThanOrEqual(leaseEnds);
    expect(lesson.cancelledAt).toBeLessThan(leaseEnds + MIN);
    expect(opsLog(school)).not.toContain('not yet applied');
    noFailures(school);
  });
});
