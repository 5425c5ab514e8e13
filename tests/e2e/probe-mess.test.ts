// Acceptance probes (R10, R21, R22, R28) of the "mess" of a real school around a teacher whom
// Google or Classroom refuses mid-lesson: an account deleted with pupils in the call, a teacher
// taken off a class with no other teacher, both teachers taken off, the mail quota spent on the
// same morning, a mistaken bulk suspension, a restored account, a teacher put back on the class,
// and a formula for a name. Each test drives the shipped bundle and asserts what the simulated
// Classroom, Meet, the log and the outbox hold.
//
// Tests marked `it.failing` pin a defect found by this probe: they pass while the product falls
// short of the policy and start failing (so someone looks) once it is fixed. Each says which
// assertion fails today and what the Workspace held instead.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { callsOf, mailAbout, postLives, scheduleWithTypedSecondAdult } from './in-call-kit';
import { recordMail } from './mail-books';
import {
  admit,
  flagCodes,
  type Scheduled,
  scheduleFor,
  teacherJoinsAndShares,
} from './scenario-kit';

const ADMIN = 'admin@kenilworth.sch.uk';
const HOUR = 60 * MIN;

function status(school: DeployedSchool): unknown[][] {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return rows;
}
function statusRow(school: DeployedSchool, what: string) {
  const row = status(school).find((r) => String(r[0]) === what);
  return row ? { state: String(row[1]), detail: String(row[2]) } : undefined;
}
function statusText(school: DeployedSchool): string {
  return status(school)
    .map((r) => r.join(' | '))
    .join('\n');
}
function deletedAt(school: DeployedSchool, courseId: string): number | null {
  const [post] = postLives(school, courseId);
  return post?.deleted ?? null;
}

/**
 * Scenario 1: a 10:00 lesson with its class in; the TA leaves at 10:05; at 10:08 an administrator
 * deletes the teacher's account and the teacher drops out of Meet. Pupils are alone in the call.
 */
function accountDeletedWithPupilsAlone() {
  const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
  const { ws } = school;
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
  school.advanceTo(monday(10, 5));
  ws.meet.leave(s.course.assistant.email, link);
  school.advanceTo(monday(10, 8));
  ws.auth.deleteUser(s.course.teacher.email);
  // The simulated Meet does not drop a deleted account from a call: the teacher leaves.
  ws.meet.leave(s.course.teacher.email, link);
  return { school, s, link, ws };
}

