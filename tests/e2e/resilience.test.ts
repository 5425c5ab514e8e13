// Faults, overlapping runs and the 6-minute limit: none may lose a log row, post a link
// twice, leave a link live after a lesson, or leave a lesson stuck.

import { runSoak } from '../soak/soak';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { Timetable } from './timetable';

function oneLesson(school: DeployedSchool) {
  const table = new Timetable(school);
  const course = school.school.courses[0]!;
  const plan = table.add({
    course,
    title: 'Resilience',
    start: monday(10),
    minutes: 30,
    teacherJoins: -3,
    pupils: course.pupils.slice(0, 3),
    intruder: null,
  });
  return { table, course, id: plan.lessonId!, plan };
}

/**
 * A second class at 10:30 whose room is open but whose teacher has not yet joined: its look asks
 * Meet for the room, a round before the look at who is in the first call.
 */
function nextPeriodWaiting(school: DeployedSchool, table: Timetable): void {
  const later = school.school.courses[1]!;
  table.add({
    course: later,
    title: 'Next period',
    start: monday(10, 30),
    minutes: 30,
    teacherJoins: -3,
    pupils: later.pupils.slice(0, 3),
    intruder: null,
  });
}

const postsFor = (school: DeployedSchool, courseId: string, id: string) =>
  school.ws.classroom
    .allAnnouncements(courseId)
    .filter((a) => (a.text ?? '').includes(`(lesson ${id})`));

/**
 * One lesson whose call is running at 10:31, when Meet starts failing the next `times` end
 * requests with `kind`; the school run to 10:40. Everyone stays in the call until it is ended.
 */
function endWhileMeetFails(kind: 'timeout' | 503, times: number) {
  const school = new DeployedSchool({ start: monday(9, 30) });
  const { table, id, plan } = oneLesson(school);
  table.runUntil(monday(10, 31));
  const room = table.roomOf(plan)!;
  expect(school.ws.meet.participantsNow(room).length).toBeGreaterThan(0);
  school.ws.kernel.faults.inject({ match: 'meet.spaces.endActiveConference', kind, times });
  table.runUntil(monday(10, 40));
  expect(school.ws.meet.participantsNow(room)).toEqual([]);
  const [call] = school.ws.meet.liveConferences();
  return { school, id, call: call! };
}

