// Acceptance probes (R10, R18, R28) of failure at full size and in combination, which the
// single-fault tests (resilience, log-cannot-be-written, nothing-fails-silently, mail-queue,
// mail-quota, health) do not try: forty lessons in the same minute while the log spreadsheet is
// deleted for good and MailApp refuses every call for over an hour; Classroom answering 503
// (UNAVAILABLE, "retry": https://cloud.google.com/apis/design/errors) for twenty minutes as
// fifty lessons start, or as forty must be withdrawn; the monitor killed at Apps Script's
// 6 minutes (https://developers.google.com/apps-script/guides/services/quotas) in the middle of
// its batch of posts, of withdrawals and of ends; a second monitor run started in the middle of
// the first's batches; the script-properties store (500 KB, same page) full as thirty teachers
// join, and for half an hour; MailApp and Classroom failing together as twenty links must come
// down. Each test drives the shipped bundle and asserts what the simulated Classroom, Meet,
// Calendar, the log spreadsheet and the mail outbox hold.
//
// Tests marked `it.failing` pin a defect found by this probe: they pass while the product falls
// short of the policy and start failing (so someone looks) once it is fixed. Each says which
// assertion fails today and what the Workspace held instead.

import { DeployedSchool, MIN, monday } from './deployed-school';
import {
  everyPost,
  fillScriptStore,
  flagCodes,
  roomLink,
  type Scheduled,
  scheduleFor,
} from './scenario-kit';

const HOUR = 60 * MIN;

/** `count` lessons 10:00-10:30, one per teacher, scheduled at 07:00; the clock at 09:55. */
function busyMinute(count: number, options: { pupils?: number } = {}) {
  const school = new DeployedSchool({
    teachers: count,
    pupilsPerCourse: options.pupils ?? 2,
    start: monday(7, 0),
  });
  const lessons = school.school.courses.map((_, course) =>
    scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
  );
  school.advanceTo(monday(9, 55));
  const links = lessons.map((s) => roomLink(school, s));
  return { school, lessons, links };
}

/** Every teacher joins their room, and then their TA and pupils once the link is up. */
function teachersJoin(school: DeployedSchool, lessons: Scheduled[], links: string[]): void {
  lessons.forEach((s, i) => {
    expect(school.ws.meet.join(s.course.teacher.email, links[i]!)).toBe('joined');
  });
}

function admitAll(school: DeployedSchool, s: Scheduled, link: string): void {
  for (const who of [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]) {
    const outcome = school.ws.meet.join(who, link);
    if (outcome === 'knocking') school.ws.meet.admit(s.course.teacher.email, link, who);
  }
}

/** Posts of this lesson on its course stream, deleted or not. */
function posts(school: DeployedSchool, s: Scheduled) {
  return everyPost(school, s.course.id).filter((p) =>
    (p.text ?? '').includes(`(lesson ${s.lessonId})`),
  );
}

function livePosts(school: DeployedSchool, s: Scheduled) {
  return posts(school, s).filter((p) => !p.history.some((h) => h.action === 'deleted'));
}

function inCall(school: DeployedSchool, link: string): string[] {
  return school.ws.meet.participantsNow(link);
}

function subjects(school: DeployedSchool, email: string): string[] {
  return school.mailTo(email).map((m) => m.subject);
}

function sessionIds(school: DeployedSchool): string[] {
  return school.sessions().map((r) => String(r[0]));
}

describe('forty lessons in one minute while the log is deleted and MailApp fails for an hour', () => {
  it('withdraws every link and ends every call on time, writes every row once to the new log, and tells the admin of both once mail works', () => {
    const { school, lessons, links } = busyMinute(40);
    const { ws } = school;
    const slt = school.school.slt.email;
    const automation = school.school.automation.email;
    teachersJoin(school, lessons, links);
    school.advanceTo(monday(10, 1));
    lessons.forEach((s, i) => {
      admitAll(school, s, links[i]!);
    });
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);

    // 10:10: the log spreadsheet is deleted for good, and MailApp refuses every call until 11:10.
    school.advanceTo(monday(10, 10));
    const old = school.logId;
    ws.drive.deleteForever(old);
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'exception' });

    school.advanceTo(monday(10, 26));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    school.advanceTo(monday(10, 33));
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    for (const s of lessons) expect(posts(school, s)).toHaveLength(1);

    school.advanceTo(monday(11, 45));
    expect(ws.mail.outbox().filter((m) => m.at > monday(10, 10))).toEqual([]);
    ws.kernel.faults.clear();
    school.advanceTo(monday(11, 55));
    const told = subjects(school, slt);
    expect(told).toContain('Safe Live Lessons: the log spreadsheet cannot be opened');
    expect(told).toContain('Safe Live Lessons: email is working again');

    const setup = school.run('setup', {}, automation, 'editor') as { spreadsheetId: string };
    school.logId = setup.spreadsheetId;
    school.advanceTo(monday(12, 5));
    const ids = sessionIds(school);
    for (const s of lessons) {
      expect(ids.filter((id) => id === s.lessonId)).toHaveLength(1);
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(school.attendance(s.lessonId).length).toBeGreaterThan(0);
    }
    expect(ws.kernel.failures).toEqual([]);
  });
});

