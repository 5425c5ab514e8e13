// R21 "never alone", end to end through the shipped bundle: policy 000 "the teacher must be the
// last person to leave", policy 003 "remain on the line". When pupils are in the call with no
// member of staff, the link comes down from Classroom after staffAbsentAlertSeconds (60 s) and
// the teacher, the DSL and SLT are told; with nobody back after staffAbsentEndMinutes (3) the
// call ends for everyone and the room is locked. The monitor looks once a minute, so each step
// comes at the first look past its limit: within a minute of it; and when a limit falls within
// half a minute after a run's look, the run looks again when it comes: within seconds of it.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { callsOf, hms, linkLiveAt, mailAbout, postLives, storedLesson } from './in-call-kit';
import { admit, flagCodes, roomLink, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const SEC = 1000;
/** The monitor runs every minute; a step due at T happens at the first run after T. */
const LOOK = MIN;

describe('in the call: pupils are never left alone (R21)', () => {
  it('ends the call when the teacher leaves pupils alone for three minutes', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { dsl, slt } = school.school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...pupils]);

    // 10:10:05: the teacher and the second adult both leave; six pupils stay in the call.
    school.advanceTo(monday(10, 10) + 5 * SEC);
    const leftAt = ws.now();
    ws.meet.leave(s.course.teacher.email, link);
    ws.meet.leave(s.course.assistant.email, link);
    expect(ws.meet.participantsNow(link)).toHaveLength(pupils.length);

    school.advance(6 * MIN);

    // The link came down after a minute alone, within a minute of that limit.
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted! - leftAt).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThanOrEqual(60 * SEC + LOOK);
    for (const pupil of pupils)
      expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(0);

    // The teacher, the DSL and SLT were told, once, when it came down.
    for (const who of [s.course.teacher.email, dsl.email, slt.email]) {
      const told = mailAbout(school, who, /^Pupils alone in Phonics/);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('since 10:10');
      expect(told[0]!.body).toContain('by 10:13');
      expect(told[0]!.at - leftAt).toBeLessThanOrEqual(60 * SEC + LOOK);
    }

    // Nobody came back: the call ended for everyone three minutes after they left, within a
    // minute of that, and the room is locked: pupils cannot get back in.
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end! - leftAt).toBeGreaterThanOrEqual(3 * MIN);
    expect(call!.end! - leftAt).toBeLessThanOrEqual(3 * MIN + LOOK);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(ws.meet.join(pupils[0]!, link)).toBe('refused');
    for (const who of [s.course.teacher.email, dsl.email, slt.email])
      expect(mailAbout(school, who, /^Call ended: Phonics had no member of staff/)).toHaveLength(1);

    // The log row: closed early, the gap with what was done, serious.
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['staff-absent', 'ended-for-safety']));
    expect(row.Serious).toBe('yes');
    const flags = String(row.Flags);
    expect(flags).toContain(`${hms(leftAt)}–${hms(call!.end)}`);
    expect(flags).toContain(`link taken off Classroom ${hms(post!.deleted)}`);
    expect(flags).toContain(`call ended and room locked ${hms(call!.end)}`);
    expect(flags).toMatch(/no member of staff was back within 3 minute/);

    console.log(
      `never alone: left ${hms(leftAt)}; link withdrawn ${hms(post!.deleted)}; call ended ${hms(call!.end)}`,
    );
  });

  it('takes the link down and ends the call within seconds of the limits when staff leave just after a look, not a minute later', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...pupils]);

    // The staff leave three seconds after the 10:10 run began, once it has looked and finished:
    // the worst moment, as every later minute's look falls three seconds short of each limit.
    // (The monitor runs at the same second of every minute: the 10:09 run says which.)
    school.advanceTo(monday(10, 9));
    let runAt = 0;
    school.advance(MIN, (name, result) => {
      if (name === 'monitorTick' && runAt === 0) runAt = result.execution.startedAt;
    });
    expect(runAt).toBeGreaterThan(monday(10, 9));
    school.advanceTo(runAt + MIN + 3 * SEC);
    const leftAt = ws.now();
    ws.meet.leave(s.course.teacher.email, link);
    ws.meet.leave(s.course.assistant.email, link);

    const lookedAt: number[] = [];
    school.advance(5 * MIN, (name, result) => {
      if (name === 'monitorTick') lookedAt.push(result.execution.startedAt);
    });
    // The minute's runs did start a little under each limit after the staff left.
    expect(lookedAt).toContain(leftAt + MIN - 3 * SEC);
    expect(lookedAt).toContain(leftAt + 3 * MIN - 3 * SEC);

    // The link came down as the minute passed, not at the next minute's look.
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThan(60 * SEC + 15 * SEC);
    for (const who of [s.course.teacher.email, school.school.dsl.email, school.school.slt.email])
      expect(mailAbout(school, who, /^Pupils alone in Phonics/)).toHaveLength(1);
    // The call ended as the three minutes passed.
    const [call] = callsOf(school, link);
    expect(call!.end! - leftAt).toBeGreaterThanOrEqual(3 * MIN);
    expect(call!.end! - leftAt).toBeLessThan(3 * MIN + 15 * SEC);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    console.log(
      `never alone, worst moment: left ${hms(leftAt)}; link withdrawn ${hms(post!.deleted)}; call ended ${hms(call!.end)}`,
    );
  });

  it('takes the link down at its limit though another class’s look goes unanswered in the same minute', () => {
    const { school, a, b, linkB, leftAt } = classAloneBeforeItsLimitLook();
    const { ws } = school;

    // At the 65 s look, Meet leaves class B's request unanswered: UrlFetchApp gives up after a
    // minute, and fetchAll throws for the whole round of requests it was in.
    looksGoUnanswered(school, linkB, 1);
    school.advance(2 * MIN);
    const [lost] = ws.kernel.faults.injected;
    expect(ws.kernel.faults.injected).toHaveLength(1);
    expect(lost!.at - leftAt).toBeGreaterThan(60 * SEC);
    expect(lost!.at - leftAt).toBeLessThan(70 * SEC);

    // Class A's pupils were looked at on their own, first: their link came down at that look,
    // not a minute later when the lost round gave up.
    const [post] = postLives(school, a.course.id);
    expect(post!.deleted! - leftAt).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThan(70 * SEC);
    expect(mailAbout(school, a.course.teacher.email, /^Pupils alone in Phonics/)).toHaveLength(1);
    console.log(
      `another class unanswered: link down ${(post!.deleted! - leftAt) / SEC} s after the staff left`,
    );
    // Class B, whose teacher is still there, keeps its lesson.
    expect(linkLiveAt(school, b.course.id, ws.now())).toBe(true);
    expect(callsOf(school, linkB)[0]!.end).toBeNull();
  });

  it('looks again at once at pupils alone whose look went unanswered, before another class’s look that goes unanswered', () => {
    const { school, a, b, linkA, linkB, leftAt } = classAloneBeforeItsLimitLook();
    const { ws } = school;
    // At the 65 s look, past the one-minute limit, Meet leaves class A's request unanswered, and
    // then class B's: each round is lost for a minute.
    looksGoUnanswered(school, linkA, 1);
    looksGoUnanswered(school, linkB, 1);
    school.advance(4 * MIN);
    const [lostA, lostB] = ws.kernel.faults.injected;
    expect(ws.kernel.faults.injected).toHaveLength(2);
    expect(lostA!.key).toBe('meet.conferenceRecords.participants.list');
    expect(lostA!.at - leftAt).toBeGreaterThan(60 * SEC);
    expect(lostA!.at - leftAt).toBeLessThan(70 * SEC);

    // Class A's look was tried again as soon as its lost minute was over, before class B's was
    // sent: the link came down then, not after a lost minute of class B's.
    const [post] = postLives(school, a.course.id);
    expect(post!.deleted! - leftAt).toBeGreaterThan(120 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThan(135 * SEC);
    expect(post!.deleted!).toBeLessThan(lostB!.at);
    expect(mailAbout(school, a.course.teacher.email, /^Pupils alone in Phonics/)).toHaveLength(1);
    console.log(
      `unanswered, then another class: link down ${(post!.deleted! - leftAt) / SEC} s after the staff left`,
    );
    // Class B, whose teacher is still there, keeps its lesson.
    expect(linkLiveAt(school, b.course.id, ws.now())).toBe(true);
    expect(callsOf(school, linkB)[0]!.end).toBeNull();
  });

  it('ends the call at its limit though the look just before it was followed by lost minutes', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { a, linkA, linkB } = twoClassesInCall(school);

    // Class A's staff leave 3 s after a run began: each later look falls 3 s short of a limit.
    const leftAt = staffLeaveAfterARun(school, a, linkA, 3 * SEC);
    school.advanceTo(leftAt + 2 * MIN + 30 * SEC);
    expect(postLives(school, a.course.id)[0]!.deleted).not.toBeNull();

    // From the 2 min 57 s look, class A's call answers, 3 s short of the end; class B's goes
    // unanswered twice, and the run waits a minute each time.
    looksGoUnanswered(school, linkB, 2);
    school.advance(4 * MIN);
    const lost = ws.kernel.faults.injected;
    expect(lost).toHaveLength(2);
    expect(lost[0]!.at - leftAt).toBeGreaterThan(3 * MIN - 5 * SEC);
    expect(lost[0]!.at - leftAt).toBeLessThan(3 * MIN);

    // Class A's call was looked at again after the first lost minute, its limit passed by then,
    // and ended before class B's look was tried again: not a minute later.
    const [call] = callsOf(school, linkA);
    expect(call!.end! - leftAt).toBeGreaterThan(3 * MIN + 55 * SEC);
    expect(call!.end! - leftAt).toBeLessThan(3 * MIN + 65 * SEC);
    expect(ws.meet.participantsNow(linkA)).toEqual([]);
    expect(callsOf(school, linkB)[0]!.end).toBeNull();
    console.log(`lost minutes: call ended ${(call!.end! - leftAt) / SEC} s after the staff left`);
  });

  it('ends the call at its limit though Google fails once to issue the teacher’s token for the look', () => {
    const { school, link, leftAt } = aloneJustAfterARun();
    const { ws } = school;
    school.advanceTo(leftAt + 170 * SEC);
    expect(callsOf(school, link)[0]!.end).toBeNull();
    // The teacher's token is no longer cached, and Google's next exchange for it fails (500):
    // the one for the look 3 s short of the three-minute limit.
    ws.cache.evictAll();
    ws.kernel.faults.inject({ match: 'oauth.token', kind: 500, times: 1 });
    school.advance(2 * MIN);
    const [refused] = ws.kernel.faults.injected;
    expect(ws.kernel.faults.injected.map((f) => f.key)).toEqual(['oauth.token']);
    expect(refused!.at - leftAt).toBeGreaterThan(175 * SEC);
    expect(refused!.at - leftAt).toBeLessThan(180 * SEC);

    // The look was tried again seconds later with the token asked for again, not left until the
    // next run: the call ended at the limit.
    const [call] = callsOf(school, link);
    expect(call!.end! - leftAt).toBeGreaterThan(180 * SEC);
    expect(call!.end! - leftAt).toBeLessThan(190 * SEC);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    console.log(
      `token refused once: call ended ${(call!.end! - leftAt) / SEC} s after the staff left`,
    );
  });

  it('takes the link down at its limit though MailApp takes a minute over the alert the same look decided', () => {
    const { school, s, leftAt } = aloneJustAfterARun();
    const { ws } = school;
    // From 30 s after the staff left, MailApp leaves its next answer a minute late: the one for
    // the "Pupils alone" alert the one-minute look decides.
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'lost-response', times: 1 });
    school.advance(2 * MIN);
    const [slow] = ws.kernel.faults.injected;
    expect(ws.kernel.faults.injected).toHaveLength(1);
    expect(slow!.at - leftAt).toBeGreaterThan(60 * SEC);

    // The link came down first, at the limit; the alert waited in the mail queue for it, and
    // still reached the teacher, the DSL and SLT once.
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted! - leftAt).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThan(65 * SEC);
    expect(post!.deleted!).toBeLessThanOrEqual(slow!.at);
    for (const who of [s.course.teacher.email, school.school.dsl.email, school.school.slt.email])
      expect(mailAbout(school, who, /^Pupils alone in Phonics/)).toHaveLength(1);
    console.log(
      `mail a minute late: link down ${(post!.deleted! - leftAt) / SEC} s after the staff left; MailApp asked at ${(slow!.at - leftAt) / SEC} s`,
    );
  });

  it('tries a refused delete again before sending the alert MailApp takes a minute over', () => {
    const { school, s, leftAt } = aloneJustAfterARun();
    const { ws } = school;
    // As above, and Classroom refuses the first delete of the link (429).
    ws.kernel.faults.inject({
      match: 'classroom.courses.announcements.delete',
      kind: 429,
      times: 1,
    });
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'lost-response', times: 1 });
    school.advance(2 * MIN);
    const [refused, slow] = ws.kernel.faults.injected;
    expect(ws.kernel.faults.injected.map((f) => f.key)).toEqual([
      'classroom.courses.announcements.delete',
      'mail.getRemainingDailyQuota',
    ]);

    // The delete was asked again at once, before the alert: the link came down at the limit.
    const [post] = postLives(school, s.course.id);
    expect(refused!.at - leftAt).toBeGreaterThan(60 * SEC);
    expect(post!.deleted! - leftAt).toBeLessThan(65 * SEC);
    expect(post!.deleted!).toBeLessThanOrEqual(slow!.at);
    for (const who of [s.course.teacher.email, school.school.dsl.email, school.school.slt.email])
      expect(mailAbout(school, who, /^Pupils alone in Phonics/)).toHaveLength(1);
  });

  it('keeps the lesson going when the second adult stays after the teacher leaves', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);

    school.advanceTo(monday(10, 10));
    ws.meet.leave(s.course.teacher.email, link);
    school.advance(8 * MIN);

    // A member of staff is still on the line: nothing to act on.
    expect(linkLiveAt(school, s.course.id, ws.now())).toBe(true);
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(mailAbout(school, school.school.dsl.email, /Pupils alone/)).toHaveLength(0);
    expect(storedLesson(school, s.lessonId).inCall?.gaps ?? []).toEqual([]);
  });

  it('gives the link back on Classroom when the teacher rejoins within the grace period, and only once the teacher is in the call', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...pupils]);

    school.advanceTo(monday(10, 10) + 5 * SEC);
    const leftAt = ws.now();
    ws.meet.leave(s.course.teacher.email, link);
    ws.meet.leave(s.course.assistant.email, link);
    school.advanceTo(leftAt + 2 * MIN);
    const [first] = postLives(school, s.course.id);
    expect(first!.deleted).not.toBeNull();
    expect(storedLesson(school, s.lessonId).post.state).toBe('paused');

    // A second adult alone back in the call does not bring the link back: it needs the teacher.
    // 10:12:30: the teacher is back, well inside the three minutes.
    school.advanceTo(leftAt + 2 * MIN + 25 * SEC);
    const backAt = ws.now();
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advance(2 * MIN);

    // A new post (its own marker), made after the teacher was back, within a minute.
    const posts = postLives(school, s.course.id);
    expect(posts).toHaveLength(2);
    const second = posts.find((p) => p.id !== first!.id)!;
    expect(second.created).toBeGreaterThanOrEqual(backAt);
    expect(second.created - backAt).toBeLessThanOrEqual(LOOK);
    expect(second.deleted).toBeNull();
    expect(second.text).toContain(`(lesson ${s.lessonId}, link 2)`);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(1);
    // The call was never ended.
    expect(callsOf(school, link)).toHaveLength(1);
    expect(callsOf(school, link)[0]!.end).toBeNull();

    // The link still comes down at the scheduled time, and the log records the gap.
    school.advanceTo(monday(10, 40));
    const after = postLives(school, s.course.id).find((p) => p.id === second.id)!;
    expect(after.deleted).not.toBeNull();
    expect(after.deleted!).toBeLessThanOrEqual(monday(10, 25) + LOOK);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('staff-absent');
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(row.Serious).toBe('yes');
    // The log gives when Classroom's answer came back (share-links.ts), one Classroom call after
    // the post was made: the post's second, or the next one.
    const linkBack = /link back on Classroom (\d\d:\d\d:\d\d)/.exec(String(row.Flags))?.[1];
    expect([hms(second.created), hms(second.created + SEC)]).toContain(linkBack);
    console.log(
      `re-share: left ${hms(leftAt)}; link withdrawn ${hms(first!.deleted)}; teacher back ${hms(backAt)}; link back ${hms(second.created)}`,
    );
  });

  it('does not give the link back once it is past the withdrawal time', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(
      school,
      s,
      link,
      s.course.pupils.map((p) => p.email),
    );

    // 10:22:05 alone; link down about 10:23; the teacher is back at 10:25:10, after 10:25.
    school.advanceTo(monday(10, 22) + 5 * SEC);
    ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 25) + 10 * SEC);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advanceTo(monday(10, 40));

    const posts = postLives(school, s.course.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.deleted!).toBeLessThan(monday(10, 25));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('staff-absent');
  });

  it('acts on each gap when the teacher leaves and rejoins three times, and ends the call on the last', () => {
    // The second adult named never comes: the teacher is the only member of staff.
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, pupils);
    const teacher = s.course.teacher.email;
    const away: [number, number | null][] = [
      [monday(10, 3) + 5 * SEC, monday(10, 3) + 35 * SEC], // a dropped connection
      [monday(10, 6) + 5 * SEC, monday(10, 8) + 30 * SEC], // long enough to lose the link
      [monday(10, 12) + 5 * SEC, monday(10, 12) + 50 * SEC], // short again
      [monday(10, 16) + 5 * SEC, null], // gone for good
    ];
    // After every run of the automation: the link is never live more than a minute past the
    // alert limit of a gap, and the call never runs more than a minute past the end limit.
    const breaches: string[] = [];
    const check = () => {
      const now = ws.now();
      for (const [from, to] of away) {
        if (now < from || (to !== null && now >= to)) continue;
        const alone = now - from;
        if (alone > 60 * SEC + LOOK && linkLiveAt(school, s.course.id, now))
          breaches.push(`link live ${hms(now)}`);
        if (alone > 3 * MIN + LOOK && ws.meet.participantsNow(link).length > 0)
          breaches.push(`call running ${hms(now)}`);
      }
    };
    for (const [from, to] of away) {
      school.advance(from - ws.now(), check);
      ws.meet.leave(teacher, link);
      if (to === null) break;
      school.advance(to - ws.now(), check);
      expect(ws.meet.join(teacher, link)).toBe('joined');
    }
    school.advance(monday(10, 40) - ws.now(), check);
    expect(breaches).toEqual([]);

    const posts = postLives(school, s.course.id);
    // The first link, then the second after 10:08:30, each taken down for a gap.
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.deleted !== null)).toBe(true);
    const [call] = callsOf(school, link);
    expect(call!.end! - away[3]![0]).toBeGreaterThanOrEqual(3 * MIN);
    expect(call!.end! - away[3]![0]).toBeLessThanOrEqual(3 * MIN + LOOK);

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['staff-absent', 'ended-for-safety', 'no-second-staff']),
    );
    const flags = String(row.Flags);
    expect(flags).toContain(`from ${hms(away[1]![0])} until a member of staff was back`);
    expect(flags).toContain(`${hms(away[3]![0])}–${hms(call!.end)}`);
    console.log(
      `three times: ${flags
        .split('\n')
        .filter((f) => f.startsWith('staff'))
        .join(' | ')}`,
    );
  });
});

