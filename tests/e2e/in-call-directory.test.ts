// No blind spot when the directory fails (R14, R22, R28), end to end through the shipped bundle:
// guests and callers are flagged without any directory call; a signed-in account the directory
// cannot check (403, 429, 5xx) is flagged "unverified", looked up again at the next look, and
// never holds up the withdrawal, the end or the close; the log says who could not be checked.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { callsOf, letIn, mailAbout, postLives } from './in-call-kit';
import { admit, flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const SEC = 1000;
const LOOK = MIN;

describe('in the call: no blind spot when the directory fails (R22)', () => {
  it('flags guests and callers at once while the directory answers 503, and withdraws, ends and closes on time', () => {
    // A school that alerts only, so the lesson runs on with its guests and is still closed on time.
    const school = new DeployedSchool({ settings: { outsiderAction: 'alert' } });
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 50));
    ws.adminDirectory.refuse(503);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    const teacher = s.course.teacher.email;
    const otherClass = school.school.courses[1]!.pupils[0]!;
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 3) + 5 * SEC);
    const joinedAt = ws.now();
    letIn(school, teacher, link, { anonymous: 'Mystery Guest' });
    letIn(school, teacher, link, { phone: '+44 20 7946 0000' });
    letIn(school, teacher, link, otherClass.email);
    school.advance(MIN);

    // Within a minute, without the directory: the guest and the caller are reported.
    const outsider = mailAbout(school, teacher, /^Action needed in Phonics/);
    expect(outsider).toHaveLength(1);
    expect(outsider[0]!.body).toContain('"Mystery Guest" (not signed in');
    expect(outsider[0]!.at - joinedAt).toBeLessThanOrEqual(LOOK);
    expect(mailAbout(school, teacher, /^Who is on the phone/)).toHaveLength(1);
    const live = school.lesson(s.lessonId) as unknown as { flags: { code: string }[] };
    expect(live.flags.map((f) => f.code)).toEqual(
      expect.arrayContaining([
        'external-participant',
        'phone-participant',
        'unverified-participant',
      ]),
    );
    // The other class's pupil could not be checked: not called an intruder on a guess.
    expect(live.flags.map((f) => f.code)).not.toContain('uninvited-participant');

    // The directory never recovers; the link still comes down, the call ends, the lesson closes.
    school.advanceTo(monday(10, 40));
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted!).toBeLessThanOrEqual(monday(10, 25) + LOOK);
    const [call] = callsOf(school, link);
    expect(call!.end!).toBeLessThanOrEqual(monday(10, 32) + LOOK);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining([
        'external-participant',
        'phone-participant',
        'unverified-participant',
      ]),
    );
    const attendance = school.attendance(s.lessonId);
    const unverified = attendance.filter((a) => a.Role === 'unverified');
    expect(unverified.map((a) => a.Name)).toEqual([otherClass.name]);
    expect(unverified[0]!['Follow Up']).toBe(
      'the school directory could not check this account: review',
    );
    expect(attendance.find((a) => a.Role === 'anonymous')!.Name).toBe('Mystery Guest');
    expect(attendance.find((a) => a.Role === 'phone')!.Name).toBe('+** ** **** *000');
  });

  it('looks an unverified account up again at the next look, and judges it once the directory answers', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    ws.adminDirectory.refuse(429);
    const otherClass = school.school.courses[1]!.pupils[0]!;
    school.advanceTo(monday(10, 3));
    letIn(school, s.course.teacher.email, link, otherClass.email);
    school.advance(2 * MIN);
    expect(mailAbout(school, s.course.teacher.email, /^Action needed/)).toHaveLength(0);

    ws.adminDirectory.recover();
    const recoveredAt = ws.now();
    school.advance(MIN);
    const told = mailAbout(school, s.course.teacher.email, /^Action needed in Phonics/);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`"${otherClass.name}" (a school account`);
    expect(told[0]!.at - recoveredAt).toBeLessThanOrEqual(LOOK);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('uninvited-participant');
    expect(school.attendance(s.lessonId).find((a) => a.Name === otherClass.name)!.Role).toBe(
      'uninvited',
    );
  });

  it('loses nothing when the directory fails one look-up in three', () => {
    const school = new DeployedSchool({ teachers: 3 });
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    ws.adminDirectory.refuse(503, { every: 3 });
    const visitors = [school.school.courses[1]!.pupils[0]!, school.school.courses[2]!.pupils[0]!];
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 1));
    admit(
      school,
      s,
      link,
      visitors.map((v) => v.email),
    );
    school.advanceTo(monday(10, 10));
    admit(school, s, link, [school.school.outsider.email]);
    school.advanceTo(monday(10, 40));
    expect(ws.adminDirectory.refused).toBeGreaterThan(0);

    // The outsider ended the lesson; everyone else was judged; the row is complete.
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['external-participant', 'ended-for-safety', 'uninvited-participant']),
    );
    const roles = Object.fromEntries(school.attendance(s.lessonId).map((a) => [a.Name, a.Role]));
    for (const v of visitors) expect(roles[v.name]).toBe('uninvited');
    expect(roles['A Stranger']).toBe('external');
    expect(Object.values(roles)).not.toContain('unverified');
    expect(postLives(school, s.course.id).every((p) => p.deleted !== null)).toBe(true);
  });
});