describe('resilience of the lesson automation', () => {
  it('does not double-act when a second monitor run starts while the first is posting the link', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    const automation = school.school.automation.email;
    let second: unknown;
    school.ws.kernel.duringCall('classroom.courses.announcements.create', () => {
      second = school.tryRun('monitorTick', {}, automation, 'trigger').value;
    });
    table.runUntil(monday(10, 40));
    expect(second).toMatchObject({ skipped: true });
    expect(postsFor(school, course.id, id)).toHaveLength(1);
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('takes the link down within two minutes of its time though Classroom leaves four delete requests in a row unanswered, each costing a minute', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    table.runUntil(monday(10, 24));
    expect(postsFor(school, course.id, id)).toHaveLength(1);
    // From 10:24 Classroom answers none of the next four deletes: UrlFetch waits a minute for
    // each, and a round with one unanswered request loses all its answers.
    school.ws.kernel.faults.inject({
      match: 'classroom.courses.announcements.delete',
      kind: 'timeout',
      times: 4,
    });
    table.runUntil(monday(10, 40));
    const [post] = postsFor(school, course.id, id);
    const deleted = post!.history.find((h) => h.action === 'deleted');
    // Due off at 10:25 (five minutes before the end): off by 10:27.
    expect(Date.parse(deleted!.at)).toBeLessThanOrEqual(monday(10, 27));
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('ends the call within two minutes of its time though Meet leaves two end requests in a row unanswered, each costing a minute', () => {
    const { school, id, call } = endWhileMeetFails('timeout', 2);
    // Due to end at 10:32 (the end plus the school's two minutes' grace); everyone stayed.
    expect(call.endTime!).toBeLessThanOrEqual(monday(10, 34));
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('ends the call in the same run, and nobody is alarmed, when Meet refuses three end requests in a row with 503', () => {
    const { school, call } = endWhileMeetFails(503, 3);
    // Due at 10:32; the monitor's run of 10:32 ends it (its second try asks twice).
    expect(call.endTime!).toBeLessThan(monday(10, 33));
    expect(school.mailTo(school.school.slt.email).map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/^Call NOT ended/),
    );
  });

  it('takes the link down in the same run when Google fails once to issue the teacher’s token for it', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    table.runUntil(monday(10, 24));
    // The teacher's token is no longer cached, and Google's first exchange for it fails.
    school.ws.cache.evictAll();
    school.ws.kernel.faults.inject({ match: 'oauth.token', kind: 500, times: 1 });
    table.runUntil(monday(10, 40));
    expect(school.ws.kernel.faults.injected.map((f) => f.key)).toEqual(['oauth.token']);
    const [post] = postsFor(school, course.id, id);
    const deleted = post!.history.find((h) => h.action === 'deleted');
    // Due off at 10:25: the monitor's run of 10:24 takes it down, on its next pass.
    expect(Date.parse(deleted!.at)).toBeLessThan(monday(10, 25));
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('takes the link down on time though the look at the calls it falls due in loses two rounds in a row, each costing a minute', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    nextPeriodWaiting(school, table);
    table.runUntil(monday(10, 23));
    expect(postsFor(school, course.id, id)).toHaveLength(1);
    // The look of the 10:23 run loses both its rounds: the room (a minute), then who is in the
    // first call (another minute). The link falls due (10:25, acted on from 10:24:15) between.
    school.ws.kernel.faults.inject({ match: 'meet.spaces.get', kind: 'timeout', times: 1 });
    school.ws.kernel.faults.inject({
      match: 'meet.conferenceRecords.participants.list',
      kind: 'timeout',
      times: 1,
    });
    table.runUntil(monday(10, 40));
    expect(school.ws.kernel.faults.injected.map((f) => f.key)).toEqual([
      'meet.spaces.get',
      'meet.conferenceRecords.participants.list',
    ]);
    const [post] = postsFor(school, course.id, id);
    const deleted = post!.history.find((h) => h.action === 'deleted');
    // The look stops between its rounds for the link: off before 10:25, not after the look.
    expect(Date.parse(deleted!.at)).toBeLessThan(monday(10, 25));
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('tries a refused delete again before a slow look, not after it: the link comes down on time', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    nextPeriodWaiting(school, table);
    table.runUntil(monday(10, 23));
    // The 10:23 run's look loses its first round (the room, a minute), and stops for the link
    // fallen due meanwhile; Classroom refuses that delete once (429); the look, taken up again,
    // would lose its next round too (who is in the first call, another minute).
    school.ws.kernel.faults.inject({ match: 'meet.spaces.get', kind: 'timeout', times: 1 });
    school.ws.kernel.faults.inject({
      match: 'classroom.courses.announcements.delete',
      kind: 429,
      times: 1,
    });
    school.ws.kernel.faults.inject({
      match: 'meet.conferenceRecords.participants.list',
      kind: 'timeout',
      times: 1,
    });
    table.runUntil(monday(10, 40));
    expect(school.ws.kernel.faults.injected.map((f) => f.key)).toEqual([
      'meet.spaces.get',
      'classroom.courses.announcements.delete',
      'meet.conferenceRecords.participants.list',
    ]);
    const [post] = postsFor(school, course.id, id);
    const deleted = Date.parse(post!.history.find((h) => h.action === 'deleted')!.at);
    // The refused delete was asked again at once, before the look went on: off before 10:25.
    expect(deleted).toBeLessThan(monday(10, 25));
    expect(deleted).toBeLessThan(school.ws.kernel.faults.injected[2]!.at);
    expect(school.sessionRow(id)?.Status).toBe('closed');
  });

  it('resumes cleanly after a run is cut off at 6 minutes in the middle of a lesson', () => {
    const school = new DeployedSchool({ start: monday(9, 30) });
    const { table, course, id } = oneLesson(school);
    table.runUntil(monday(9, 56));
    // Meet answers so slowly that the next run passes Apps Script's 6-minute limit.
    school.ws.kernel.latency.meet = 7 * MIN;
    let killed = 0;
    school.advance(MIN, (name, result) => {
      if (name === 'monitorTick' && result.killed) killed += 1;
    });
    school.ws.kernel.latency.meet = 300;
    expect(killed).toBe(1);
    table.runUntil(monday(10, 40));
    expect(postsFor(school, course.id, id)).toHaveLength(1);
    const row = school.sessionRow(id)!;
    expect(row.Status).toBe('closed');
    expect(row['Link Withdrawn']).not.toBe('');
    expect(
      school.ws.classroom.announcementsVisibleTo(course.pupils[0]!.email, course.id),
    ).toHaveLength(0);
  });

  it('loses nothing in a school day of 30 lessons with 10% of Google calls failing', () => {
    const result = runSoak({ lessons: 30, faultRate: 0.1, seed: 5, days: 1 });
    expect(result.faultsInjected).toBeGreaterThan(50);
    expect({
      lostLogRows: result.lostLogRows,
      duplicateAnnouncements: result.duplicateAnnouncements,
      linksLiveAfterEnd: result.linksLiveAfterEnd,
      stuckLessons: result.stuckLessons,
      roomsOpenAfterEnd: result.roomsOpenAfterEnd,
    }).toEqual({
      lostLogRows: 0,
      duplicateAnnouncements: 0,
      linksLiveAfterEnd: 0,
      stuckLessons: 0,
      roomsOpenAfterEnd: 0,
    });
  });
});
