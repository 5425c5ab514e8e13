// R28: Google refusing the automation ONE teacher's account (deleted, suspended or renamed) is
// that teacher's problem, not the school's: the other teachers' lessons run as usual and nobody
// gets the school-wide delegation alert; the admin and SLT hear once whose lessons need cover,
// the Status sheet says so, and it clears when Google lets the automation act as them again.

import { DeployedSchool, monday } from './deployed-school';
import { everyPost, roomLink, type Scheduled, scheduleFor } from './scenario-kit';

const SCHOOL_WIDE = 'Safe Live Lessons: the automation cannot act for teachers';
const RUN_FROM_SIDEBAR = 'Safe Live Lessons: please run your lesson from the sidebar';

function livePosts(school: DeployedSchool, s: Scheduled) {
  return everyPost(school, s.course.id).filter(
    (p) => !p.history.some((h) => h.action === 'deleted'),
  );
}

function status(school: DeployedSchool): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

describe('one teacher’s account refused (R28: no false alarm, and the one at risk is named)', () => {
  it('runs the other teachers’ lessons, sends no school-wide delegation alert, and tells the admin and SLT once which teacher’s lessons need cover when that teacher’s account is deleted during the day', () => {
    const admin = 'head@kenilworth.sch.uk';
    const school = new DeployedSchool({
      teachers: 3,
      start: monday(7, 0),
      settings: { adminEmails: admin },
    });
    const { ws } = school;
    const slt = school.school.slt.email;
    // The middle teacher's account goes: teachers on either side of them in each run's batch.
    const lessons = [0, 1, 2].map((course) =>
      scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
    );
    const gone = lessons[1]!;
    const goneEmail = gone.course.teacher.email;
    const afternoon = scheduleFor(school, { course: 1, title: 'Afternoon', start: monday(14) });
    const others = [lessons[0]!, lessons[2]!];

    // 09:30: an administrator deletes the teacher's account.
    school.advanceTo(monday(9, 30));
    ws.auth.deleteUser(goneEmail);

    // The other teachers' rooms open, are shared once they are in, and end on time.
    school.advanceTo(monday(9, 55));
    const links = others.map((s) => roomLink(school, s));
    others.forEach((s, i) => {
      expect(ws.meet.join(s.course.teacher.email, links[i]!)).toBe('joined');
    });
    school.advanceTo(monday(10, 5));
    for (const s of others) expect(livePosts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 40));
    others.forEach((s, i) => {
      expect(livePosts(school, s)).toEqual([]);
      expect(ws.meet.participantsNow(links[i]!)).toEqual([]);
    });
    // The deleted teacher's room was never made: nothing of theirs reached pupils.
    expect(gone.teacher.meetLink(gone.lessonId)).toBeNull();
    expect(livePosts(school, gone)).toEqual([]);

    // Nobody hears that delegation is lost for the school, and no teacher is sent to the sidebar.
    const outbox = ws.mail.outbox();
    const everyone = [...new Set(outbox.flatMap((m) => m.to))];
    for (const who of everyone) {
      const subjects = school.mailTo(who).map((m) => m.subject);
      expect(subjects).not.toContain(SCHOOL_WIDE);
      expect(subjects).not.toContain(RUN_FROM_SIDEBAR);
    }

    // The admin and SLT each hear once, by name, with the teacher's lessons of the day.
    const subject = `Safe Live Lessons: the automation cannot act as ${goneEmail}`;
    for (const who of [admin, slt]) {
      const told = school.mailTo(who).filter((m) => m.subject === subject);
      expect(told).toHaveLength(1);
      const body = told[0]!.body;
      expect(body).toMatch(
        new RegExp(
          `^Since 09:(4|5)\\d, Google will not let the automation act as ${goneEmail.replace('.', '\\.')} \\(its answer: "HTTP 400: invalid_grant: Invalid email or User ID"\\)`,
        ),
      );
      expect(body).toContain('deleted, suspended or renamed');
      expect(body).toContain(
        `- Mon 23 Nov, 10:00–10:30 Lesson 2 (${gone.course.name}, ${goneEmail}): room not made yet; nothing on Classroom.`,
      );
      expect(body).toContain(
        `Their other lessons today:\n- Mon 23 Nov, 14:00–14:30 Afternoon (${gone.course.name}, ${goneEmail})`,
      );
      expect(body).toContain('move these lessons to a cover teacher');
      expect(body).toContain('Other teachers’ lessons are unaffected');
      for (const s of others) expect(body).not.toContain(s.course.teacher.email);
    }

    // The Status sheet: delegation works; this one account is refused.
    const sheet = status(school);
    expect(sheet.get('Delegation (acting as teachers)')?.state).toBe('OK');
    expect(sheet.get(`Acting as ${goneEmail}`)?.state).toBe('REFUSED');
    expect(sheet.get(`Acting as ${goneEmail}`)?.detail).toMatch(
      /^Google refuses the automation this account since 09:[45]\d .*deleted, suspended or renamed\. At risk today: .* Its lessons need a cover teacher or the account restored; other teachers are unaffected\.$/,
    );
    // R28: the sheet names the lessons at risk today (it is the only channel when mail is out).
    expect(sheet.get(`Acting as ${goneEmail}`)?.detail).toContain(
      `${gone.lessonId} 10:00 Lesson 2 (${gone.course.name}): room not made; ${afternoon.lessonId} 14:00 Afternoon (${gone.course.name}): room not made.`,
    );

    // 12:00: the account is restored. When the afternoon lesson's room is made, it clears.
    school.advanceTo(monday(12, 0));
    ws.auth.restoreUser(goneEmail);
    school.advanceTo(monday(13, 55));
    expect(roomLink(school, afternoon)).toMatch(/^https:\/\/meet\.google\.com\//);
    school.advanceTo(monday(15, 5));
    for (const who of [admin, slt]) {
      expect(school.mailTo(who).filter((m) => m.subject === subject)).toHaveLength(1);
      expect(school.mailTo(who).map((m) => m.subject)).toContain(
        `Safe Live Lessons: working again: acting as ${goneEmail}`,
      );
    }
    expect(status(school).has(`Acting as ${goneEmail}`)).toBe(false);
    expect(ws.kernel.failures).toEqual([]);
  });
});