describe('a teacher’s account deleted mid-lesson while pupils are in the call (scenario 1)', () => {
  it('takes the link down by the withdrawal time as the TA and tells the admin and SLT once, at once, naming the lesson whose call it cannot end', () => {
    const { school, s, ws } = accountDeletedWithPupilsAlone();
    school.advanceTo(monday(10, 40));
    const deleted = ws.classroom
      .allAnnouncements(s.course.id)[0]!
      .history.find((h) => h.action === 'deleted');
    expect(deleted?.byUserId).toBe(s.course.assistant.id);
    expect(Date.parse(deleted!.at)).toBeLessThanOrEqual(monday(10, 26));
    const subject = `Safe Live Lessons: the automation cannot act as ${s.course.teacher.email}`;
    for (const who of [ADMIN, school.school.slt.email]) {
      const told = school.mailTo(who).filter((m) => m.subject === subject);
      expect(told).toHaveLength(1);
      expect(told[0]!.at).toBeLessThan(monday(10, 10));
      // The link came down in the same run that found the account refused (R21), before this
      // alert was written, so it says so (it said "still on Classroom" before that fix).
      expect(told[0]!.body).toContain(
        'its link is not on Classroom; its call is still running (the automation cannot end it; it was due to end at 10:32)',
      );
      // Nor does it claim the automation cannot take links down: it does, as the other teachers.
      expect(told[0]!.body).not.toContain('share or take down links');
      expect(told[0]!.body).toContain(
        'a link already on Classroom is taken down as the class’s other teachers',
      );
    }
    expect(statusRow(school, `Acting as ${s.course.teacher.email}`)?.state).toBe('REFUSED');
    expect(mailAbout(school, school.school.slt.email, /Link still live/)).toEqual([]);
  });

  // Was a DEFECT (R21): the automation cannot read the call as its deleted owner, so the
  // never-alone watch was blind and the link stayed on Classroom until the ordinary withdrawal at
  // 10:24 while pupils were alone from 10:08. The first run whose look is refused for the
  // teacher's account now takes the link down (as the TA, the class's other teacher) and flags
  // the lesson. The call itself cannot be ended (only the room's owner may end a Meet call), so
  // this test no longer asks that nobody is left in it: the next test documents that hole.
  it('takes the link down at once when it can no longer watch a running call whose teacher Google refuses (R21)', () => {
    const { school, s } = accountDeletedWithPupilsAlone();
    school.advanceTo(monday(11, 30));
    expect(deletedAt(school, s.course.id)!).toBeLessThanOrEqual(monday(10, 11));
    const deleted = school.ws.classroom
      .allAnnouncements(s.course.id)[0]!
      .history.find((h) => h.action === 'deleted');
    expect(deleted?.byUserId).toBe(s.course.assistant.id);
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('cannot-watch');
    expect(String(school.sessionRow(s.lessonId)!.Flags)).toMatch(
      /could not watch the call: Google refused to let it act as the teacher/,
    );
  });

  it('leaves the call running with the pupils in it long after its end: nobody but the deleted owner can end it (documents the hole)', () => {
    const { school, s, link } = accountDeletedWithPupilsAlone();
    school.advanceTo(monday(11, 30));
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(school.ws.meet.participantsNow(link)).toHaveLength(s.course.pupils.length);
    // The lesson is never closed. Its row was written once more, at once, when the serious
    // cannot-watch flag was added (so SLT see the lesson open and why); it said "scheduled" with
    // nothing seen before that flag existed.
    expect(school.sessionRow(s.lessonId)!.Status).toBe('open');
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('cannot-watch');
  });

  // Was a DEFECT (R28, untrue words): the 10:32 "Call NOT ended" email went to SLT and the
  // DELETED account (not the admin), said the automation "cannot end the call or take the link
  // off Classroom" (the link had come down) and asked the teacher to press "End lesson for
  // everyone" (they have no account; only the room's owner may end the call), and never said
  // that restoring the account is the fix. The probe expected the teacher among the recipients;
  // the policy now is that a teacher whose account Google refuses is not written to (nobody
  // reads that mailbox, and they cannot act): the admin and SLT are.
  it('words the call-not-ended alert truthfully when the teacher’s account is gone', () => {
    const { school, s } = accountDeletedWithPupilsAlone();
    school.advanceTo(monday(10, 40));
    const [told] = mailAbout(school, school.school.slt.email, /^Call NOT ended: /);
    expect(told).toBeDefined();
    expect(told!.to).toContain(ADMIN);
    expect(told!.to).not.toContain(s.course.teacher.email);
    expect(told!.body).not.toContain('take the link off Classroom');
    expect(told!.body).not.toContain('End lesson for everyone');
    expect(told!.body).toMatch(/The link is off Classroom \(taken down at 10:(0[89]|1[01])\)/);
    expect(told!.body).toContain("Only a Meet room's owner can end its call");
    expect(told!.body).toMatch(
      /Restoring the account in the Google Admin console \(Directory, Users\)/,
    );
    expect(told!.body).toMatch(
      /pupils may still be in the call with nobody from the school watching/,
    );
  });
});

/**
 * Someone takes the teacher off the class in Classroom. Classroom will not remove a course's
 * owner, so the school's Classroom admin first takes the class over (made a teacher of it and
 * its owner: after the lesson was scheduled, so the product does not know them).
 */