describe('Google Classroom answering 503 for twenty minutes at full size', () => {
  it('posts every link once when Classroom answers again, tells the admin, tells each teacher waiting in the call why once, and logs why the link was late', () => {
    // Before the fix, each teacher sat in their call from 09:55 to 10:15 with no word (their
    // card said "join it, then share with the class"), and the Sessions row had no flag saying
    // the link went up twenty minutes late because of Google (only "no-second-staff").
    const { school, lessons, links } = busyMinute(50);
    const { ws } = school;
    const slt = school.school.slt.email;
    ws.kernel.faults.inject({ match: 'classroom.*', kind: 503 });
    teachersJoin(school, lessons, links);
    school.advanceTo(monday(10, 15));
    for (const s of lessons) expect(posts(school, s)).toEqual([]);
    expect(subjects(school, slt)).toContain('Safe Live Lessons: Google Classroom is failing');
    for (const [i, s] of lessons.entries()) {
      const told = school
        .mailTo(s.course.teacher.email)
        .filter((m) => m.subject === `Link NOT shared yet: Lesson ${i + 1} (${s.course.name})`);
      expect(told).toHaveLength(1);
      expect(told[0]!.at).toBeLessThanOrEqual(monday(10, 0));
      expect(told[0]!.body).toMatch(
        /^Google Classroom has not taken the link of lesson \S+ \(.+\) since 09:5\d \(HTTP 503\), so the class does not have it yet and pupils cannot join\./,
      );
    }
    ws.kernel.faults.clear();
    school.advanceTo(monday(10, 18));
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 33));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    for (const s of lessons) expect(posts(school, s)).toHaveLength(1);
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    school.advanceTo(monday(10, 45));
    for (const s of lessons) {
      const row = school.sessionRow(s.lessonId);
      expect(row?.Status).toBe('closed');
      expect(flagCodes(row)).toContain('google-failed');
      expect(String(row?.Flags)).toMatch(
        /google-failed: The link went up on Classroom at 10:1\d, 2\d minutes late: Google Classroom failed to take it from 09:5\d\. Pupils could not join before then\./,
      );
      // Told once: no second "not shared yet" however long it lasted.
      expect(
        subjects(school, s.course.teacher.email).filter((x) => /NOT shared/.test(x)),
      ).toHaveLength(1);
    }
  });

  it('ends every call on time, tells SLT the links are still live, and takes them down once Classroom answers, when it fails from 10:24 to 10:44', () => {
    const { school, lessons, links } = busyMinute(40, { pupils: 2 });
    const { ws } = school;
    const slt = school.school.slt.email;
    teachersJoin(school, lessons, links);
    school.advanceTo(monday(10, 2));
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 24));
    ws.kernel.faults.inject({ match: 'classroom.*', kind: 503 });
    school.advanceTo(monday(10, 33));
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    const live = school.mailTo(slt).filter((m) => /^Link still live:/.test(m.subject));
    expect(live.length).toBeGreaterThan(0);
    school.advanceTo(monday(10, 44));
    ws.kernel.faults.clear();
    school.advanceTo(monday(10, 47));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    school.advanceTo(monday(11, 0));
    for (const s of lessons) {
      const row = school.sessionRow(s.lessonId);
      expect(row?.Status).toBe('closed');
      expect(flagCodes(row)).toContain('google-failed');
    }
  });
});

