// R28: what is wrong with the product's own plumbing, and what to tell, as pure functions.

import {
  addServicesSeen,
  emptyHealth,
  GOOGLE_FAILING_RUNS,
  type HealthState,
  JOBS,
  LINKS_LATE_KEPT,
  lateJobs,
  noteInstalled,
  noteRun,
  noteService,
  type RunObservation,
  teacherKey,
  teacherTrouble,
  withHeartbeats,
} from '../../src/core/health';
import {
  type LessonAtRisk,
  lessonLine,
  lessonsAtRisk,
  resolvedNotice,
  withLessons,
} from '../../src/core/health-notices';
import {
  assess,
  type HealthContext,
  LESSONS_MARKER,
  reconcile,
} from '../../src/core/health-problems';
import { statusRows } from '../../src/core/status-rows';
import { ctx, DAY, HOUR, lessonAtRisk, MIN, monitorRun, T0, TZ } from './health-kit';

const run = monitorRun;

function after(state: HealthState, ...runs: RunObservation[]): HealthState {
  return runs.reduce(noteRun, state);
}

describe('the day’s quotas, counted', () => {
  it('adds each run’s UrlFetch requests and run time, and starts again 24 hours after the day’s first request', () => {
    let s = after(emptyHealth(T0), run(T0, { urlFetch: 40 }), run(T0 + MIN, { urlFetch: 2 }));
    expect(s.usage).toEqual({ since: T0, urlFetch: 42, runMs: 4_000 });
    s = noteRun(s, run(T0 + DAY + MIN, { urlFetch: 5 }));
    expect(s.usage).toEqual({ since: T0 + DAY + MIN, urlFetch: 5, runMs: 2_000 });
  });

  it('warns at 80% of UrlFetch calls, trigger run time, email recipients and the store, and not below', () => {
    const base = emptyHealth(T0);
    const keys = (s: HealthState) =>
      assess(s, T0 + HOUR, ctx)
        .map((p) => p.key)
        .filter((k) => k.startsWith('quota:'));
    expect(keys({ ...base, usage: { since: T0, urlFetch: 79_999, runMs: 4.79 * HOUR } })).toEqual(
      [],
    );
    expect(
      keys({
        ...base,
        usage: { since: T0, urlFetch: 80_000, runMs: 4.8 * HOUR },
        mail: { recipients: 1_200, failingSince: null, at: T0 },
        store: { bytes: 400_000, limit: 500_000, at: T0 },
      }),
    ).toEqual(['quota:urlfetch', 'quota:runtime', 'quota:mail', 'quota:store']);
    const [urlfetch] = assess(
      { ...base, usage: { since: T0, urlFetch: 85_000, runMs: 0 } },
      T0 + HOUR,
      ctx,
    );
    expect(urlfetch!.subject).toBe(
      'Safe Live Lessons: 85% of the day’s UrlFetch calls (100,000 a day) used',
    );
    expect(urlfetch!.body).toMatch(
      /^The day’s UrlFetch calls \(100,000 a day\): 85% used \(85,000 calls since 09:00; the count starts again at 2026-11-24 09:00\)\. At the limit every call to Meet, Classroom and Drive fails until then\./,
    );
    expect(urlfetch!.urgent).toBe(false);
  });

  it('warns when lessons fill 80% of their share of the store, though the store as a whole is under 80%, and says teachers are refused', () => {
    const store = (lessonBytes: number) => ({
      bytes: lessonBytes + 20_000,
      limit: 500_000,
      lessons: { bytes: lessonBytes, limit: 360_000, count: Math.round(lessonBytes / 480) },
      at: T0,
    });
    const base = emptyHealth(T0);
    const quota = (s: HealthState) =>
      assess(s, T0 + HOUR, ctx).filter((p) => p.key.startsWith('quota:'));
    expect(quota({ ...base, store: store(287_000) })).toEqual([]);
    const [lessons, ...others] = quota({ ...base, store: store(360_000) });
    expect(others).toEqual([]);
    expect(lessons!.key).toBe('quota:lessons');
    expect(lessons!.subject).toBe(
      'Safe Live Lessons: all of the lessons’ share of the store (360 KB) used',
    );
    expect(lessons!.body).toMatch(
      /^The lessons’ share of the store \(360 KB\): all used \(360 KB, 750 lessons\)\. At the share, a teacher scheduling another lesson is refused/,
    );
    expect(lessons!.body).toMatch(/ask teachers to schedule fewer days ahead/);
    // A health record written before the lessons' share was measured still reads.
    const { lessons: _none, ...old } = store(360_000);
    expect(quota({ ...base, store: old })).toEqual([]);
  });

  it('tells the admin once when the store goes up and down around 80% all day, and calls it over only under 70%', () => {
    const at = (bytes: number) => ({ bytes, limit: 500_000, at: T0 });
    let s = emptyHealth(T0);
    const told: number[] = [];
    const over: number[] = [];
    // A full-size school's day: lessons come and go, the store crosses 80% again and again.
    const day = [410_000, 390_000, 415_000, 395_000, 420_000, 360_000, 355_000, 345_000, 405_000];
    day.forEach((bytes, i) => {
      const now = T0 + i * 30 * MIN;
      const r = reconcile(
        s.open,
        assess({ ...s, store: at(bytes) }, now, ctx).filter((p) => p.key === 'quota:store'),
        now,
      );
      if (r.tell.length > 0) told.push(bytes);
      if (r.resolved.length > 0) over.push(bytes);
      s = { ...s, open: r.open };
    });
    // Told at the first crossing; over only once it fell under 70% (345 KB); told again at the next crossing.
    expect(told).toEqual([410_000, 405_000]);
    expect(over).toEqual([345_000]);
  });
});