function takeOffClass(school: DeployedSchool, courseId: string, email: string): void {
  const { ws } = school;
  const admin = `classroom.admin@${ws.kernel.directory.domain}`;
  if (!ws.kernel.directory.byEmail(admin))
    ws.kernel.directory.add({ email: admin, name: 'Classroom Admin', kind: 'staff' });
  ws.classroom.addTeacher(courseId, admin);
  ws.classroom.transferOwnership(courseId, admin);
  ws.classroom.removeTeacher(courseId, email);
}

/** A 10:00 lesson of a class whose only Classroom teacher is its teacher (the TA is typed, not on the class). */
function soleTeacherClass() {
  const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
  const { ws } = school;
  const course = school.school.courses[0]!;
  ws.classroom.removeTeacher(course.id, course.assistant.email);
  const s: Scheduled = scheduleWithTypedSecondAdult(school, course.assistant.email);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [course.assistant.email, ...course.pupils.map((p) => p.email)]);
  return { school, s, link, ws };
}

describe('a teacher taken off a class nobody else teaches, mid-lesson (scenarios 2 and 3)', () => {
  it('cannot take the link down, but ends and locks the call on time and tells SLT and the admin (not the removed teacher) at the end that the link is still live', () => {
    const { school, s, link, ws } = soleTeacherClass();
    school.advanceTo(monday(10, 10));
    takeOffClass(school, s.course.id, s.course.teacher.email);
    school.advanceTo(monday(11, 30));
    // The post is on Classroom still, an hour after the lesson.
    expect(deletedAt(school, s.course.id)).toBeNull();
    const [call] = callsOf(school, link);
    expect(call!.end!).toBeLessThanOrEqual(monday(10, 33));
    expect(ws.meet.join(s.course.pupils[0]!.email, link)).toBe('refused');
    const told = mailAbout(school, school.school.slt.email, /^Link still live: /);
    expect(told).toHaveLength(1);
    // The removed teacher cannot delete the post: the admin, who can, is told instead (R28).
    expect(told[0]!.to).toContain(ADMIN);
    expect(told[0]!.to).not.toContain(s.course.teacher.email);
    // Told at the scheduled end (10:30), five minutes after the link should have come down.
    expect(told[0]!.at).toBeGreaterThanOrEqual(monday(10, 30));
    expect(told[0]!.at).toBeLessThan(monday(10, 31));
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('link-withdraw-late');
  });

  // Was a DEFECT (R28, plain words): the alert said only "Classroom has not yet let us delete
  // the post ... Please delete the post by hand in Classroom if you can", went to the removed
  // teacher, who cannot, and the log blamed Google ("google-failed: ... Google Classroom failed
  // (HTTP 403)").
  it('says plainly why the link is still up and who can delete it, and does not log it as Google failing', () => {
    const { school, s } = soleTeacherClass();
    school.advanceTo(monday(10, 10));
    takeOffClass(school, s.course.id, s.course.teacher.email);
    school.advanceTo(monday(10, 45));
    const [told] = mailAbout(school, school.school.slt.email, /^Link still live: /);
    expect(told!.body).toMatch(/no longer a teacher of the class/);
    expect(told!.body).toContain('the class has no other teacher the automation could ask');
    expect(told!.body).toMatch(/the class's owner .*or a Classroom or Google Workspace admin/);
    // Told at the scheduled end, before the call's end: it says when the link stops letting anyone in.
    expect(told!.body).toContain(
      'it will be ended for everyone and the room locked at 10:32, so the link no longer lets anyone in once the call ends',
    );
    expect(told!.body).not.toContain('if you can');
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).not.toContain('google-failed');
    expect(flagCodes(row)).toContain('teacher-not-on-class');
    expect(String(row.Flags)).toMatch(
      /Classroom refused \(HTTP 403\) to let the automation delete the post as the teacher/,
    );
  });

  it('with both teachers of the class taken off it, the same: link left up, call ended on time, one "Link still live" at the end (scenario 3)', () => {
    const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 10));
    takeOffClass(school, s.course.id, s.course.teacher.email);
    takeOffClass(school, s.course.id, s.course.assistant.email);
    school.advanceTo(monday(11, 0));
    expect(deletedAt(school, s.course.id)).toBeNull();
    expect(callsOf(school, link)[0]!.end!).toBeLessThanOrEqual(monday(10, 33));
    const told = mailAbout(school, school.school.slt.email, /^Link still live: /);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('Classroom has not yet let us delete the post');
    expect(told[0]!.body).toContain(
      `the class's other teacher the automation asked (${s.course.assistant.name}) was refused too`,
    );
    expect(told[0]!.to).toEqual(expect.arrayContaining([school.school.slt.email, ADMIN]));
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    expect(flagCodes(school.sessionRow(s.lessonId))).not.toContain('google-failed');
  });
});