describe('Classroom refusing only deletes for forty minutes while it takes posts', () => {
  // Was a DEFECT: the product counted a Google service as working again whenever one call of a
  // run was answered, so with deletes failing and posts answered SLT got "Google Classroom is
  // failing" and "working again: Google Classroom" by turns, thirteen emails in an hour, and
  // each "working again" was untrue (the links could still not come down).
  it('tells SLT once which requests fail, and that it works again only once a delete is answered', () => {
    const school = new DeployedSchool({ teachers: 6, pupilsPerCourse: 2, start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    // Six lessons, one starting every ten minutes from 10:00, each thirty minutes long.
    const lessons = school.school.courses.map((_, course) =>
      scheduleFor(school, { course, start: monday(10, course * 10), secondStaff: null }),
    );
    school.advanceTo(monday(9, 54));
    let classroomFailsFrom = 0;
    for (let minute = 0; minute < 90; minute++) {
      const now = ws.now();
      for (const [i, s] of lessons.entries())
        if (now >= monday(9, 54 + i * 10) && now < monday(9, 55 + i * 10))
          expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
      if (!classroomFailsFrom && now >= monday(10, 20)) {
        ws.kernel.faults.inject({ match: 'classroom.courses.announcements.delete', kind: 503 });
        classroomFailsFrom = now;
      }
      if (now >= monday(11, 0) && now < monday(11, 1)) ws.kernel.faults.clear();
      school.advance(MIN);
    }
    // Every link went up while Classroom refused deletes.
    for (const s of lessons) expect(everyPost(school, s.course.id)).toHaveLength(1);
    const about = school
      .mailTo(slt)
      .filter((m) => /Google Classroom/.test(m.subject))
      .map((m) => ({ at: m.at, subject: m.subject, body: m.body }));
    expect(about.map((m) => m.subject)).toEqual([
      'Safe Live Lessons: Google Classroom is failing',
      'Safe Live Lessons: working again: Google Classroom',
    ]);
    const [failing, again] = about;
    expect(failing!.body).toMatch(
      /^Google Classroom has failed every delete request \(it answers the others\) since 10:2\d \(5 runs in a row; last answer: HTTP 503\)/,
    );
    expect(again!.at).toBeGreaterThanOrEqual(monday(11, 0));
    // The links held up while deletes failed came down once Classroom took deletes again.
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
  });
});

/** During the `nth` call matching `key` of the next monitor run, that run hangs past 6 minutes. */
function killDuring(school: DeployedSchool, key: string, nth: number): void {
  let seen = 0;
  school.ws.kernel.duringCall(
    key,
    () => {
      seen += 1;
      if (seen === nth) school.ws.kernel.clock.advance(7 * MIN);
    },
    nth,
  );
}

describe('the minute monitor killed at 6 minutes in the middle of its batch (40 lessons)', () => {
  it('posts each link once, withdraws each once, ends each call, and writes each row once', () => {
    const { school, lessons, links } = busyMinute(40, { pupils: 2 });
    const { ws } = school;
    let killed = 0;
    const count = (_name: string, r: { killed: boolean }) => {
      if (r.killed) killed += 1;
    };
    killDuring(school, 'classroom.courses.announcements.create', 20);
    teachersJoin(school, lessons, links);
    school.advance(8 * MIN, count);
    expect(killed).toBe(1);
    for (const s of lessons) expect(posts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 24));
    killDuring(school, 'classroom.courses.announcements.delete', 20);
    school.advance(2 * MIN, count);
    expect(killed).toBe(2);
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    school.advanceTo(monday(10, 31));
    killDuring(school, 'meet.spaces.endActiveConference', 20);
    school.advance(3 * MIN, count);
    expect(killed).toBe(3);
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    school.advanceTo(monday(10, 50));
    const ids = sessionIds(school);
    for (const s of lessons) {
      expect(posts(school, s)).toHaveLength(1);
      expect(ids.filter((id) => id === s.lessonId)).toHaveLength(1);
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    }
    expect(ws.kernel.failures.filter((f) => !f.execution.killed)).toEqual([]);
  });
});

describe('two monitor runs at once at full size (40 lessons)', () => {
  it('never posts a link twice or ends a call twice when a second run starts in the middle of the first’s posts and of its ends', () => {
    const { school, lessons, links } = busyMinute(40, { pupils: 2 });
    const { ws } = school;
    const automation = school.school.automation.email;
    const second: unknown[] = [];
    const overlap = () => {
      second.push(school.tryRun('monitorTick', {}, automation, 'trigger').value);
    };
    ws.kernel.duringCall('classroom.courses.announcements.create', overlap);
    teachersJoin(school, lessons, links);
    school.advance(3 * MIN);
    expect(second).toHaveLength(1);
    for (const s of lessons) expect(posts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 24));
    ws.kernel.duringCall('classroom.courses.announcements.delete', overlap);
    school.advanceTo(monday(10, 31));
    ws.kernel.duringCall('meet.spaces.endActiveConference', overlap);
    school.advanceTo(monday(10, 50));
    expect(second).toHaveLength(3);
    const ids = sessionIds(school);
    for (const s of lessons) {
      expect(posts(school, s)).toHaveLength(1);
      expect(livePosts(school, s)).toEqual([]);
      expect(ids.filter((id) => id === s.lessonId)).toHaveLength(1);
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    }
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    // Ending is safe to repeat and claims nothing (end-calls.ts), so both runs may end a call;
    // neither mistakes the other's end for Meet refusing.
    expect(ws.mail.outbox().filter((m) => /NOT ended|NOT locked/.test(m.subject))).toEqual([]);
    expect(ws.kernel.failures).toEqual([]);
  });
});

