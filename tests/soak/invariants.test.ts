// The soak's watch must see what it is there to see: a link left on Classroom past its lesson's
// end, a withdrawal more than two minutes late, a call left running past its end plus grace plus
// two minutes, pupils left by staff who dropped out still in the call past staffAbsentEndMinutes
// plus two minutes, a call ended on a teacher who came back in, a link not put back for them,
// each with the lesson and the minute; and nothing when the product is on time.

import { DeployedSchool, MIN, monday } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';
import { InvariantWatch } from './invariants';

function lessonAtTen(
  staffLeave?: { teacher?: number; assistant?: number },
  staffBack?: { teacher: number },
) {
  const school = new DeployedSchool({ start: monday(9, 30) });
  const table = new Timetable(school);
  const course = school.school.courses[0]!;
  const plan = table.add({
    course,
    title: 'Phonics',
    start: monday(10),
    minutes: 30,
    teacherJoins: -3,
    pupils: course.pupils.slice(0, 3),
    intruder: null,
    ...(staffLeave ? { staffLeave } : {}),
    ...(staffBack ? { staffBack } : {}),
  });
  const watch = new InvariantWatch(school.ws, table, [plan], {
    withdrawBeforeEndMinutes: 5,
    endGraceMinutes: 2,
    staffAbsentEndMinutes: 3,
  });
  return { school, table, plan, watch };
}

