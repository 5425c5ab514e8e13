// `npm run soak`: simulated school days at 10%, 20% and 30% of Google calls failing (429,
// 500, time-outs, and time-outs after the change was made), several seeds per rate, with
// overlapping monitor runs and people behaving as people do. Every simulated minute it checks,
// from what Classroom and Meet hold, that no link is live after its lesson's end, no link comes
// down more than two minutes late, no call runs past its end plus grace plus two minutes, and no
// pupils stay in a call their staff dropped out of past staffAbsentEndMinutes plus two minutes;
// at the end it counts Sessions and Attendance rows, teachers' log entries, incidents and emails
// against what happened. Every invariant should be 0 at every rate. The last line is one JSON
// object with the counts per rate.
//
// Environment: SOAK_RATES (default 0.1,0.2,0.3), SOAK_SEEDS (default 42,43,44),
// SOAK_LESSONS per run (default 40), SOAK_DAYS (default 2: Monday and Tuesday, 20 lessons a
// day, from 07:30 on Monday to three hours after the last lesson, nights included). The
// defaults keep the nine runs near ten minutes on a two-core machine; a week of 200 lessons a
// run is SOAK_LESSONS=200 SOAK_DAYS=5 (several minutes a run).
//
// Memory: each run (a rate and a seed) is its own Node process, so what the simulation keeps of
// one run is given back before the next. (Until 1 December 2026 the runs shared one process, and
// measured with /usr/bin/time six runs peaked at 4.4-4.6 GB resident and all nine at 7.8 GB.)

import { spawnSync } from 'node:child_process';
import type { NoticeKind } from './notices';
import { runSoak, type SoakResult } from './soak';

const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isFinite(v));
const rates = list('SOAK_RATES', '0.1,0.2,0.3');
const seeds = list('SOAK_SEEDS', '42,43,44');
const lessons = Number(process.env.SOAK_LESSONS ?? 40);
const days = Number(process.env.SOAK_DAYS ?? 2);

/** The invariants, each summed over the seeds of a rate; every one should be 0. */
function invariantsOf(r: SoakResult) {
  const notices = Object.values(r.counts.notices);
  return {
    linksLiveAfterEnd: r.linksLiveAfterEnd,
    withdrawalsLate: r.withdrawalsLate,
    callsPastEnd: r.callsPastEnd,
    leftAloneTooLong: r.leftAloneTooLong,
    endedWithStaffBack: r.endedWithStaffBack,
    linkNotBack: r.linkNotBack,
    roomsOpenAfterEnd: r.roomsOpenAfterEnd,
    duplicateAnnouncements: r.duplicateAnnouncements,
    stuckLessons: r.stuckLessons,
    lostLogRows: r.lostLogRows,
    duplicateSessionRows: r.counts.sessions.duplicate,
    attendanceMissing: r.counts.attendance.missing,
    attendanceExtra: r.counts.attendance.extra,
    teacherEntriesLost: r.counts.teacherEntries.lost,
    incidentsLost: r.counts.incidents.lost,
    duplicateIncidentRows: r.counts.incidents.duplicate,
    noticesMissing: notices.reduce((n, b) => n + b.missing.length, 0),
    noticesExtra: notices.reduce((n, b) => n + b.extra.length, 0),
    // Of those, the copies that did not say they were sent again (MAYBE_REPEAT in mail-plan.ts).
    noticesExtraUnmarked: notices.reduce((n, b) => n + b.extra.length - b.extraMarked.length, 0),
  };
}
type Invariants = ReturnType<typeof invariantsOf>;

function add<T extends Record<string, number>>(a: T, b: T): T {
  const out = { ...a } as Record<string, number>;
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out as T;
}

const london = (ms: number) =>
  new Date(ms).toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/** Marks the one line of a run's own process that carries its result. */
const RESULT = 'SOAK_RUN_RESULT ';