describe('jobs check each other', () => {
  it('finds the minute monitor late four minutes after its last run, and a job that never ran after setup', () => {
    let s = noteInstalled(emptyHealth(T0), ['monitor', 'housekeeping'], T0);
    s = noteRun(s, run(T0 + MIN));
    expect(lateJobs(s, T0 + 5 * MIN)).toEqual([]);
    expect(lateJobs(s, T0 + 5 * MIN + 3_000)).toEqual(['monitor']);
    expect(lateJobs(s, T0 + 76 * MIN)).toEqual(['monitor', 'housekeeping']);
  });

  it('finds a job late when it runs but keeps failing', () => {
    let s = noteInstalled(emptyHealth(T0), ['collect'], T0);
    for (let m = 10; m <= 40; m += 10)
      s = noteRun(s, run(T0 + m * MIN, { job: 'collect', error: 'drive transient' }));
    expect(lateJobs(s, T0 + 31 * MIN)).toEqual(['collect']);
    const [p] = assess(s, T0 + 41 * MIN, ctx);
    expect(p!.subject).toBe('Safe Live Lessons: recording collection is failing');
    expect(p!.body).toMatch(
      /^Recording collection runs but has not finished its work since 09:00 \(last failure: drive transient\)\./,
    );
  });

  it('takes a run the full store could not note, kept as a heartbeat, for a run: not late', () => {
    let s = noteInstalled(emptyHealth(T0), ['monitor'], T0);
    s = noteRun(s, run(T0 + MIN));
    const at = T0 + 30 * MIN;
    expect(lateJobs(s, at)).toEqual(['monitor']);
    const beat = { lastRun: at - MIN, lastOk: at - MIN };
    expect(lateJobs(withHeartbeats(s, { monitor: beat }), at)).toEqual([]);
    // A heartbeat of a run that failed keeps the last success: failing for long is still late.
    const failing = { lastRun: at - MIN, lastOk: T0 + MIN };
    expect(lateJobs(withHeartbeats(s, { monitor: failing }), at)).toEqual(['monitor']);
    // An older heartbeat changes nothing.
    expect(withHeartbeats(s, { monitor: { lastRun: T0, lastOk: T0 } })).toBe(s);
  });

  it('words a late job by what was found: a trigger put back, a trigger there but not firing, or not known', () => {
    const s = noteRun(noteInstalled(emptyHealth(T0), ['monitor'], T0), run(T0));
    const at = T0 + 10 * MIN;
    const words = (over: Partial<HealthContext>) => assess(s, at, { ...ctx, ...over })[0]!.body;
    expect(words({ reinstalled: ['monitor'] })).toMatch(
      /^The minute monitor had not run since 09:00: its trigger had been deleted\. The automation installed it again at 09:10/,
    );
    expect(words({ installedButLate: ['monitor'] })).toMatch(
      /has not run since 09:00, although its trigger is installed\.[\s\S]*Google may have disabled the trigger/,
    );
    expect(words({})).toMatch(/Its trigger may have been deleted\. Run setup again/);
    expect(assess(s, at, ctx)[0]!.urgent).toBe(true);
  });
});