describe('teachers’ accounts deleted on a morning the mail quota was spent elsewhere (scenario 4)', () => {
  function quotaSpentAndTwoAccountsGone() {
    const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
    const { ws } = school;
    const s = scheduleFor(school);
    const maths = scheduleFor(school, { course: 1, title: 'Maths' });
    school.advanceTo(monday(8, 0));
    ws.mail.spendElsewhere(school.school.automation.email, 1500);
    school.advanceTo(monday(9, 30));
    ws.auth.deleteUser(maths.course.teacher.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 8));
    ws.auth.deleteUser(s.course.teacher.email);
    ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 40));
    return { school, s, maths, ws };
  }

  it('says on the Status sheet that mail is NOT SENT and which accounts are refused, and sends each alert once when the quota is back', () => {
    const { school, s, maths } = quotaSpentAndTwoAccountsGone();
    const automation = school.school.automation.email;
    expect(school.ws.mail.outbox().filter((m) => m.at > monday(8, 0))).toEqual([]);
    const mail = statusRow(school, 'Email recipients today')!;
    expect(mail.state).toBe('NOT SENT');
    expect(mail.detail).toContain('admin-health since 09:50; admin-health since 10:08');
    for (const t of [s, maths])
      expect(statusRow(school, `Acting as ${t.course.teacher.email}`)?.state).toBe('REFUSED');
    school.advanceTo(monday(7, 0) + 24 * HOUR + 10 * MIN);
    recordMail(school);
    for (const t of [s, maths])
      expect(
        school
          .mailTo(ADMIN)
          .filter(
            (m) =>
              m.subject ===
              `Safe Live Lessons: the automation cannot act as ${t.course.teacher.email}`,
          ),
      ).toHaveLength(1);
    expect(school.ws.mail.outbox().filter((m) => m.from !== automation)).toEqual([]);
  });

  // Was a DEFECT (R28). With email out, the Status sheet is the only channel, and it did not say
  // which lessons are at risk: the rows read "Acting as <teacher> | REFUSED | ... Its lessons
  // need a cover teacher ..." and the mail row "3 urgent notices wait: admin-health since 09:50;
  // admin-health since 10:08; notice (lesson <Phonics id>) since 10:32". The Maths lesson (room
  // never made, class waiting) is named nowhere on the sheet, nor that the Phonics call cannot be
  // ended.
  it('names on the Status sheet each lesson at risk while the alerts about it cannot be emailed', () => {
    const { school, s, maths } = quotaSpentAndTwoAccountsGone();
    const text = statusText(school);
    expect(text.includes(maths.lessonId) || text.includes('Maths')).toBe(true);
    // Each refused teacher's row names their lesson today and what is true of it.
    expect(statusRow(school, `Acting as ${maths.course.teacher.email}`)!.detail).toContain(
      `At risk today: ${maths.lessonId} 10:00 Maths (${maths.course.name}): room never made, did not take place.`,
    );
    expect(statusRow(school, `Acting as ${s.course.teacher.email}`)!.detail).toContain(
      `At risk today: ${s.lessonId} 10:00 Phonics (${s.course.name}): call running that the automation cannot end.`,
    );
  });
});

