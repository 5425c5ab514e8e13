// R28 (nothing fails silently) for the log SLT and the DSL rely on (R18): when Google Sheets
// refuses every write as lessons end, the admin hears within minutes, from the minute monitor,
// not only once the hourly job has been late for over an hour; and no row is lost.

import { DeployedSchool, monday } from './deployed-school';
import { admit, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

describe('the log cannot be written (R28)', () => {
  it('tells the admin within ten minutes when Google Sheets answers 429 to every call as lessons end, and writes every row once it answers again', () => {
    const school = new DeployedSchool({ teachers: 3, start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const lessons = [0, 1, 2].map((course) =>
      scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
    );
    school.advanceTo(monday(9, 55));
    for (const s of lessons) {
      const link = teacherJoinsAndShares(school, s);
      admit(school, s, link, [s.course.assistant.email, s.course.pupils[0]!.email]);
    }
    // From 10:10 for an hour, Sheets answers every call "429 Too Many Requests".
    school.advanceTo(monday(10, 10));
    ws.kernel.faults.inject({ match: 'sheets.*', kind: 429 });
    school.advanceTo(monday(11, 10));

    // The lessons closed at 10:32 and their rows wait; the admin heard by 10:42.
    for (const s of lessons) {
      expect(school.lesson(s.lessonId).status).toBe('closed');
      expect(school.sessionRow(s.lessonId)?.Status).toBe('scheduled');
    }
    const told = school
      .mailTo(slt)
      .filter((m) => m.subject === 'Safe Live Lessons: Google Sheets is failing');
    expect(told).toHaveLength(1);
    expect(told[0]!.at).toBeLessThanOrEqual(monday(10, 42));
    expect(told[0]!.body).toMatch(/the log is not being written \(rows wait in the store\)/);
    expect(told[0]!.body).toMatch(/last answer: transient failure/);

    // Sheets answers again: every row is written and the admin hears it works.
    ws.kernel.faults.clear();
    school.advanceTo(monday(11, 20));
    for (const s of lessons) {
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(school.attendance(s.lessonId).length).toBeGreaterThan(0);
    }
    expect(school.mailTo(slt).map((m) => m.subject)).toContain(
      'Safe Live Lessons: working again: Google Sheets',
    );
  });
});
