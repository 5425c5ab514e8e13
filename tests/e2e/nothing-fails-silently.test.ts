// R28, issue 9: nothing fails silently. Each bad input or fault the issue lists, through the
// shipped bundle on the simulated Workspace: no link live after its lesson, no call running past
// its end plus grace, no entry lost or overwritten, and a person told in plain words. Where
// another file already proves a bullet, the `it` here asserts the same outcome briefly and names
// the test that proves it in full.

import { DELEGATED_SCOPES } from '../../src/adapters/credentials';
import { schoolConfig } from '../bench/purge-bench';
import { eventObject, notificationOf } from '../sim/card-driver';
import { DELEGATION_CLIENT_ID } from '../sim/school';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { mailRows } from './mail-books';
import {
  everyPost,
  fillScriptStore,
  flagCodes,
  roomLink,
  type Scheduled,
  scheduleFor,
} from './scenario-kit';

const HOUR = 60 * MIN;

/** Posts with the link still on the course stream (not deleted), as Classroom holds them. */
function livePosts(school: DeployedSchool, s: Scheduled) {
  return everyPost(school, s.course.id).filter(
    (p) => !p.history.some((h) => h.action === 'deleted'),
  );
}

/** Who is in the lesson's call right now, as Meet holds it. */
function inCall(school: DeployedSchool, link: string): string[] {
  return school.ws.meet.participantsNow(link);
}

/** The log's Status sheet: each row's state and detail, by what it is about. */
function status(school: DeployedSchool): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

/** "Send log" for a lesson, as the card sends it; returns the notification shown. */
function sendLog(school: DeployedSchool, user: string, lessonId: string, shareWithSlt: string) {
  const response = school.run(
    'submitLogAction',
    eventObject({ parameters: { lessonId }, formInputs: { shareWithSlt } }),
    user,
  );
  return notificationOf(response) ?? '';
}

function subjects(school: DeployedSchool, email: string): string[] {
  return school.mailTo(email).map((m) => m.subject);
}