describe('ten teachers of thirty deleted the same morning: a mistaken bulk suspension (scenario 5)', () => {
  function bulkSuspension() {
    const school = new DeployedSchool({
      teachers: 30,
      pupilsPerCourse: 2,
      settings: { adminEmails: ADMIN },
    });
    const all = school.school.courses.map((_, course) =>
      scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
    );
    school.advanceTo(monday(8, 30));
    const gone = all.slice(0, 10);
    for (const s of gone) school.ws.auth.deleteUser(s.course.teacher.email);
    school.advanceTo(monday(9, 55));
    const others = all.slice(10);
    const links = others.map((s) => teacherJoinsAndShares(school, s));
    school.advanceTo(monday(10, 5));
    return { school, gone, others, links };
  }

  it('runs the other twenty teachers’ lessons as usual and names each refused teacher to the admin and SLT', () => {
    const { school, gone, others, links } = bulkSuspension();
    for (const s of others)
      expect(postLives(school, s.course.id).filter((p) => p.deleted === null)).toHaveLength(1);
    school.advanceTo(monday(10, 45));
    others.forEach((s, i) => {
      expect(deletedAt(school, s.course.id)!).toBeLessThanOrEqual(monday(10, 26));
      expect(callsOf(school, links[i]!).every((c) => c.end !== null)).toBe(true);
      expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
    });
    // Named in the alerts' words (grouped: see the next test), to the admin and to SLT alike.
    for (const who of [ADMIN, school.school.slt.email]) {
      const told = school
        .mailTo(who)
        .filter((m) => /cannot act as/.test(m.subject))
        .map((m) => m.body)
        .join('\n');
      for (const s of gone) expect(told).toContain(s.course.teacher.email);
      for (const s of others) expect(told).not.toContain(s.course.teacher.email);
    }
    const subjects = school.mailTo(ADMIN).map((m) => m.subject);
    expect(subjects).not.toContain('Safe Live Lessons: the automation cannot act for teachers');
  });

  // Was a DEFECT (noise, R28 "plain words"). The admin got 10 separate urgent emails (SLT the same
  // 10), nine of them in the same minute (09:50), each ending "Other teachers’ lessons are
  // unaffected: this answer concerns this one account" - true of each, misleading for a third of
  // the staff at once. A summary (one email listing the ten, saying it looks like a bulk
  // suspension) is what a busy admin needs. Now: the refused accounts found at the same run go
  // out as one email (here the one refused since the 09:00 check, then the other nine at 09:50).
  it('tells the admin of a bulk suspension in a summary, not one email per teacher', () => {
    const { school, gone } = bulkSuspension();
    school.advanceTo(monday(10, 45));
    const about = school.emailsTo(ADMIN).filter((m) => /cannot act as/.test(m.subject));
    expect(about.length).toBeLessThanOrEqual(2);
    // The summary lists every refused teacher with their lesson, says what it looks like and
    // where to look, and how many teachers are refused.
    const summary = about.find((m) => /cannot act as \d+ teachers’ accounts$/.test(m.subject));
    expect(summary).toBeDefined();
    gone.forEach((s, i) => {
      expect(summary!.body).toContain(
        `Lesson ${i + 1} (${s.course.name}, ${s.course.teacher.email}): room not made yet`,
      );
    });
    expect(summary!.body).toContain('this looks like a bulk suspension or deletion');
    expect(summary!.body).toContain('audit log');
    expect(summary!.body).toContain('Google refuses 10 teachers’ accounts in all at the moment');
    expect(summary!.body).not.toContain('this answer concerns this one account');
    // SLT get the same summary, once.
    const slt = school
      .emailsTo(school.school.slt.email)
      .filter((m) => /cannot act as/.test(m.subject));
    expect(slt.length).toBeLessThanOrEqual(2);
  });
  // Each account is its own problem, so each has its own "working again" notice; they are not
  // urgent, so the mail plan gathers those due at the same run into one email per person.
  it('tells the admin and SLT in one email, not ten, when the ten accounts are restored together', () => {
    const { school, gone } = bulkSuspension();
    school.advanceTo(monday(10, 10));
    for (const s of gone) school.ws.auth.restoreUser(s.course.teacher.email);
    school.advanceTo(monday(12, 30));
    for (const who of [ADMIN, school.school.slt.email]) {
      const again = school.emailsTo(who).filter((m) => /working again/.test(m.body));
      expect(again.length).toBeGreaterThanOrEqual(1);
      expect(again.length).toBeLessThanOrEqual(2);
      const told = again.map((m) => m.body).join('\n');
      for (const s of gone) expect(told).toContain(s.course.teacher.email);
    }
  });
});