/** Phonics (class A) and Algebra (class B) at 10:00, each teacher in, the class admitted. */
function twoClassesInCall(school: DeployedSchool) {
  const { ws } = school;
  const a = scheduleFor(school);
  const b = scheduleFor(school, { course: 1, title: 'Algebra' });
  school.advanceTo(monday(9, 55));
  const linkA = roomLink(school, a);
  const linkB = roomLink(school, b);
  ws.meet.join(b.course.teacher.email, linkB);
  teacherJoinsAndShares(school, a);
  admit(school, a, linkA, [a.course.assistant.email, ...a.course.pupils.map((p) => p.email)]);
  admit(school, b, linkB, [b.course.assistant.email, ...b.course.pupils.map((p) => p.email)]);
  expect(linkLiveAt(school, a.course.id, ws.now())).toBe(true);
  expect(linkLiveAt(school, b.course.id, ws.now())).toBe(true);
  return { a, b, linkA, linkB };
}

/**
 * Two classes in their calls; class A's staff leave 55 s after a run began: the next run's look,
 * 5 s later, sees the gap, and the one after, at 65 s, is past the one-minute limit. Returns 30 s
 * after they left.
 */
function classAloneBeforeItsLimitLook() {
  const school = new DeployedSchool();
  const classes = twoClassesInCall(school);
  const leftAt = staffLeaveAfterARun(school, classes.a, classes.linkA, 55 * SEC);
  school.advanceTo(leftAt + 30 * SEC);
  return { school, ...classes, leftAt };
}