describe('the script-properties store full as thirty teachers join', () => {
  it('posts no link it could not record, says so truthfully to the teacher who clicks Share and to one who schedules, and shares every link once there is room', () => {
    // Before the fix, the Share click answered "The link could not be shared yet. Please try
    // again." and scheduling answered "too many lessons are scheduled ahead. Schedule fewer
    // lessons in advance, or ask SLT to cancel unneeded ones", though no lesson filled the store.
    const { school, lessons, links } = busyMinute(30);
    const { ws } = school;
    const slt = school.school.slt.email;
    // 09:55: something else the automation account runs fills the store to its last byte.
    const filler = fillScriptStore(school);
    teachersJoin(school, lessons, links);
    school.advanceTo(monday(10, 5));
    // No post is made that the product could not record, and so not take down on time.
    for (const s of lessons) expect(posts(school, s)).toEqual([]);
    expect(subjects(school, slt)).toContain(
      'Safe Live Lessons: all of the script-properties store (500 KB) used',
    );
    const first = lessons[0]!;
    expect(first.teacher.act(first.lessonId, 'Share with class')).toBe(
      "The link could not be shared: the script's store is full, so the automation cannot record a post it would need to take down on time. Pupils do not have the link. The school's admin has been told and must make room; the automation shares it within a minute once there is.",
    );
    const events = ws.calendar.events(first.course.teacher.email).length;
    const result = first.teacher.schedule({
      title: 'Tomorrow',
      start: monday(10) + 24 * HOUR,
      courseId: first.course.id,
      secondStaff: first.course.assistant.email,
    });
    expect(result.lessonId).toBeNull();
    expect(result.message).toBe(
      "The script's store is full (500 KB), and not with lessons: the school's admin has been told and must make room. Nothing was scheduled; please try again later.",
    );
    expect(ws.calendar.events(first.course.teacher.email)).toHaveLength(events);

    // 10:05: the admin makes room. Every link goes up once, comes down on time, every call ends.
    ws.properties.deleteScript(filler);
    school.advanceTo(monday(10, 7));
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    school.advanceTo(monday(10, 33));
    for (const s of lessons) expect(livePosts(school, s)).toEqual([]);
    for (const s of lessons) expect(posts(school, s)).toHaveLength(1);
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    school.advanceTo(monday(10, 50));
    const ids = sessionIds(school);
    for (const s of lessons) {
      expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
      expect(ids.filter((id) => id === s.lessonId)).toHaveLength(1);
    }
    expect(ws.kernel.failures).toEqual([]);
  });
});

describe('the store full for half an hour while the monitor runs every minute', () => {
  // Was a DEFECT. The monitor runs every minute and does its safety steps, but its run cannot be
  // added to the health record (a script property) while the store is full. At 10:00 the hourly
  // job reads a record whose last monitor run is 09:54 and emails the admin "Safe Live Lessons:
  // the minute monitor is not running ... Its trigger may have been deleted. Run setup again",
  // and at 10:15 "the hourly housekeeping is not running": false causes, and advice that does
  // not help, on top of the true "all of the script-properties store (500 KB) used".
  // Now each run the store refuses is kept as a heartbeat in the script cache (app/health.ts),
  // and a job that ran is not taken for one that stopped.
  it('does not tell the admin that the minute monitor or the housekeeping is not running while both run', () => {
    const { school, lessons, links } = busyMinute(3);
    const slt = school.school.slt.email;
    fillScriptStore(school);
    teachersJoin(school, lessons, links);
    const ran = new Map<string, number>();
    school.advance(35 * MIN, (name, result) => {
      if (result.ok) ran.set(name, (ran.get(name) ?? 0) + 1);
    });
    expect(ran.get('monitorTick')).toBeGreaterThanOrEqual(35);
    expect(ran.get('hourlyHousekeeping')).toBeGreaterThanOrEqual(1);
    expect(subjects(school, slt)).toContain(
      'Safe Live Lessons: all of the script-properties store (500 KB) used',
    );
    expect(subjects(school, slt).filter((x) => /is not running/.test(x))).toEqual([]);
  });
});

