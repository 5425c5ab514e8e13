// R28, issue 9 (points 1 and 4), through the shipped bundle: the product watches its own
// plumbing. Every automation job adds its run to the health record; the jobs check each other
// and put a deleted trigger back; UrlFetch requests are counted (Apps Script gives no counter);
// the log's Status sheet shows it all; and at 80% of a quota the admin is told.

import type { HealthState } from '../../src/core/health';
import { DeployedSchool, monday } from './deployed-school';
import {
  AUTOMATION_JOBS,
  everyPost,
  roomLink,
  scheduleFor,
  twoLessonsTeacherInAt955,
} from './scenario-kit';

const JOBS = AUTOMATION_JOBS;

function health(school: DeployedSchool): HealthState {
  return JSON.parse(school.ws.properties.scriptStore().health ?? 'null') as HealthState;
}

function status(school: DeployedSchool): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

/** The lesson is in the store with changes the log does not have yet. */
function waitsForLog(school: DeployedSchool, lessonId: string): boolean {
  const lesson = school.lesson(lessonId) as unknown as { version: number; loggedVersion: number };
  return lesson.loggedVersion < lesson.version;
}

function mailWith(school: DeployedSchool, email: string, subject: string | RegExp) {
  return school
    .mailTo(email)
    .filter((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
}

describe('the product watches its own plumbing (R28)', () => {
  it('counts every UrlFetch request the automation makes and shows each job, delegation, the log, the drive and the quotas on the Status sheet', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const automation = school.school.automation.email;
    const s = scheduleFor(school, { title: 'Phonics' });
    let requests = 0;
    const counted = (
      name: string,
      result: { execution: { user: string; calls: { count(p: string): number } } },
    ) => {
      if (JOBS.includes(name) && result.execution.user === automation)
        requests += result.execution.calls.count('urlfetch.request');
    };
    school.advance(monday(9, 55) - ws.now(), counted);
    expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
    school.advance(monday(11, 0) + 30_000 - ws.now(), counted);

    // Counted by the product itself, request for request, as the simulated UrlFetchApp saw them.
    const record = health(school);
    expect(requests).toBeGreaterThan(0);
    expect(record.usage.urlFetch).toBe(requests);
    expect(record.usage.runMs).toBeGreaterThan(0);

    const sheet = status(school);
    expect(sheet.get('Checked at')?.state).toBe('11:00');
    for (const job of [
      'The minute monitor',
      'The hourly housekeeping',
      'Recording collection',
      'The recordings purge',
    ])
      expect(sheet.get(job)).toMatchObject({
        state: 'OK',
        detail: expect.stringMatching(/^last success 1[01]:\d\d;/),
      });
    // The digest runs at 07:00: after setup this morning, it is not due until tomorrow.
    expect(sheet.get('The daily digest')).toMatchObject({
      state: 'not run yet',
      detail: expect.stringMatching(/^installed 07:0\d$/),
    });
    expect(sheet.get('Delegation (acting as teachers)')).toMatchObject({
      state: 'OK',
      detail: expect.stringMatching(/^worked at 1[01]:\d\d$/),
    });
    expect(sheet.get('Log spreadsheet')?.state).toBe('OK');
    expect(sheet.get('Safeguarding shared drive')?.state).toBe('OK');
    expect(sheet.get('Script-properties store')?.detail).toMatch(/^\d+ KB of 500 KB \(\d+%\)$/);
    expect(sheet.get('UrlFetch calls today')).toMatchObject({
      state: 'OK',
      detail: expect.stringMatching(/^[\d,]+ of 100,000 \(\d+%\) since 07:0\d$/),
    });
    expect(sheet.get('Trigger run time today')?.detail).toMatch(/^\d+ of 360 minutes \(\d+%\)$/);
    const recipients = ws.mail.outbox().reduce((n, m) => n + m.to.length, 0);
    expect(sheet.get('Email recipients today')?.detail).toMatch(
      new RegExp(
        `^${recipients} of 1,500 \\(\\d+%\\); the product itself stops non-urgent mail at 450$`,
      ),
    );
    // Only the automation writes it, like the other sheets it writes.
    const protection = ws.sheets.protections(school.logId).find((p) => p.sheet === 'Status');
    expect(protection).toMatchObject({ type: 'SHEET', warningOnly: false, editors: [automation] });
    expect(ws.kernel.failures).toEqual([]);
  });

  it('lets the minute monitor notice the hourly housekeeping has stopped, put its trigger back, and tell the admin', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    school.advanceTo(monday(8, 30));
    expect(ws.scriptApp.removeTrigger('hourlyHousekeeping', school.school.automation.email)).toBe(
      1,
    );
    school.advanceTo(monday(9, 30));

    const told = mailWith(school, slt, 'Safe Live Lessons: the hourly housekeeping is not running');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The hourly housekeeping had not run since 08:00: its trigger had been deleted\. The automation installed it again at 09:1\d, so it runs again from the next minute\.\nWhat it missed is done at its next run\./,
    );
    expect(
      ws.scriptApp.triggers().filter((t) => t.handlerFunction === 'hourlyHousekeeping'),
    ).toHaveLength(1);
    school.advanceTo(monday(10, 30));
    expect(health(school).jobs.housekeeping?.lastOk).toBeGreaterThan(monday(10, 0));
    expect(mailWith(school, slt, /working again: The hourly housekeeping/)).toHaveLength(1);
    expect(mailWith(school, slt, /hourly housekeeping is not running/)).toHaveLength(1);
  });

  it('lets the hourly jobs notice the minute monitor and the ten-minute collection have both stopped, put both back, and run the monitor’s pass themselves at once', () => {
    const {
      school,
      ws,
      automation,
      slt,
      a: s,
      b: later,
      linkA: link,
    } = twoLessonsTeacherInAt955(monday(11, 30));
    school.advanceTo(monday(10, 5));
    ws.scriptApp.removeTrigger('monitorTick', automation);
    ws.scriptApp.removeTrigger('collectRecordings', automation);

    // With both gone, nothing looks until the hourly jobs at 11:00: the link stays up past the
    // lesson (the truth the admin is told). The hourly job's own pass takes it down and ends
    // the call before the monitor's new trigger first fires.
    school.advanceTo(monday(10, 59));
    expect(
      everyPost(school, s.course.id).filter((p) => !p.history.some((h) => h.action === 'deleted')),
    ).toHaveLength(1);
    school.advanceTo(monday(11, 0) + 50_000);
    expect(
      everyPost(school, s.course.id).filter((p) => !p.history.some((h) => h.action === 'deleted')),
    ).toEqual([]);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    for (const job of ['the minute monitor', 'recording collection'])
      expect(mailWith(school, slt, `Safe Live Lessons: ${job} is not running`)).toHaveLength(1);
    const handlers = ws.scriptApp.triggers().map((t) => t.handlerFunction);
    for (const handler of JOBS) expect(handlers.filter((h) => h === handler)).toHaveLength(1);
    // The monitor runs again: the 11:30 lesson opens on time, and the late one reaches the log.
    school.advanceTo(monday(11, 22));
    expect(school.lesson(later.lessonId).status).toBe('open');
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(ws.kernel.failures).toEqual([]);
  });

  // Was a gap: with the monitor's trigger installed but not firing, the admin was told, and the
  // email said "teachers must run their lessons from the sidebar", but no teacher was told and
  // the sidebar offered nothing: links stayed up and calls ran on until someone noticed.
  it('tells each teacher with a lesson at risk, and their sidebar, to run it themselves when Google stops firing the minute monitor; the lessons run safely from the sidebar', () => {
    const { school, ws, automation, slt, a, b, linkA } = twoLessonsTeacherInAt955();
    school.advanceTo(monday(10, 4) + 30_000);
    expect(everyPost(school, a.course.id)).toHaveLength(1);
    // 10:05 Google stops firing the monitor's trigger; it is still installed.
    ws.scriptApp.stallTrigger('monitorTick', automation);

    // 10:10 the collection job sees the monitor late: the admin hears, teachers not yet.
    school.advanceTo(monday(10, 11));
    expect(
      mailWith(school, slt, 'Safe Live Lessons: the minute monitor is not running'),
    ).toHaveLength(1);
    const runIt = 'Safe Live Lessons: please run your lesson from the sidebar';
    expect(mailWith(school, a.course.teacher.email, runIt)).toEqual([]);
    expect(JSON.stringify(a.teacher.lessonCard(a.lessonId))).not.toContain('minute monitor');

    // 10:20, the monitor silent for over ten minutes: each teacher with a lesson open or starting
    // within the hour is told, once, what to do; their sidebar says it too.
    school.advanceTo(monday(10, 21));
    for (const s of [a, b]) {
      const told = mailWith(school, s.course.teacher.email, runIt);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toMatch(
        /its minute monitor, which opens rooms, shares links, takes them down and ends calls, has not run since 10:0\d/,
      );
      expect(told[0]!.body).toMatch(/press "End lesson for everyone"/);
    }
    expect(JSON.stringify(a.teacher.lessonCard(a.lessonId))).toContain(
      'Safe Live Lessons is not acting for you right now: its minute monitor has stopped running.',
    );
    expect(JSON.stringify(b.teacher.home())).toMatch(/its minute monitor has not run since 10:0\d/);

    // Lesson B's teacher opens the room and shares from the sidebar; lesson A's ends it there.
    expect(b.teacher.act(b.lessonId, 'Open room')).toMatch(/open/i);
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    expect(b.teacher.act(b.lessonId, 'Share with class')).toMatch(/shared|Classroom/i);
    expect(everyPost(school, b.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 26));
    expect(a.teacher.endLesson(a.lessonId)).toMatch(/ended/i);
    expect(everyPost(school, a.course.id)[0]!.history.some((h) => h.action === 'deleted')).toBe(
      true,
    );
    expect(ws.meet.participantsNow(linkA)).toEqual([]);
    // Nobody is told twice while it lasts.
    school.advanceTo(monday(10, 50));
    for (const s of [a, b]) expect(mailWith(school, s.course.teacher.email, runIt)).toHaveLength(1);

    // 10:50 Google fires the trigger again: the monitor takes lesson B on; the sidebar is quiet.
    ws.scriptApp.resumeTrigger('monitorTick', automation);
    school.advanceTo(monday(10, 53));
    expect(JSON.stringify(b.teacher.lessonCard(b.lessonId))).not.toContain('minute monitor');
    school.advanceTo(monday(11, 10));
    expect(everyPost(school, b.course.id)[0]!.history.some((h) => h.action === 'deleted')).toBe(
      true,
    );
    expect(ws.meet.participantsNow(linkB)).toEqual([]);
    for (const s of [a, b]) expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(
      mailWith(school, slt, 'Safe Live Lessons: working again: The minute monitor'),
    ).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('tells the admin from a teacher’s sidebar, once, when every job of the automation has stopped and none is left to say so', () => {
    const { school, ws, automation, slt, a, b } = twoLessonsTeacherInAt955();
    school.advanceTo(monday(10, 4) + 30_000);
    // 10:05 the automation account's authorisation is lost: Google fires none of its triggers.
    for (const job of JOBS) ws.scriptApp.stallTrigger(job, automation);
    school.advanceTo(monday(10, 20));
    expect(school.mailTo(slt).filter((m) => /not running/.test(m.subject))).toEqual([]);

    // 10:20 lesson A's teacher opens the sidebar: it says what to do, and the admin hears.
    expect(JSON.stringify(a.teacher.home())).toMatch(/its minute monitor has not run since 10:0\d/);
    const told = mailWith(school, slt, 'Safe Live Lessons: the minute monitor is not running');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      new RegExp(
        `^Found by the Safe Live Lessons sidebar of ${a.course.teacher.email}: none of the automation's own jobs has run to tell you\\.\\nThe minute monitor has not run since 10:0\\d`,
      ),
    );
    // Another teacher's sidebar, a minute later, does not tell again.
    school.advanceTo(monday(10, 21));
    b.teacher.home();
    a.teacher.home();
    expect(
      mailWith(school, slt, 'Safe Live Lessons: the minute monitor is not running'),
    ).toHaveLength(1);

    // 10:40 the automation runs again; its first runs say so.
    for (const job of JOBS) ws.scriptApp.resumeTrigger(job, automation);
    school.advanceTo(monday(10, 45));
    expect(
      mailWith(school, slt, 'Safe Live Lessons: working again: The minute monitor'),
    ).toHaveLength(1);
    expect(ws.kernel.failures).toEqual([]);
  });

  it('tells the admin when the log spreadsheet is deleted for good, keeps the lessons waiting, and writes them to the log setup makes', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const automation = school.school.automation.email;
    const s = scheduleFor(school, { title: 'Phonics' });
    school.advanceTo(monday(9, 55));
    expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
    school.advanceTo(monday(10, 5));
    const old = school.logId;
    ws.drive.deleteForever(old);
    school.advanceTo(monday(11, 5));

    const told = mailWith(school, slt, 'Safe Live Lessons: the log spreadsheet cannot be opened');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The log spreadsheet cannot be opened \(found at 11:0\d: Drive has no such file: it was deleted for good\)\. Lessons, attendance and staff entries wait in the script's store/,
    );
    expect(waitsForLog(school, s.lessonId)).toBe(true);
    // Two hours on, one email for one cause: the housekeeping that cannot read the log is not
    // reported apart, and the log is not told again before a day has passed.
    school.advanceTo(monday(12, 30));
    expect(health(school).jobs.housekeeping?.lastError?.what).toMatch(/log spreadsheet/);
    expect(mailWith(school, slt, /housekeeping is failing/)).toEqual([]);
    expect(mailWith(school, slt, /log spreadsheet cannot be opened/)).toHaveLength(1);
    expect(waitsForLog(school, s.lessonId)).toBe(true);

    const setup = school.run('setup', {}, automation, 'editor') as { spreadsheetId: string };
    expect(setup.spreadsheetId).not.toBe(old);
    school.logId = setup.spreadsheetId;
    school.advanceTo(monday(12, 35));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(school.attendance(s.lessonId).length).toBeGreaterThan(0);
    school.advanceTo(monday(13, 5));
    expect(mailWith(school, slt, /working again: The log spreadsheet/)).toHaveLength(1);
  });

  it('tells the admin once a day when the store passes 80% of its 500 KB', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    school.advanceTo(monday(8, 0));
    ws.properties.seedScript(
      Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`other:${i}`, 'x'.repeat(8_000)])),
    );
    school.advanceTo(monday(9, 0));
    const told = mailWith(
      school,
      slt,
      /^Safe Live Lessons: 8\d% of the script-properties store \(500 KB\) used$/,
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(
      /^The script-properties store \(500 KB\): 8\d% used \(4\d\d KB\)\. /,
    );
    expect(told[0]!.body).toMatch(/Do not delete the script’s properties by hand/);
    expect(told[0]!.body).toContain(
      'https://developers.google.com/apps-script/guides/services/quotas',
    );
    school.advanceTo(monday(16, 0));
    expect(mailWith(school, slt, /of the script-properties store/)).toHaveLength(1);
    expect(status(school).get('Script-properties store')?.state).toBe('OVER 80%');
  });

  it('tells the admin within the hour when lessons scheduled ahead fill their share of the store and a teacher is refused, though the store as a whole is under 80%', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const first = scheduleFor(school, { title: 'Phonics', start: monday(14) });
    school.advanceTo(monday(8, 5)); // logged and told to SLT
    // The rest of a school bigger than the product's full size has scheduled the next day:
    // copies of that lesson, logged and told, each a record in the store's plain-JSON form
    // (about 1 KB), until they fill the lessons' share (360 KB of the 500 KB). Lessons that
    // start within a day are never packed (lessons further ahead are: see lessons-ahead.test.ts).
    const template = school.lesson(first.lessonId);
    const tomorrow = monday(9) + 24 * 60 * 60_000;
    const ahead: Record<string, string> = {};
    let bytes = 0;
    for (let i = 0; bytes < 360_000; i++) {
      const id = `L-ahead-${String(i).padStart(4, '0')}`;
      const start = tomorrow - 60 * 60_000 - (i % 600) * 60_000;
      const value = JSON.stringify({ ...template, id, start, end: start + 30 * 60_000 });
      ahead[`lesson:${id}`] = value;
      bytes += `lesson:${id}`.length + value.length;
    }
    ws.properties.seedScript(ahead);
    const total = Object.entries(ws.properties.scriptStore()).reduce(
      (n, [k, v]) => n + k.length + v.length,
      0,
    );
    expect(total).toBeLessThan(400_000); // under 80% of 500 KB: the store's own warning is silent

    // A teacher is refused, and told why on the card.
    const course = school.school.courses[0]!;
    const refused = school.sidebar(course.teacher.email).schedule({
      title: 'Fractions',
      start: monday(15),
      minutes: 30,
      secondStaff: course.assistant.email,
      courseId: course.id,
    });
    expect(refused.lessonId).toBeNull();
    expect(refused.message).toMatch(/The lesson store is full/);

    // The admin hears within the hour, in words that say what teachers now meet and what to do.
    school.advanceTo(monday(9, 10));
    const told = mailWith(school, slt, /lessons’ share of the store/);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toMatch(
      /^Safe Live Lessons: (all|\d\d%) of the lessons’ share of the store \(360 KB\) used$/,
    );
    expect(told[0]!.body).toMatch(/\d{3} lessons/);
    expect(told[0]!.body).toMatch(/refused/);
    expect(told[0]!.body).toMatch(/fewer days ahead/);
    expect(mailWith(school, slt, /of the script-properties store/)).toHaveLength(0);
    expect(status(school).get('Lessons’ share of the store')?.state).toMatch(/OVER 80%|FULL/);

    // Told once, not every hour, while it stays full.
    school.advanceTo(monday(16, 0));
    expect(mailWith(school, slt, /lessons’ share of the store/)).toHaveLength(1);
  });
});