describe('a school’s other mess on these paths (scenario 6)', () => {
  it('runs the lesson to its end as usual once a deleted account is restored mid-lesson, and says so once', () => {
    const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);
    school.advanceTo(monday(10, 8));
    ws.auth.deleteUser(s.course.teacher.email);
    school.advanceTo(monday(10, 14));
    ws.auth.restoreUser(s.course.teacher.email);
    school.advanceTo(monday(10, 40));
    expect(deletedAt(school, s.course.id)!).toBeLessThanOrEqual(monday(10, 26));
    expect(callsOf(school, link)[0]!.end!).toBeLessThanOrEqual(monday(10, 33));
    expect(
      school
        .mailTo(ADMIN)
        .filter(
          (m) =>
            m.subject === `Safe Live Lessons: working again: acting as ${s.course.teacher.email}`,
        ),
    ).toHaveLength(1);
    expect(mailAbout(school, school.school.slt.email, /NOT ended|still live/)).toEqual([]);
    expect(school.sessionRow(s.lessonId)!.Status).toBe('closed');
  });

  it('takes the link down within a minute when a sole teacher taken off the class is put back on it before the end, with no false alarm', () => {
    const { school, s, ws } = soleTeacherClass();
    school.advanceTo(monday(10, 10));
    takeOffClass(school, s.course.id, s.course.teacher.email);
    school.advanceTo(monday(10, 27));
    ws.classroom.addTeacher(s.course.id, s.course.teacher.email);
    school.advanceTo(monday(10, 40));
    expect(deletedAt(school, s.course.id)!).toBeLessThanOrEqual(monday(10, 28));
    expect(mailAbout(school, school.school.slt.email, /Link still live/)).toEqual([]);
  });

  it('keeps a formula typed as a teacher’s name and class name plain text in the emails and the log when that teacher’s account is deleted', () => {
    const school = new DeployedSchool({ settings: { adminEmails: ADMIN } });
    const { ws } = school;
    const formula = '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/x","A1")';
    const teacher = ws.kernel.directory.add({
      email: `formula.teacher@${school.school.domain}`,
      name: formula,
      kind: 'staff',
    });
    const ta = school.school.courses[0]!.assistant;
    const id = ws.classroom.addCourse({ name: formula, ownerEmail: teacher.email });
    ws.classroom.addTeacher(id, ta.email);
    const pupils = school.school.courses[0]!.pupils;
    for (const p of pupils) ws.classroom.addStudent(id, p.email);
    school.school.courses.push({ id, name: formula, teacher, assistant: ta, pupils });
    const s = scheduleFor(school, { course: school.school.courses.length - 1 });
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(
      school,
      s,
      link,
      pupils.map((p) => p.email),
    );
    school.advanceTo(monday(10, 8));
    ws.auth.deleteUser(teacher.email);
    school.advanceTo(monday(10, 40));
    expect(deletedAt(school, id)!).toBeLessThanOrEqual(monday(10, 26));
    const told = school
      .mailTo(ADMIN)
      .filter((m) => /cannot act as formula\.teacher/.test(m.subject));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(formula);
    // The name is kept as text (Sessions shows it), never as a formula anywhere in the log.
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
  });
});