/** One run in a process of its own (this script again, with SOAK_ONE=rate,seed). */
function runInChild(rate: number, seed: number): SoakResult {
  const child = spawnSync(
    process.execPath,
    ['--max-old-space-size=6144', 'tests/support/run-ts.mjs', 'tests/soak/soak-week.ts'],
    {
      env: { ...process.env, SOAK_ONE: `${rate},${seed}` },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    },
  );
  const lines = (child.stdout ?? '').split('\n');
  // What the run itself printed is shown as it would have been in one process.
  const said = lines.filter((l) => l && !l.startsWith(RESULT));
  if (said.length > 0) console.log(said.join('\n'));
  const line = lines.find((l) => l.startsWith(RESULT));
  if (child.status !== 0 || !line)
    throw new Error(
      `soak run at rate ${rate} seed ${seed} ended with status ${child.status} (${child.signal ?? 'no signal'}) and no result`,
    );
  return JSON.parse(line.slice(RESULT.length)) as SoakResult;
}

const one = process.env.SOAK_ONE?.split(',').map(Number);
if (one) {
  const [rate, seed] = one as [number, number];
  process.stdout.write(
    `${RESULT}${JSON.stringify(runSoak({ lessons, faultRate: rate, seed, days }))}\n`,
  );
  process.exit(0);
}