describe('MailApp and Classroom both failing from 10:20 as twenty links must come down', () => {
  /** The log's Status sheet: each row's state and detail, in order. */
  function statusRows(school: DeployedSchool): { what: string; state: string; detail: string }[] {
    const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
    return rows.map((r) => ({ what: String(r[0]), state: String(r[1]), detail: String(r[2]) }));
  }

  function bothFailFrom1020() {
    const { school, lessons, links } = busyMinute(20);
    const { ws } = school;
    teachersJoin(school, lessons, links);
    school.advanceTo(monday(10, 20));
    ws.kernel.faults.inject({ match: 'mail.*', kind: 'exception' });
    ws.kernel.faults.inject({ match: 'classroom.*', kind: 503 });
    school.advanceTo(monday(11, 5));
    return { school, lessons, links };
  }

  it('ends every call on time, flags each lesson, and sends every "Link still live" once mail and Classroom work again', () => {
    const { school, lessons, links } = bothFailFrom1020();
    const { ws } = school;
    const slt = school.school.slt.email;
    for (const link of links) expect(inCall(school, link)).toEqual([]);
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);
    expect(ws.mail.outbox().filter((m) => m.at > monday(10, 20))).toEqual([]);
    expect(statusRows(school).find((r) => r.what === 'Google Classroom')?.state).toBe('FAILING');
    expect(statusRows(school).find((r) => r.what === 'Email recipients today')?.state).toBe(
      'FAILING',
    );
    ws.kernel.faults.clear();
    school.advanceTo(monday(11, 45));
    for (const [i, s] of lessons.entries()) {
      expect(livePosts(school, s)).toEqual([]);
      expect(
        school
          .mailTo(slt)
          .filter((m) => m.subject === `Link still live: Lesson ${i + 1} (${s.course.name})`),
      ).toHaveLength(1);
      const row = school.sessionRow(s.lessonId);
      expect(row?.Status).toBe('closed');
      expect(flagCodes(row)).toEqual(
        expect.arrayContaining(['link-withdraw-late', 'google-failed']),
      );
    }
  });

  // Was a DEFECT. At 11:05 the Status sheet's open problem for Classroom reads "since 10:24; admin told 10:28",
  // but MailApp refused that email (and every email) from 10:20 until 11:05: the admin was not
  // told. The row recorded when the notice was queued, not that it left. Now it says the email
  // waits (core/status-rows.ts).
  it('does not say on the Status sheet that the admin was told of Classroom failing while MailApp refused that email', () => {
    const { school } = bothFailFrom1020();
    const open = statusRows(school).filter((r) => r.what === 'Open problem');
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) {
      expect(r.detail).not.toMatch(/admin told/);
      expect(r.detail).toMatch(/admin NOT told yet: the email waits in the queue since 10:2\d/);
    }
  });

  // Was a DEFECT. While MailApp refused every email, the Status sheet did not name the twenty
  // lessons whose link was still on Classroom after their end: it said Classroom and email were
  // FAILING ("Tell the DSL and SLT in person of anything urgent meanwhile") but not which lessons, and the Mail sheet has no row
  // for the waiting "Link still live" alerts. When the quota is spent, by contrast, the Status
  // sheet names the waiting alerts' kinds and lesson ids (the README's section on email, of a
  // quota spent elsewhere). Now the monitor reports the links still up at their lesson's end and
  // the Status sheet has a row for each, mail or no mail (core/status-rows.ts).
  it('names on the Status sheet each lesson whose link is still live while its alert cannot be emailed', () => {
    const { school, lessons } = bothFailFrom1020();
    const text = statusRows(school)
      .map((r) => `${r.what} ${r.detail}`)
      .join('\n');
    for (const s of lessons) expect(text).toContain(s.lessonId);
  });
});