function mailWith(school: DeployedSchool, email: string, subject: string | RegExp) {
  return school
    .mailTo(email)
    .filter((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
}

/** One 10:00-10:30 lesson, "Phonics", its teacher in the call at 09:55; the clock at 09:55. */
function phonicsWithTeacherInAt955() {
  const school = new DeployedSchool({ start: monday(7, 0) });
  const s = scheduleFor(school, { title: 'Phonics' });
  school.advanceTo(monday(9, 55));
  const link = roomLink(school, s);
  expect(school.ws.meet.join(s.course.teacher.email, link)).toBe('joined');
  return { school, s, link };
}

/** One 10:00-10:30 lesson per teacher, each teacher in their call at 09:55; the clock at 10:20. */
function lessonsLiveAt1020(teachers: number) {
  const school = new DeployedSchool({ teachers, pupilsPerCourse: 2, start: monday(7, 0) });
  const lessons = school.school.courses.map((_, course) =>
    scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
  );
  school.advanceTo(monday(9, 55));
  const links = lessons.map((s) => roomLink(school, s));
  lessons.forEach((s, i) => {
    expect(school.ws.meet.join(s.course.teacher.email, links[i]!)).toBe('joined');
  });
  school.advanceTo(monday(10, 20));
  return { school, lessons, links };
}

describe('nothing fails silently (R28, issue 9)', () => {
  it('tells the admin and every teacher with a live lesson within two minutes when delegation is revoked at 10:05, says truthfully what was not done, and loses nothing', () => {
    const school = new DeployedSchool({ teachers: 6, start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const lessons = [0, 1, 2, 3, 4, 5].map((course) =>
      scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
    );
    school.advanceTo(monday(9, 55));
    const links = lessons.map((s) => roomLink(school, s));
    lessons.forEach((s, i) => {
      expect(ws.meet.join(s.course.teacher.email, links[i]!)).toBe('joined');
    });
    school.advanceTo(monday(10, 2));
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);

    // 10:05: an administrator removes the automation's domain-wide delegation and its tokens.
    school.advanceTo(monday(10, 5));
    ws.auth.revokeDelegation(DELEGATION_CLIENT_ID);
    school.advanceTo(monday(10, 7));

    // The admin (SLT: the school named no adminEmails) hears at once, with every lesson's state.
    const alert = mailWith(
      school,
      slt,
      'Safe Live Lessons: the automation cannot act for teachers',
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.body).toMatch(
      /^Since 10:0[56], Google refuses to let the automation act as teachers/,
    );
    expect(alert[0]!.body).toMatch(/it has not done any of these for any lesson since then/);
    for (const s of lessons)
      expect(alert[0]!.body).toContain(
        `Lesson ${lessons.indexOf(s) + 1} (${s.course.name}, ${s.course.teacher.email}): its link is still on Classroom; its call is still running (the automation cannot end it; it was due to end at 10:32).`,
      );
    expect(alert[0]!.body).not.toMatch(/has been ended|room locked/);
    // Each teacher is told what to do, from the sidebar, in steps.
    for (const s of lessons) {
      const told = mailWith(
        school,
        s.course.teacher.email,
        'Safe Live Lessons: please run your lesson from the sidebar',
      );
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toMatch(/its link is on Classroom and its call is running/);
      expect(told[0]!.body).toMatch(/press "End lesson for everyone"/);
    }
    // The lesson card says it first, and the homepage too.
    const card = JSON.stringify(lessons[0]!.teacher.lessonCard(lessons[0]!.lessonId));
    expect(card).toContain('Safe Live Lessons cannot act for you right now');

    // Five teachers end their lessons from the sidebar, as told; the sixth only opens it.
    school.advanceTo(monday(10, 20));
    for (const s of lessons.slice(0, 5)) expect(s.teacher.endLesson(s.lessonId)).toMatch(/ended/i);
    lessons[5]!.teacher.home();
    expect(
      ws.scriptApp
        .triggers()
        .some(
          (t) =>
            t.handlerFunction === 'teacherSweep' && t.owner === lessons[5]!.course.teacher.email,
        ),
    ).toBe(true);
    school.advanceTo(monday(10, 36));
    lessons.slice(0, 5).forEach((s, i) => {
      expect(livePosts(school, s)).toEqual([]);
      expect(inCall(school, links[i]!)).toEqual([]);
    });

    // The sixth lesson's link is still up and its call running: SLT are told so, truthfully.
    expect(livePosts(school, lessons[5]!)).toHaveLength(1);
    expect(inCall(school, links[5]!)).toEqual([lessons[5]!.course.teacher.email]);
    const live = mailWith(school, slt, /^Link still live: Lesson 6/);
    expect(live).toHaveLength(1);
    expect(live[0]!.body).toMatch(
      /Google refuses to let the automation act as the teacher \(domain-wide delegation\), so it could not delete the post, and it cannot end the call, which is still running/,
    );
    expect(live[0]!.body).not.toMatch(/will be ended|has been ended/);
    const notEnded = mailWith(school, slt, /^Call NOT ended: Lesson 6/);
    expect(notEnded).toHaveLength(1);
    expect(notEnded[0]!.body).toMatch(/The call is still running/);

    // 10:40: delegation is given back. The automation takes the sixth lesson down at once, and
    // every lesson reaches the log; the admin hears it works again.
    school.advanceTo(monday(10, 40));
    ws.auth.authorizeDelegation(DELEGATION_CLIENT_ID, DELEGATED_SCOPES);
    school.advanceTo(monday(10, 50));
    expect(livePosts(school, lessons[5]!)).toEqual([]);
    expect(inCall(school, links[5]!)).toEqual([]);
    for (const s of lessons) expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    // The sixth lesson's row says why its link came down late: Google, not the teacher.
    expect(String(school.sessionRow(lessons[5]!.lessonId)!.Flags)).toMatch(
      /google-failed: The automation could not take the link down or end the call on time: Google refused to let the automation act as the teacher \(domain-wide delegation\) \(first at 10:\d\d, last noted at 10:\d\d\)\./,
    );
    expect(subjects(school, slt)).toContain(
      'Safe Live Lessons: working again: Delegation (the automation acting as teachers)',
    );
    expect(ws.kernel.failures).toEqual([]);
  });

  it('logs a lesson Meet could not host as Google’s failure, not the teacher’s absence, and tells the admin within minutes, when every Meet call answers 503 all day', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const s = scheduleFor(school, { title: 'Phonics' });
    // From 07:00, for the rest of the day, Meet answers every request "503 Service Unavailable".
    ws.kernel.faults.inject({ match: 'meet.*', kind: 503 });
    school.advanceTo(monday(10, 0));

    // The room is tried from 09:50; after five runs in a row the admin hears, once.
    const told = mailWith(school, slt, 'Safe Live Lessons: Google Meet is failing');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^Google Meet has failed every create request since 09:5\d \(5 runs in a row; last answer: HTTP 503\)\. While it fails, rooms cannot be made/,
    );
    expect(told[0]!.body).toMatch(/logged as "google-failed", not as the teacher’s absence/);
    expect(status(school).get('Google Meet')?.state).toBe('FAILING');
    // The teacher hears why their room has not opened, and that it is not them.
    const teacher = mailWith(
      school,
      s.course.teacher.email,
      'Safe Live Lessons: Google Meet is not working',
    );
    expect(teacher).toHaveLength(1);
    expect(teacher[0]!.body).toMatch(
      /Phonics \(Year 3 Class A\): its room could not be made yet, and nothing has been posted for pupils\./,
    );

    school.advanceTo(monday(10, 40));
    // Nothing reached pupils, and the log blames Google, not the teacher.
    expect(everyPost(school, s.course.id)).toEqual([]);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('google-failed');
    expect(flagCodes(row)).not.toContain('room-not-opened');
    expect(String(row.Flags)).toMatch(
      /google-failed: The room could not be made: Google Meet failed \(HTTP 503\) \(first at 09:50, last noted at 10:2\d\)\. The lesson did not take place because of Google, not the teacher\./,
    );
    expect(String(row.Flags)).not.toMatch(/did not take place\.$/m);
    // One email about it, not one a minute.
    expect(mailWith(school, slt, /Google Meet is failing/)).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('puts the minute trigger back within ten minutes when someone deletes it mid-lesson, takes the link down and ends the call on time, and tells the admin', () => {
    const { school, s, link } = phonicsWithTeacherInAt955();
    const { ws } = school;
    const automation = school.school.automation.email;
    const slt = school.school.slt.email;
    school.advanceTo(monday(10, 2));
    expect(livePosts(school, s)).toHaveLength(1);

    // 10:05: someone deletes the minute trigger from the script project's Triggers page.
    school.advanceTo(monday(10, 5));
    expect(ws.scriptApp.removeTrigger('monitorTick', automation)).toBe(1);
    school.advanceTo(monday(10, 15));

    // The next job to run (recording collection, every ten minutes) found it late, put its
    // trigger back, ran its pass, and told the admin what happened and what to check.
    const monitors = ws.scriptApp.triggers().filter((t) => t.handlerFunction === 'monitorTick');
    expect(monitors).toHaveLength(1);
    expect(monitors[0]!.owner).toBe(automation);
    const told = mailWith(school, slt, 'Safe Live Lessons: the minute monitor is not running');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The minute monitor had not run since 10:0\d: its trigger had been deleted\. The automation installed it again at 10:1\d, so it runs again from the next minute\./,
    );
    expect(told[0]!.body).toMatch(
      /What it missed \(links to take down, calls to end\) was done at once by the job that found it\./,
    );

    // The lesson then runs to time: the link comes down at 10:25 and the call ends at 10:32.
    school.advanceTo(monday(10, 26));
    expect(livePosts(school, s)).toEqual([]);
    school.advanceTo(monday(10, 33));
    expect(inCall(school, link)).toEqual([]);
    school.advanceTo(monday(10, 40));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    // It runs again, so the admin hears that too, once.
    expect(mailWith(school, slt, /working again: The minute monitor/)).toHaveLength(1);
    expect(mailWith(school, slt, /minute monitor is not running/)).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('tells the admin within the hour that the log spreadsheet is in the Bin, keeps writing it, and loses nothing once it is restored', () => {
    const { school, s, link } = phonicsWithTeacherInAt955();
    const { ws } = school;
    const automation = school.school.automation.email;
    const slt = school.school.slt.email;

    // 10:05: someone signed in as the automation account bins the log in Drive.
    school.advanceTo(monday(10, 5));
    ws.drive.trash(school.logId, automation);
    const sltOpens = () =>
      ws.kernel.runExecution({ user: slt, kind: 'editor', functionName: 'open' }, () =>
        ws.sheets.global().openById(school.logId),
      );
    expect(sltOpens().ok).toBe(false);

    // The lesson runs to time all the same.
    school.advanceTo(monday(10, 33));
    expect(livePosts(school, s)).toEqual([]);
    expect(inCall(school, link)).toEqual([]);

    // The hourly housekeeping (11:00) finds it in the Bin and tells the admin how to restore it.
    school.advanceTo(monday(11, 5));
    const told = mailWith(school, slt, 'Safe Live Lessons: the log spreadsheet is in the Bin');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The log spreadsheet is in the Bin of automation@kenilworth\.sch\.uk \(found there at 11:0\d\)\. SLT and the DSL cannot open it, and Google deletes it for good 30 days after it was binned\. The automation still writes to it, so nothing is lost if it is restored\./,
    );
    expect(told[0]!.body).toMatch(/open Google Drive, Bin, and restore/);
    expect(status(school).get('Log spreadsheet')?.state).toBe('IN THE BIN');

    // Restored: SLT open it, and the lesson's row was written while it was binned.
    ws.drive.untrash(school.logId, automation);
    expect(sltOpens().ok).toBe(true);
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    school.advanceTo(monday(12, 5));
    expect(mailWith(school, slt, /working again: The log spreadsheet/)).toHaveLength(1);
    expect(status(school).get('Log spreadsheet')?.state).toBe('OK');
    expect(ws.kernel.failures.filter((f) => f.execution.user !== slt)).toEqual([]);
  });

  it('tells the admin within the hour when the safeguarding shared drive is deleted, and collection resumes once setup has run again', () => {
    // The recordings side (collection pauses, nothing is lost, the admin and SLT are emailed once
    // a day) is proved in full by tests/e2e/meet-artifacts.test.ts, "pauses collection when the
    // shared drive is deleted, tells the admin once a day, loses nothing, and resumes once setup
    // has run again". Here: no recording is waiting, so only the hourly look can notice.
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    school.advanceTo(monday(9, 5));
    ws.drive.deleteSharedDrive(schoolConfig(school).sharedDriveId);
    school.advanceTo(monday(10, 5));
    const told = mailWith(
      school,
      slt,
      'Safe Live Lessons: the safeguarding shared drive cannot be opened',
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The safeguarding shared drive cannot be opened \(found at 10:0\d: Drive answers that the shared drive does not exist\)\. Until it is back, recordings stay in teachers’ Drives, outside the safeguarding folder; nothing is lost\.\nRun setup again from the script project, signed in as automation@kenilworth\.sch\.uk\./,
    );
    expect(status(school).get('Safeguarding shared drive')?.state).toBe('CANNOT BE OPENED');
    const setup = school.run('setup', {}, school.school.automation.email, 'editor') as {
      lines: string[];
    };
    expect(setup.lines.join('\n')).toMatch(/made the shared drive/);
    school.advanceTo(monday(11, 5));
    expect(mailWith(school, slt, /working again: The safeguarding shared drive/)).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('takes every link down and ends every call on time when the store is at 499 KB as 30 lessons need withdrawing, and tells the admin the store is nearly full', () => {
    const { school, lessons, links } = lessonsLiveAt1020(30);
    const { ws } = school;
    const slt = school.school.slt.email;
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);

    // 10:20: something else has filled the script-properties store to 499 KB of its 500 KB.
    const used = Object.entries(ws.properties.scriptStore()).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    const filler: Record<string, string> = {};
    let left = 499 * 1024 - used;
    for (let i = 0; left > 0; i++) {
      const key = `filler:${i}`;
      const size = Math.min(8_000, left - key.length);
      if (size <= 0) break;
      filler[key] = 'x'.repeat(size);
      left -= key.length + size;
    }
    ws.properties.seedScript(filler);

    // The links come down by 10:27 and the calls end by 10:34, whatever the store refuses.
    school.advanceTo(monday(10, 27));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    school.advanceTo(monday(10, 34));
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    // The admin is told the store is nearly full, in words that say what it means.
    const told = mailWith(
      school,
      slt,
      'Safe Live Lessons: all of the script-properties store (500 KB) used',
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The script-properties store \(500 KB\): all used \(51\d KB\)\. Near the limit new lessons are refused \(at 430 KB\) so that running lessons can still be recorded/,
    );
    // Nothing is lost: each lesson is closed in the log, or waits in the store for room.
    const keys = Object.keys(ws.properties.scriptStore());
    for (const s of lessons)
      expect(
        keys.includes(`lesson:${s.lessonId}`) || school.sessionRow(s.lessonId)?.Status === 'closed',
      ).toBe(true);
    ws.properties.deleteScript(Object.keys(filler));
    school.advanceTo(monday(10, 45));
    for (const s of lessons) expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(ws.kernel.failures).toEqual([]);
  });

  it('closes the lessons, sends the mail and loses no row when the store is so full that not one more byte fits as the lessons end', () => {
    const { school, lessons, links } = lessonsLiveAt1020(4);
    const { ws } = school;
    const slt = school.school.slt.email;

    // 10:20: the store is filled until the simulated Apps Script refuses even one more byte,
    // so every write the product tries from now on (lessons, log places, leases) throws.
    const filler = fillScriptStore(school);

    school.advanceTo(monday(10, 34));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    // The admin hears that the store is full: the mail queue still leaves each run.
    expect(
      mailWith(school, slt, 'Safe Live Lessons: all of the script-properties store (500 KB) used'),
    ).toHaveLength(1);
    // No execution died of the store's exception: each run caught it as a refusal.
    expect(ws.kernel.failures).toEqual([]);
    // Room again: every lesson reaches the log, closed, once.
    ws.properties.deleteScript(filler);
    school.advanceTo(monday(10, 50));
    for (const s of lessons) expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    const ids = school.ws.sheets.table(school.logId, 'Sessions').map((r) => String(r[0]));
    for (const s of lessons) expect(ids.filter((id) => id === s.lessonId)).toHaveLength(1);
  });

  it('tells the admin through the log when MailApp fails every call for an hour, and by email once it works again, losing no email', () => {
    // Proved in full by tests/e2e/mail-queue.test.ts, "sends every queued email once MailApp
    // works again after failing for an hour". Here: the same outcome, and the Status sheet.
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'exception' });
    scheduleFor(school, { title: 'Phonics' });
    school.advanceTo(monday(8, 10));
    expect(ws.mail.outbox()).toEqual([]);
    const failing = mailRows(school).filter((r) => r.Kind === 'mail-failing');
    expect(failing).toHaveLength(1);
    expect(String(failing[0]!.Status)).toMatch(
      /^MAIL FAILING: MailApp has refused every email since 2026-11-23 07:0\d/,
    );
    // The row's state says so too, not "OK" beside a failing detail.
    expect(status(school).get('Email recipients today')?.state).toBe('FAILING');
    expect(status(school).get('Email recipients today')?.detail).toMatch(
      /MailApp FAILING since 07:0\d/,
    );
    ws.kernel.faults.clear();
    school.advance(4 * MIN);
    expect(subjects(school, slt)).toContain('Safe Live Lessons: email is working again');
    expect(mailWith(school, slt, /^Live lesson scheduled: Phonics/)).toHaveLength(1);
  });

  it('refuses 500 log entries a teacher posts for made-up lesson ids, at once, storing none of them', () => {
    // Proved in full by tests/e2e/log-entries.test.ts, "refuses log entries for a lesson that
    // does not exist" (and, for ids old enough to have left the store, "at most five wait").
    const school = new DeployedSchool();
    const teacher = school.school.courses[0]!.teacher.email;
    const before = Object.keys(school.ws.properties.scriptStore()).length;
    for (let i = 0; i < 500; i++)
      expect(sendLog(school, teacher, `L-20261123-${String(i).padStart(6, 'q')}`, 'x')).toBe(
        'That lesson could not be found, so there is no log to write to.',
      );
    expect(Object.keys(school.ws.properties.scriptStore()).length).toBe(before);
  });

  it('keeps teacher A’s entry when teacher B writes on A’s lesson after it left the store, and hands B’s words back to B', () => {
    // Proved in full by tests/e2e/log-entries.test.ts, "keeps the first teacher’s entry when
    // another teacher writes on the lesson after it left the store".
    const school = new DeployedSchool();
    const s = scheduleFor(school, { title: 'Phonics' });
    const other = school.school.courses[1]!.teacher.email;
    school.advanceTo(monday(10, 40));
    expect(
      sendLog(school, s.course.teacher.email, s.lessonId, 'Passed a worry to the DSL'),
    ).toMatch(/sent to SLT/);
    school.advance(2 * MIN);
    const first = String(school.sessionRow(s.lessonId)!['Anything To Share With SLT?']);
    expect(first).toMatch(/Passed a worry to the DSL$/);
    // A week on (the idle days skipped), the lesson has left the store; the log keeps it.
    school.ws.kernel.clock.advanceTo(monday(12) + 8 * 24 * HOUR);
    school.advance(2 * MIN);
    expect(school.lessons().map((l) => l.id)).not.toContain(s.lessonId);
    expect(sendLog(school, other, s.lessonId, 'Nothing to report')).toMatch(/sent to SLT/);
    school.advance(2 * MIN);
    expect(school.sessionRow(s.lessonId)!['Anything To Share With SLT?']).toBe(first);
    const back = school.mailTo(other).filter((m) => m.subject.includes(s.lessonId));
    expect(back).toHaveLength(1);
    expect(back[0]!.body).toContain('Anything to share with SLT: Nothing to report');
  });

  it('refuses a card action replayed with another lesson’s id and changes nothing of that lesson', () => {
    // Proved in full, for every action on the card, by tests/e2e/sidebar-cards.test.ts,
    // "refuses a card action replayed with another teacher’s lesson id".
    const school = new DeployedSchool();
    const { ws } = school;
    const a = scheduleFor(school, { course: 0, title: 'Phonics' });
    const b = scheduleFor(school, { course: 1, title: 'Spelling' });
    school.advanceTo(monday(9, 55));
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    school.advance(MIN);
    expect(livePosts(school, b)).toHaveLength(1);
    for (const action of ['end', 'share', 'open'])
      expect(
        notificationOf(
          school.run(
            'lessonAction',
            eventObject({ parameters: { lessonId: b.lessonId, action } }),
            a.course.teacher.email,
          ),
        ),
      ).toBe('Only the teacher who scheduled this lesson can do that.');
    expect(livePosts(school, b)).toHaveLength(1);
    expect(inCall(school, linkB)).toEqual([b.course.teacher.email]);
    expect(school.lesson(b.lessonId).status).toBe('open');
  });
});