const started = Date.now();
const perRate: Record<string, unknown> = {};
const rows: { rate: number; inv: Invariants }[] = [];
for (const rate of rates) {
  let inv: Invariants | undefined;
  let faults = 0;
  let total = 0;
  let sessionsRows = 0;
  let attendance = { pupilsJoined: 0, rowsPresent: 0 };
  let teacherEntries = { submitted: 0, inLog: 0 };
  let incidents = { reported: 0, inLog: 0, dslNotEmailed: 0 };
  let emails: Record<string, number> = {};
  const notices: Record<string, { due: number; sent: number }> = {};
  let sidebarErrors = 0;
  let dropOuts: SoakResult['dropOuts'] = {
    teacherLeft: 0,
    pupilsLeftAlone: 0,
    teacherBack: 0,
    longestAloneSeconds: 0,
  };
  for (const seed of seeds) {
    const t = Date.now();
    const r = runInChild(rate, seed);
    const i = invariantsOf(r);
    inv = inv ? add(inv, i) : i;
    faults += r.faultsInjected;
    total += r.lessons;
    sessionsRows += r.counts.sessions.rows;
    attendance = add(attendance, {
      pupilsJoined: r.counts.attendance.pupilsJoined,
      rowsPresent: r.counts.attendance.rowsPresent,
    });
    teacherEntries = add(teacherEntries, {
      submitted: r.counts.teacherEntries.submitted,
      inLog: r.counts.teacherEntries.inLog,
    });
    incidents = add(incidents, {
      reported: r.counts.incidents.reported,
      inLog: r.counts.incidents.inLog,
      dslNotEmailed: r.counts.incidents.dslNotEmailed,
    });
    emails = add(emails, r.counts.emails);
    for (const [kind, b] of Object.entries(r.counts.notices))
      notices[kind] = add(notices[kind] ?? { due: 0, sent: 0 }, { due: b.due, sent: b.sent });
    sidebarErrors += r.sidebarErrors;
    dropOuts = {
      teacherLeft: dropOuts.teacherLeft + r.dropOuts.teacherLeft,
      pupilsLeftAlone: dropOuts.pupilsLeftAlone + r.dropOuts.pupilsLeftAlone,
      teacherBack: dropOuts.teacherBack + r.dropOuts.teacherBack,
      // null (someone still in such a call when the run ended) outranks any figure.
      longestAloneSeconds:
        dropOuts.longestAloneSeconds === null || r.dropOuts.longestAloneSeconds === null
          ? null
          : Math.max(dropOuts.longestAloneSeconds, r.dropOuts.longestAloneSeconds),
    };
    const bad = Object.entries(i).filter(([, v]) => v > 0);
    console.log(
      `rate ${rate} seed ${seed}: ${r.lessons} lessons, ${r.ticks} minutes, ${r.faultsInjected} faults, ` +
        `${r.runs.count} monitor runs (${r.runs.stoppedEarly} stopped early, longest ${Math.round(r.runs.longestMs / 1000)} s), ` +
        `${r.failedExecutions} executions ended in an error, host joined -> link p50 ${r.shareDelay.p50} s p95 ${r.shareDelay.p95} s, ` +
        `${r.dropOuts.teacherLeft} teachers dropped out (${r.dropOuts.pupilsLeftAlone} leaving pupils with no staff, ${r.dropOuts.teacherBack} of whom came back in, ${r.dropOuts.longestAloneSeconds === null ? 'someone still in such a call at the end' : `in the call at most ${r.dropOuts.longestAloneSeconds} s after`}); ` +
        `${((Date.now() - t) / 1000).toFixed(0)} s real. ` +
        (bad.length === 0
          ? 'All invariants 0.'
          : `Not 0: ${bad.map(([k, v]) => `${k} ${v}`).join(', ')}.`),
    );
    for (const f of r.failures) console.log(`  ended in an error: ${f}`);
    for (const v of r.violations)
      console.log(`    ${v.kind} ${v.lessonId} at ${london(v.at)}: ${v.detail}`);
    for (const [kind, b] of Object.entries(r.counts.notices) as [
      NoticeKind,
      { missing: string[]; extra: string[]; extraMarked: string[] },
    ][]) {
      if (b.missing.length > 0)
        console.log(`    notice ${kind} due, not sent: ${b.missing.join(' ')}`);
      if (b.extra.length > 0)
        console.log(
          `    notice ${kind} sent, not due: ${b.extra.join(' ')}${b.extraMarked.length > 0 ? ` (the copy of ${b.extraMarked.join(' ')} said it was sent again and may be a twin)` : ''}`,
        );
    }
    if (r.counts.teacherEntries.lost + r.counts.incidents.lost > 0)
      console.log(
        `    lost: ${r.counts.teacherEntries.lost} teacher log entries, ${r.counts.incidents.lost} incidents`,
      );
    for (const [id, attempts] of Object.entries(r.incidentRetries))
      console.log(`    incident on ${id} took ${attempts.length} clicks: ${attempts.join(' | ')}`);
    if (r.counts.incidents.dslNotEmailed > 0)
      console.log(
        `    ${r.counts.incidents.dslNotEmailed} incident(s) recorded but not emailed to the DSL: the teacher was told to tell the DSL in person`,
      );
  }
  rows.push({ rate, inv: inv! });
  perRate[String(rate)] = {
    seeds,
    lessons: total,
    faultsInjected: faults,
    invariants: inv,
    dropOuts,
    counts: {
      lessons: total,
      sessionsRows,
      attendance,
      teacherEntries,
      incidents,
      sidebarErrors,
      emails,
      notices,
    },
  };
}

// The table: one row per invariant, one column per rate (summed over the seeds).
const names = Object.keys(rows[0]?.inv ?? {}) as (keyof Invariants)[];
const heading = 'invariant (lessons, summed over seeds)';
const width = Math.max(heading.length, ...names.map((n) => n.length));
console.log(
  `\n${heading.padEnd(width)}  ${rows.map((r) => `${Math.round(r.rate * 100)}%`.padStart(6)).join(' ')}`,
);
for (const name of names)
  console.log(
    `${name.padEnd(width)}  ${rows.map((r) => String(r.inv[name]).padStart(6)).join(' ')}`,
  );
console.log(
  `\n${rates.length} rate(s) x ${seeds.length} seed(s) x ${lessons} lessons over ${days} days in ${((Date.now() - started) / 1000).toFixed(0)} s of real time.`,
);
console.log(JSON.stringify({ rates: perRate }));