describe('delegation and Google failing', () => {
  it('is failing from the first refusal, keeps that time, and works again on a later token', () => {
    let s = noteRun(
      emptyHealth(T0),
      run(T0, { delegation: { workedAt: null, refusedAt: T0 + 5 * MIN, detail: 'HTTP 401' } }),
    );
    s = noteRun(
      s,
      run(T0 + MIN, {
        delegation: { workedAt: null, refusedAt: T0 + 6 * MIN, detail: 'HTTP 401' },
      }),
    );
    expect(s.delegation).toMatchObject({ state: 'failing', since: T0 + 5 * MIN });
    const p = assess(s, T0 + 7 * MIN, ctx).find((x) => x.key === 'delegation')!;
    expect(p.urgent).toBe(true);
    expect(p.body).toContain(LESSONS_MARKER);
    expect(teacherTrouble(s, T0 + 7 * MIN)).toEqual({ why: 'delegation', since: T0 + 5 * MIN });
    s = noteRun(
      s,
      run(T0 + 40 * MIN, {
        delegation: { workedAt: T0 + 40 * MIN, refusedAt: null, detail: null },
      }),
    );
    expect(s.delegation).toEqual({ state: 'ok', at: T0 + 40 * MIN });
    expect(noteRun(s, run(T0 + HOUR, { delegation: null })).delegation).toEqual({ state: 'off' });
  });

  it('reports a Google API after five runs in a row with every call failing, not four, and not once it has gone quiet for three hours', () => {
    const failing = (at: number) =>
      run(at, { services: { meet: { ok: 0, failed: 3, lastError: 'HTTP 503' } } });
    let s = emptyHealth(T0);
    for (let i = 0; i < GOOGLE_FAILING_RUNS - 1; i++) s = noteRun(s, failing(T0 + i * MIN));
    expect(assess(s, T0 + 5 * MIN, ctx).map((p) => p.key)).toEqual([]);
    s = noteRun(s, failing(T0 + 5 * MIN));
    const [p] = assess(s, T0 + 6 * MIN, ctx);
    expect(p!.key).toBe('service:meet');
    expect(p!.body).toMatch(
      /^Google Meet has failed every request since 09:00 \(5 runs in a row; last answer: HTTP 503\)/,
    );
    expect(teacherTrouble(s, T0 + 6 * MIN)?.why).toBe('meet');
    const quiet = assess(s, T0 + 5 * MIN + 3 * HOUR + 3_000, ctx).map((x) => x.key);
    expect(quiet).not.toContain('service:meet');
    // A run with one answer among the failures resets the count.
    s = noteRun(
      s,
      run(T0 + 7 * MIN, { services: { meet: { ok: 1, failed: 2, lastError: 'HTTP 503' } } }),
    );
    expect(s.services.meet?.failingRuns).toBe(0);
  });

  it('asks teachers to run their lessons themselves once the minute monitor has been silent for ten minutes, not at the admin’s four, and stops once it runs again', () => {
    const collect = (at: number) => ({ ...run(at), job: 'collect' as const });
    let s = noteRun(noteInstalled(emptyHealth(T0), ['monitor', 'collect'], T0), run(T0));
    s = noteRun(s, collect(T0 + 5 * MIN));
    expect(lateJobs(s, T0 + 5 * MIN)).toContain('monitor');
    expect(teacherTrouble(s, T0 + 5 * MIN)).toBeNull();
    s = noteRun(s, collect(T0 + 11 * MIN));
    expect(teacherTrouble(s, T0 + 11 * MIN)).toEqual({ why: 'monitor', since: T0 + 2_000 });
    // Teachers told stay told while the monitor is silent, and are forgotten once it runs.
    s = { ...s, teachersTold: ['abc'] };
    s = noteRun(s, collect(T0 + 21 * MIN));
    expect(s.teachersTold).toEqual(['abc']);
    s = noteRun(s, run(T0 + 22 * MIN));
    expect(teacherTrouble(s, T0 + 22 * MIN)).toBeNull();
    expect(s.teachersTold).toEqual([]);
  });

  it('keeps Classroom failing while its deletes fail and its reads and posts are answered, says which requests fail, and says it works again only once a delete is answered', () => {
    const classroom = (ops: Record<string, { ok: number; failed: number }>) => {
      const calls = Object.values(ops);
      const ok = calls.reduce((n, o) => n + o.ok, 0);
      const failed = calls.reduce((n, o) => n + o.failed, 0);
      return {
        services: { classroom: { ok, failed, lastError: failed ? 'HTTP 503' : null, ops } },
      };
    };
    const deleteFails = { DELETE: { ok: 0, failed: 1 }, GET: { ok: 2, failed: 0 } };
    const postOnly = { POST: { ok: 1, failed: 0 } };
    let s = emptyHealth(T0);
    // Deletes fail in every run that tries one; in between, runs only post, and are answered.
    for (let i = 0; i < GOOGLE_FAILING_RUNS; i++) {
      s = noteRun(s, run(T0 + 2 * i * MIN, classroom(deleteFails)));
      s = noteRun(s, run(T0 + (2 * i + 1) * MIN, classroom(postOnly)));
      expect(s.services.classroom?.failingRuns).toBe(i + 1);
    }
    const problems = assess(s, T0 + 10 * MIN, ctx);
    const [p] = problems.filter((x) => x.key === 'service:classroom');
    expect(p!.body).toMatch(
      /^Google Classroom has failed every delete request \(it answers the others\) since 09:00 \(5 runs in a row; last answer: HTTP 503\)/,
    );
    // No "working again" while the deletes have not been answered, however many posts are.
    expect(resolvedNotice('service:classroom', T0, T0 + 10 * MIN, TZ, s)).toBeNull();
    const open = reconcile({}, problems, T0 + 10 * MIN).open;
    expect(reconcile(open, assess(s, T0 + 11 * MIN, ctx), T0 + 11 * MIN).resolved).toEqual([]);
    // A delete answered: it works again, and is told so.
    s = noteRun(s, run(T0 + 12 * MIN, classroom({ DELETE: { ok: 1, failed: 0 } })));
    expect(s.services.classroom).toEqual({
      failingRuns: 0,
      since: null,
      lastError: null,
      at: T0 + 12 * MIN + 2_000,
    });
    expect(resolvedNotice('service:classroom', T0, T0 + 13 * MIN, TZ, s)?.subject).toBe(
      'Safe Live Lessons: working again: Google Classroom',
    );
  });

  it('adds two parts of one run call by call, so a kind of request that failed in either part still counts as failing', () => {
    const urlFetch = {
      classroom: { ok: 2, failed: 0, lastError: null, ops: { GET: { ok: 2, failed: 0 } } },
    };
    const otherPart = {
      classroom: { ok: 0, failed: 1, lastError: 'HTTP 503', ops: { DELETE: { ok: 0, failed: 1 } } },
      sheets: { ok: 3, failed: 0, lastError: null },
    };
    const both = addServicesSeen(urlFetch, otherPart);
    expect(both).toEqual({
      classroom: {
        ok: 2,
        failed: 1,
        lastError: 'HTTP 503',
        ops: { GET: { ok: 2, failed: 0 }, DELETE: { ok: 0, failed: 1 } },
      },
      sheets: { ok: 3, failed: 0, lastError: null },
    });
    // Neither part is changed.
    expect(urlFetch.classroom.ops).toEqual({ GET: { ok: 2, failed: 0 } });
    // The delete that failed keeps Classroom failing though its reads were answered.
    expect(noteService(undefined, both.classroom!, T0, T0 + MIN)).toMatchObject({
      failingRuns: 1,
      failingOps: ['DELETE'],
      othersAnswered: true,
    });
    expect(addServicesSeen(urlFetch, undefined)).toEqual(urlFetch);
  });

  it('names the kinds of request that failed while nothing is answered, and keeps a service failing when only reads come back before its creates are tried again', () => {
    const meet = (ops: Record<string, { ok: number; failed: number }>) => {
      const calls = Object.values(ops);
      const ok = calls.reduce((n, o) => n + o.ok, 0);
      const failed = calls.reduce((n, o) => n + o.failed, 0);
      return { services: { meet: { ok, failed, lastError: failed ? 'HTTP 503' : null, ops } } };
    };
    let s = emptyHealth(T0);
    for (let i = 0; i < GOOGLE_FAILING_RUNS; i++)
      s = noteRun(
        s,
        run(T0 + i * MIN, meet({ POST: { ok: 0, failed: 2 }, GET: { ok: 0, failed: 1 } })),
      );
    const [p] = assess(s, T0 + 6 * MIN, ctx).filter((x) => x.key === 'service:meet');
    expect(p!.body).toMatch(
      /^Google Meet has failed every read and create request since 09:00 \(5 runs in a row/,
    );
    // Reads are answered again; no room has been made since: not yet "working again".
    s = noteRun(s, run(T0 + 7 * MIN, meet({ GET: { ok: 3, failed: 0 } })));
    expect(s.services.meet?.failingRuns).toBe(GOOGLE_FAILING_RUNS);
    expect(s.services.meet?.failingOps).toEqual(['POST']);
    expect(resolvedNotice('service:meet', T0, T0 + 8 * MIN, TZ, s)).toBeNull();
    s = noteRun(s, run(T0 + 9 * MIN, meet({ POST: { ok: 1, failed: 0 } })));
    expect(s.services.meet?.failingRuns).toBe(0);
  });

  it('says a failing service answers its other requests only once one of them was answered', () => {
    const had = {
      failingRuns: GOOGLE_FAILING_RUNS,
      since: T0,
      lastError: 'HTTP 503',
      at: T0 + 5 * MIN,
      failingOps: ['DELETE'],
    };
    // A run that tried nothing of it learns nothing: the failure stands, nothing more is said.
    const idle = noteService(
      had,
      { ok: 0, failed: 0, lastError: null, ops: {} },
      T0 + 6 * MIN,
      T0 + 6 * MIN,
    );
    expect(idle).toEqual(had);
    // A run whose reads were answered (and tried no delete): the deletes still fail, the rest answers.
    const read = noteService(
      had,
      { ok: 2, failed: 0, lastError: null, ops: { GET: { ok: 2, failed: 0 } } },
      T0 + 7 * MIN,
      T0 + 7 * MIN,
    );
    expect(read).toEqual({ ...had, othersAnswered: true });
  });
});

describe('telling once, reminding daily, saying when it is over', () => {
  it('tells a new problem, not again within the day, again after a day, and lists it as over once gone', () => {
    const s = noteRun(noteInstalled(emptyHealth(T0), ['monitor'], T0), run(T0));
    const problems = assess(s, T0 + 10 * MIN, ctx);
    const first = reconcile({}, problems, T0 + 10 * MIN);
    expect(first.tell.map((p) => p.key)).toEqual(['job:monitor']);
    expect(reconcile(first.open, problems, T0 + 20 * MIN).tell).toEqual([]);
    expect(reconcile(first.open, problems, T0 + 10 * MIN + DAY).tell.map((p) => p.key)).toEqual([
      'job:monitor',
    ]);
    const over = reconcile(first.open, [], T0 + 30 * MIN);
    expect(over.resolved).toEqual([{ key: 'job:monitor', since: T0 + 2_000 }]);
    expect(resolvedNotice('job:monitor', T0, T0 + 30 * MIN, TZ)).toEqual({
      subject: 'Safe Live Lessons: working again: The minute monitor',
      body: 'The minute monitor works again (checked at 09:30; the problem began at 09:00). What waited is being done now.',
    });
    expect(resolvedNotice('quota:store', T0, T0, TZ)).toBeNull();
    const stillFailing = noteRun(
      emptyHealth(T0),
      run(T0, { services: { meet: { ok: 0, failed: 1, lastError: null } } }),
    );
    expect(resolvedNotice('service:meet', T0, T0, TZ, stillFailing)).toBeNull();
  });
});

describe('what the alerts say about lessons', () => {
  const lesson = (over: Partial<LessonAtRisk>): LessonAtRisk =>
    lessonAtRisk({
      courseName: 'Year 3',
      teacher: 'ms.a@school.example',
      status: 'open',
      linkLive: true,
      callRunning: true,
      ...over,
    });

  it('says only what is so: link up or not, call running or not, room not made', () => {
    const now = T0 + HOUR + 5 * MIN;
    expect(lessonLine(lesson({}), TZ, now)).toBe(
      '- Mon 23 Nov, 10:00–10:30 Phonics (Year 3, ms.a@school.example): its link is still on Classroom; its call is still running (the automation cannot end it; it was due to end at 10:32).',
    );
    expect(lessonLine(lesson({ linkLive: false, callRunning: false }), TZ, now)).toMatch(
      /its link is not on Classroom; nobody was in its call at the last look\.$/,
    );
    expect(lessonLine(lesson({ status: 'scheduled' }), TZ, now)).toMatch(
      /room not made yet; nothing on Classroom\.$/,
    );
  });

  it('lists lessons open now or starting within the hour, and says when there are none', () => {
    const now = T0;
    const soon = lesson({ status: 'scheduled' });
    const later = lesson({ status: 'scheduled', start: T0 + 2 * HOUR, end: T0 + 3 * HOUR });
    const closed = lesson({ status: 'closed' });
    expect(lessonsAtRisk([soon, later, closed], now)).toEqual([soon]);
    expect(withLessons(`a\n${LESSONS_MARKER}\nb`, [], TZ, now)).toBe(
      'a\nNo lesson is open or starting within the hour.\nb',
    );
  });
});

describe('the Status sheet and the record', () => {
  it('has a row for each job, delegation, the log, the drive, each failing service and each quota', () => {
    let s = noteInstalled(emptyHealth(T0), ['monitor', 'digest'], T0);
    s = noteRun(
      s,
      run(T0 + MIN, {
        urlFetch: 1234,
        store: {
          bytes: 212_000,
          limit: 500_000,
          lessons: { bytes: 300_000, limit: 360_000, count: 640 },
        },
        services: { classroom: { ok: 0, failed: 2, lastError: 'HTTP 500' } },
        log: { state: 'binned', detail: 'in the Bin' },
      }),
    );
    const rows = new Map(statusRows(s, T0 + 2 * MIN, TZ).map((r) => [r[0], r.slice(1)]));
    expect(rows.get('The minute monitor')).toEqual(['OK', 'last success 09:01; last run 09:01']);
    expect(rows.get('The daily digest')).toEqual(['not run yet', 'installed 09:00']);
    expect(rows.get('The hourly housekeeping')).toEqual(['not seen yet', '']);
    expect(rows.get('Log spreadsheet')).toEqual([
      'IN THE BIN',
      'since 09:01; checked 09:01: in the Bin',
    ]);
    expect(rows.get('Google Classroom')).toEqual([
      'errors',
      '1 run(s) in a row failed every request since 09:01: HTTP 500',
    ]);
    expect(rows.get('UrlFetch calls today')).toEqual(['OK', '1,234 of 100,000 (1%) since 09:00']);
    expect(rows.get('Script-properties store')).toEqual(['OK', '212 KB of 500 KB (42%)']);
    expect(rows.get('Lessons’ share of the store')).toEqual([
      'OVER 80%',
      '300 KB of 360 KB (83%), 640 lessons; past it new lessons are refused',
    ]);
    expect(Object.keys(JOBS)).toHaveLength(5);
  });

  it('names each link still on Classroom at its end, the first few by id, and says who must act while mail is not sent', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `L-20261123-a${String(i).padStart(5, '0')}`);
    let s = noteRun(emptyHealth(T0), run(T0 + 30 * MIN, { linksLate: ids }));
    const rows = () =>
      statusRows(s, T0 + 31 * MIN, TZ).filter((r) => /^Links? still on/.test(r[0]!));
    expect(rows()).toHaveLength(1 + LINKS_LATE_KEPT + 1);
    expect(rows()[0]).toEqual([
      'Links still on Classroom',
      'LINK LIVE',
      `At 09:30, 30 lessons past their end still had the pupils’ link on Classroom (listed below, the first ${LINKS_LATE_KEPT}). SLT have an alert for each; the automation keeps trying to delete the posts.`,
    ]);
    expect(rows()[1]).toEqual([
      'Link still on Classroom',
      'LINK LIVE',
      `Lesson ${ids[0]}, past its end`,
    ]);
    expect(rows().at(-1)).toEqual([
      'Link still on Classroom',
      'LINK LIVE',
      `${30 - LINKS_LATE_KEPT} more lessons`,
    ]);
    // Mail failing: the alerts wait, and the open problems say the admin is NOT told yet.
    s = noteRun(s, run(T0 + 31 * MIN, { mail: { recipients: 3, failingSince: T0 + 29 * MIN } }));
    s = {
      ...s,
      open: {
        'service:classroom': { since: T0 + 20 * MIN, toldAt: T0 + 27 * MIN },
        'job:collect': { since: T0, toldAt: T0 + 10 * MIN },
      },
    };
    const all = statusRows(s, T0 + 32 * MIN, TZ);
    expect(all.find((r) => r[0] === 'Links still on Classroom')![2]).toMatch(
      /The alerts to SLT wait, as mail is not being sent: tell SLT in person/,
    );
    const open = new Map(all.filter((r) => r[0] === 'Open problem').map((r) => [r[1], r[2]]));
    expect(open.get('service:classroom')).toBe(
      'since 09:20; admin NOT told yet: the email waits in the queue since 09:27 (mail is not being sent)',
    );
    expect(open.get('job:collect')).toBe('since 09:00; admin told 09:10');
    // The monitor finds none late: the rows go.
    s = noteRun(s, run(T0 + 40 * MIN, { linksLate: [] }));
    expect(rows()).toEqual([]);
    // A job other than the monitor says nothing of links: what the monitor saw stays.
    s = noteRun(s, run(T0 + 41 * MIN, { linksLate: ids.slice(0, 1) }));
    s = noteRun(s, run(T0 + 42 * MIN, { job: 'housekeeping' }));
    expect(rows()).toHaveLength(2);
  });

  it('keeps teachers as short hashes, the same for the same address', () => {
    expect(teacherKey('Ms.A@School.example')).toBe(teacherKey('ms.a@school.example'));
    expect(teacherKey('ms.a@school.example')).not.toBe(teacherKey('ms.b@school.example'));
    expect(teacherKey('a.rather.long.address@school.example').length).toBeLessThanOrEqual(7);
  });
});