/**
 * The teacher and the second adult leave `afterStart` after a minute's run began (the monitor
 * runs at the same second of every minute: the 10:09 run says which). Returns when they left.
 */
function staffLeaveAfterARun(
  school: DeployedSchool,
  s: ReturnType<typeof scheduleFor>,
  link: string,
  afterStart: number,
): number {
  school.advanceTo(monday(10, 9));
  let runAt = 0;
  school.advance(MIN, (name, result) => {
    if (name === 'monitorTick' && runAt === 0) runAt = result.execution.startedAt;
  });
  expect(runAt).toBeGreaterThan(monday(10, 9));
  school.advanceTo(runAt + MIN + afterStart);
  school.ws.meet.leave(s.course.teacher.email, link);
  school.ws.meet.leave(s.course.assistant.email, link);
  return school.ws.now();
}

/**
 * The next `times` looks at the call in `link` go unanswered: Meet makes no change, UrlFetchApp
 * gives up after a minute, and fetchAll throws for its whole round (sim/kernel/faults.ts).
 */
function looksGoUnanswered(school: DeployedSchool, link: string, times: number): void {
  const { meet } = school.ws;
  const code = link.replace(/^https:\/\/meet\.google\.com\//, '');
  const space = [...meet.spaces.values()].find((s) => s.meetingCode === code)!;
  school.ws.kernel.faults.inject({
    match: 'meet.conferenceRecords.participants.list',
    target: `conferenceRecords/${space.activeConference}/participants`,
    kind: 'lost-response',
    times,
  });
}

/**
 * One class in its call; the teacher and the second adult leave 3 s after a run began (each
 * later look falls 3 s short of a limit). Returns 30 s after they left.
 */
function aloneJustAfterARun() {
  const school = new DeployedSchool();
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
  const leftAt = staffLeaveAfterARun(school, s, link, 3 * SEC);
  school.advanceTo(leftAt + 30 * SEC);
  return { school, s, link, leftAt };
}