describe('the soak’s minute-by-minute watch', () => {
  it('reports a link Google would not delete and a call it would not end, with the lesson and the minute first seen', () => {
    const { school, table, plan, watch } = lessonAtTen();
    school.ws.kernel.faults.inject({ match: 'classroom.courses.announcements.delete', kind: 500 });
    school.ws.kernel.faults.inject({ match: 'meet.spaces.endActiveConference', kind: 500 });
    table.runUntil(monday(10, 45), () => watch.check());

    const first = (kind: string) => watch.violations.find((v) => v.kind === kind)!;
    expect(watch.counts()).toEqual({
      'withdrawal-late': 1,
      'link-live-after-end': 1,
      'call-past-end': 1,
      'left-alone-too-long': 0,
      'ended-with-staff-back': 0,
      'link-not-back': 0,
    });
    // Each is seen at the first look (once a minute, at a varying second) after it counts.
    // Due off at 10:25, two minutes' slack: late from 10:27.
    expect(first('withdrawal-late').lessonId).toBe(plan.lessonId);
    expect(first('withdrawal-late').at).toBeGreaterThan(monday(10, 27));
    expect(first('withdrawal-late').at).toBeLessThan(monday(10, 29));
    expect(first('link-live-after-end').at).toBeGreaterThanOrEqual(monday(10, 30));
    expect(first('link-live-after-end').at).toBeLessThan(monday(10, 32));
    // The end was 10:30, grace 2 minutes, slack 2 minutes: running after 10:34 counts.
    expect(first('call-past-end').at).toBeGreaterThan(monday(10, 34));
    expect(first('call-past-end').at).toBeLessThan(monday(10, 36));
    expect(watch.liveAtEnd.has(plan.lessonId!)).toBe(true);
  });

  it('reports nothing when the link comes down and the call ends on time', () => {
    const { school, table, plan, watch } = lessonAtTen();
    // A look every simulated minute from when setup and scheduling left the clock until 10:45.
    const from = school.ws.now();
    table.runUntil(monday(10, 45), () => watch.check());
    watch.audit();

    expect(watch.violations).toEqual([]);
    expect(watch.checks).toBe(Math.ceil((monday(10, 45) - from) / MIN));
    expect(watch.checks).toBeGreaterThan(70);
    // There was something to watch: the link was posted, then deleted before the end.
    const [post] = school.ws.classroom
      .allAnnouncements(plan.course.id)
      .filter((a) => a.history.some((h) => h.action === 'deleted'));
    expect(post).toBeDefined();
    const deletedAt = Date.parse(post!.history.find((h) => h.action === 'deleted')!.at);
    expect(deletedAt).toBeGreaterThanOrEqual(monday(10, 25) - MIN);
    expect(deletedAt).toBeLessThanOrEqual(monday(10, 27));
    expect(school.ws.meet.participantsNow(table.roomOf(plan)!)).toEqual([]);
  });

  it('finds a late withdrawal from Classroom’s record even when no minute saw it live', () => {
    const { school, table, plan, watch } = lessonAtTen();
    // Google refuses the delete until 10:29, then accepts it; nobody looks minute by minute.
    school.ws.kernel.faults.inject({ match: 'classroom.courses.announcements.delete', kind: 500 });
    table.runUntil(monday(10, 29));
    school.ws.kernel.faults.clear();
    table.runUntil(monday(10, 45));
    expect(watch.checks).toBe(0);
    watch.audit();
    expect(watch.violations.map((v) => [v.kind, v.lessonId])).toContainEqual([
      'withdrawal-late',
      plan.lessonId,
    ]);
  });

  it('reports pupils left in the call by staff who dropped out when Meet will not end it, and the product ending it in time otherwise', () => {
    // The second adult leaves at 10:11 and the teacher at 10:12: three pupils are alone.
    const refused = lessonAtTen({ assistant: 11, teacher: 12 });
    refused.school.ws.kernel.faults.inject({ match: 'meet.spaces.endActiveConference', kind: 500 });
    refused.table.runUntil(monday(10, 20), () => refused.watch.check());
    const gone = refused.table.staffGone(refused.plan)!;
    expect(gone.at).toBeGreaterThanOrEqual(monday(10, 12));
    expect(gone.at).toBeLessThan(monday(10, 13));
    expect(gone.othersIn).toHaveLength(3);
    const [alone] = refused.watch.violations;
    expect(alone?.kind).toBe('left-alone-too-long');
    expect(alone?.lessonId).toBe(refused.plan.lessonId);
    // staffAbsentEndMinutes 3 and two minutes' slack: still in the call after 10:17 counts.
    expect(alone!.at).toBeGreaterThan(gone.at + 5 * MIN);
    expect(alone!.at).toBeLessThan(gone.at + 6 * MIN + 10_000);

    refused.watch.audit();
    expect(refused.watch.longestAloneMs).toBe(Number.POSITIVE_INFINITY);

    const onTime = lessonAtTen({ assistant: 11, teacher: 12 });
    onTime.table.runUntil(monday(10, 20), () => onTime.watch.check());
    onTime.watch.audit();
    expect(onTime.watch.violations).toEqual([]);
    expect(onTime.table.staffGone(onTime.plan)!.othersIn).toHaveLength(3);
    // They were alone for the school's 3 minutes (the look, the alert, the end), then the call
    // was ended for them.
    expect(onTime.watch.longestAloneMs).toBeGreaterThan(3 * MIN);
    expect(onTime.watch.longestAloneMs).toBeLessThanOrEqual(5 * MIN);
    expect(onTime.school.ws.meet.participantsNow(onTime.table.roomOf(onTime.plan)!)).toEqual([]);
  });

  it('sees nobody left alone when the teacher drops out and the second adult stays', () => {
    const { table, plan, watch } = lessonAtTen({ teacher: 12 });
    table.runUntil(monday(10, 20), () => watch.check());
    watch.audit();
    expect(table.staffGone(plan)).toBeNull();
    expect(watch.longestAloneMs).toBe(0);
    expect(watch.counts()['left-alone-too-long']).toBe(0);
  });

  it('sees a teacher come back within the limit keep the lesson: the call goes on and the link is back', () => {
    // The second adult leaves at 10:11 and the teacher at 10:12; the teacher is back at 10:14:30.
    const { school, table, plan, watch } = lessonAtTen(
      { assistant: 11, teacher: 12 },
      { teacher: 14.5 },
    );
    table.runUntil(monday(10, 45), () => watch.check());
    watch.audit();
    expect(watch.violations).toEqual([]);
    const gone = table.staffGone(plan)!;
    const back = table.teacherBack(plan)!;
    expect(back.joined).toBe(true);
    expect(back.at - gone.at).toBeGreaterThanOrEqual(2.5 * MIN - 10_000);
    expect(back.at - gone.at).toBeLessThan(3 * MIN);
    // Alone from the teacher leaving to their return, no longer.
    expect(watch.longestAloneMs).toBe(back.at - gone.at);
    // The product took the link down after a minute alone and put it back once the teacher was in.
    const posts = school.ws.classroom.allAnnouncements(plan.course.id);
    expect(posts).toHaveLength(2);
    const created = (p: (typeof posts)[number]) =>
      Date.parse(p.history.find((h) => h.action === 'created')!.at);
    const deleted = (p: (typeof posts)[number]) =>
      Date.parse(p.history.find((h) => h.action === 'deleted')!.at);
    expect(deleted(posts[0]!)).toBeGreaterThan(gone.at + MIN);
    expect(deleted(posts[0]!)).toBeLessThan(back.at);
    expect(created(posts[1]!)).toBeGreaterThan(back.at);
    expect(created(posts[1]!)).toBeLessThan(back.at + 2 * MIN);
    // The call ran to the lesson's end.
    const call = [...school.ws.meet.conferences.values()].find(
      (c) => c.startTime <= back.at && (c.endTime ?? Infinity) >= back.at,
    )!;
    expect(call.endTime).toBeGreaterThanOrEqual(monday(10, 30));
  });

  it('reports a call ended on a teacher who came back, and a link not put back for them', () => {
    const ended = lessonAtTen({ assistant: 11, teacher: 12 }, { teacher: 14.5 });
    ended.table.runUntil(monday(10, 17));
    const back = ended.table.teacherBack(ended.plan)!;
    expect(back.joined).toBe(true);
    // Someone ends the call at 10:17, with the teacher back in it.
    const room = ended.table.roomOf(ended.plan)!;
    const { meet } = ended.school.ws;
    meet.endConference(meet.findSpace(room.replace(/^https:\/\/meet\.google\.com\//, ''), true)!);
    ended.table.runUntil(monday(10, 45));
    ended.watch.audit();
    const [wrongEnd] = ended.watch.violations;
    expect(wrongEnd?.kind).toBe('ended-with-staff-back');
    expect(wrongEnd?.lessonId).toBe(ended.plan.lessonId);
    expect(wrongEnd?.at).toBe(monday(10, 17));

    // Classroom refuses every new post from the teacher's return on: the link stays down.
    const refused = lessonAtTen({ assistant: 11, teacher: 12 }, { teacher: 14.5 });
    refused.table.runUntil(monday(10, 14));
    refused.school.ws.kernel.faults.inject({
      match: 'classroom.courses.announcements.create',
      kind: 500,
    });
    refused.table.runUntil(monday(10, 45));
    refused.watch.audit();
    expect(refused.watch.violations.map((v) => [v.kind, v.lessonId, v.at])).toEqual([
      ['link-not-back', refused.plan.lessonId, monday(10, 25)],
    ]);
  });
});
