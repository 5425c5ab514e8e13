// `npm run bench`: figures, not timed tests. Everything is counted on the simulated Workspace
// through the shipped bundle, beside the naive approach run as real code on the same simulated
// school (tests/bench/naive/naive-poller.ts), in the same run.
//
// The latency model (tests/sim/kernel/latency.ts `tailLatency`): each request to a Google REST
// API takes a time drawn from a log-normal with p50 300 ms and p95 800 ms, with a 1% tail of
// 5 s; a fetchAll costs its slowest member; Apps Script's own services (properties, cache,
// lock, Sheets, mail) keep the fixed table. People (teachers, second adults, pupils) act every
// 10 simulated seconds as world events, also while a run is working. What it leaves out:
// per-user rate limits, DNS, payload-size effects, time-of-day load, and truly simultaneous
// executions (the simulation runs triggers one after another, each on its own clock).
// The last line is one JSON object.

import { statSync } from 'node:fs';
import { BUNDLE_PATH } from '../sim/bundle';
import { lessonsAtOnce, type MinuteResult } from './concurrent-bench';
import { schoolDay } from './day-bench';
import { idleTick, PHASES, standardLessonCost } from './lesson-cost';
import { batchesFor, purgeBench } from './purge-bench';
import { storeCapacity } from './store-capacity';

const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 300);
const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 100);

const row = (cells: (string | number)[], widths = [50, 26, 22, 22]) =>
  console.log(cells.map((c, i) => String(c).padEnd(widths[i] ?? 20)).join(''));
const header = (title: string) => console.log(`\n${title}\n${'-'.repeat(title.length)}`);
const secs = (n: number) => `${Math.round(n)} s`;

// 1. One standard lesson, whole life.
const lesson = standardLessonCost();
const naiveLesson = standardLessonCost({ naive: true });
header(
  'One standard lesson (25 pupils, room 10 min early, teacher in 3 min later, 30 min, recording 5 min after)',
);
row(['measure', 'this product', 'target', 'naive poller']);
row(['Google calls, whole life', lesson.total.total, '<= 60', naiveLesson.total.total]);
row(['  UrlFetch requests', lesson.total.urlFetch, '', naiveLesson.total.urlFetch]);
row(['  advanced-service calls', lesson.total.advanced, '', naiveLesson.total.advanced]);
row(['  Sheets calls', lesson.total.sheets, '<= 10', naiveLesson.total.sheets]);
row(['  mail calls', lesson.total.mail, '', naiveLesson.total.mail]);
for (const phase of PHASES)
  row([
    `  phase: ${phase}${phase === 'close' && lesson.byPhase.close === 0 ? ' (done in the end run)' : ''}`,
    lesson.byPhase[phase],
    '',
    '',
  ]);
console.log('  by method (this product):');
for (const [method, n] of Object.entries(lesson.byMethod).sort((a, b) => b[1] - a[1]))
  row([`    ${method}`, n, '', naiveLesson.byMethod[method] ?? 0]);
row(['hourly jobs whatever the lessons (calls/hour)', lesson.fixedJobsPerHour, '', '']);
const idle = idleTick();
row([
  `monitor run with nothing due (${idle.lessonsInStore} lessons)`,
  `${idle.google} Google calls`,
  '0',
  '',
]);
row(['  local calls in that run (properties, lock...)', idle.local, '', '']);
console.log(
  "  (the naive poller replaces the minute monitor; scheduling and the hourly jobs are the product's in both columns. The naive poller ends each call but never closes the lesson in the product's records, so in its column nothing is logged at the end and no recording is collected.)",
);

// 2. Many lessons in one minute.
const product = lessonsAtOnce({ lessons: CONCURRENT });
const naive = lessonsAtOnce({ lessons: CONCURRENT, naive: true });
const faulty = lessonsAtOnce({ lessons: CONCURRENT, faultRate: 0.1 });
header(`${CONCURRENT} lessons starting in the same minute (teachers join 8-2 min before)`);
row(['measure', 'this product', 'target', 'naive poller'], [50, 26, 22, 22]);
const minuteRows = (label: string, pick: (m: MinuteResult) => string | number, target: string) =>
  row([label, pick(product), target, pick(naive)]);
minuteRows(
  'host joined -> link on Classroom, p50',
  (m) => secs(m.hostJoinToLinkSeconds.p50),
  '<= 45 s',
);
minuteRows(
  'host joined -> link on Classroom, max',
  (m) => secs(m.hostJoinToLinkSeconds.max),
  '<= 90 s',
);
minuteRows(
  'host joined -> link on Classroom, min',
  (m) => secs(m.hostJoinToLinkSeconds.min),
  '>= 0 s',
);
minuteRows('links shared', (m) => `${m.shared} / ${m.lessons}`, `${CONCURRENT}`);
minuteRows('rooms open less than 5 min before start', (m) => m.roomsOpenLate, '0');
minuteRows('links withdrawn more than 60 s late', (m) => m.withdrawnLate, '0');
minuteRows('links live after their lesson', (m) => m.linksLiveAfterEnd, '0');
minuteRows('duplicate posts', (m) => m.duplicatePosts, '0');
minuteRows('runs killed at 6 minutes', (m) => m.killedRuns, '0');
minuteRows('longest run', (m) => secs(m.longestRunSeconds), '< 360 s');
if (Math.min(product.hostJoinToLinkSeconds.min, naive.hostJoinToLinkSeconds.min) < 0)
  console.log(
    "  (a negative time is the simulation, not the code: a run keeps its own clock, so people act up to its end while the next run starts at its minute and sees them early. The naive poller's 6-minute runs make its host -> link figures meaningless; a product run over 60 s can understate by up to its overrun.)",
  );
header(`The same minute with 10% of Google calls failing (429, 500, lost answers)`);
row([
  'host joined -> link, p50 / max',
  `${secs(faulty.hostJoinToLinkSeconds.p50)} / ${secs(faulty.hostJoinToLinkSeconds.max)}`,
  'max <= 180 s',
  '',
]);
row([
  'links live after their lesson / duplicate posts',
  `${faulty.linksLiveAfterEnd} / ${faulty.duplicatePosts}`,
  '0 / 0',
  '',
]);
row(['runs killed at 6 minutes', faulty.killedRuns, '0', '']);

// 3. A day of a 100-teacher school.
const day = schoolDay({ teachers: TEACHERS });
const naiveDay = schoolDay({ teachers: TEACHERS, naive: true });
header(`A day of a ${TEACHERS}-teacher school: ${day.lessons} lessons of 25 pupils, six periods`);
row(['measure', 'this product', 'target', 'naive poller']);
row(['UrlFetch requests (automation account)', day.urlFetch, '<= 25,000', naiveDay.urlFetch]);
row([
  'trigger run time (minutes)',
  day.triggerMinutes.toFixed(1),
  '<= 90',
  naiveDay.triggerMinutes.toFixed(1),
]);
row(['MailApp recipients', day.mailRecipients, '<= 500', naiveDay.mailRecipients]);
row(['runs killed at 6 minutes', day.killedRuns, '0', naiveDay.killedRuns]);
row(['longest run', secs(day.longestRunSeconds), '< 360 s', secs(naiveDay.longestRunSeconds)]);
row(['lessons closed and logged', `${day.closed} / ${day.lessons}`, `${day.lessons}`, '']);
row([
  '600 scheduled in an hour: all in the log after (min)',
  day.scheduledInLogWithinMinutes ?? 'not all',
  '<= 60',
  '',
]);
row(['  ... and all told to SLT after (min)', day.sltToldWithinMinutes ?? 'not all', '<= 60', '']);
row([
  'script-properties store, peak',
  `${Math.round(day.storePeakBytes / 1024)} KB`,
  '< 500 KB',
  '',
]);
row([
  'log spreadsheet cells added by the day',
  day.logCellsAdded.toLocaleString('en-GB'),
  '',
  naiveDay.logCellsAdded.toLocaleString('en-GB'),
]);
row([
  '  ... school days until its 10 million are used',
  Math.floor((10_000_000 - day.logCellsAtSetup) / day.logCellsAdded),
  'admin told from 80%',
  '',
]);
console.log('  by job (this product):');
for (const [job, j] of Object.entries(day.byJob))
  row([
    `    ${job}`,
    `${j.runs} runs, ${j.minutes.toFixed(1)} min, ${j.urlFetch} UrlFetch`,
    '',
    '',
  ]);
console.log("  Google REST calls by method, Monday (a Drive batch's parts one by one):");
for (const [method, n] of Object.entries(day.restByMethod)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 14))
  row([`    ${method}`, n, '', '']);
console.log('  the store at its peak, by kind of key (bytes):');
for (const [kind, n] of Object.entries(day.storePeakByKind).sort((a, b) => b[1] - a[1]))
  row([`    ${kind}`, n, '', '']);

// How far ahead such a school can schedule: the store admits so many lessons.
const capacity = storeCapacity(TEACHERS);
row([
  'lessons the store admits scheduled ahead',
  `${capacity.admitted} of ${capacity.tried} (${capacity.daysAhead.toFixed(1)} days)`,
  '',
  '',
]);
if (capacity.refusal) console.log(`  the next teacher is refused: "${capacity.refusal}"`);

// 4. The purge.
const purge = purgeBench(10_000, 1_000);
header(
  `Recordings purge: ${purge.folderFiles} recordings in the folder, ${purge.dueFiles} past retention`,
);
row(['measure', 'this product', '', 'naive DriveApp loop'], [50, 26, 10, 30]);
row(
  [
    'Drive HTTP requests',
    `${purge.driveCalls} (${batchesFor(purge.dueFiles)} batches)`,
    '',
    purge.naiveDriveCalls,
  ],
  [50, 26, 10, 30],
);
row(
  [
    'simulated run time',
    `${secs(purge.simulatedSeconds)}${purge.fits ? '' : ' (too long)'}`,
    '',
    `${secs(purge.naiveSimulatedSeconds)}${purge.naiveFits ? '' : ' (killed at 6 min)'}`,
  ],
  [50, 26, 10, 30],
);
row(['due recordings removed', purge.deleted, '', purge.naiveRemoved], [50, 26, 10, 30]);

// 5. The bundle.
const bundleBytes = statSync(BUNDLE_PATH).size;
header('The shipped bundle');
row(['dist/Code.js', `${bundleBytes} bytes`, '< 200,000', '']);

console.log(
  JSON.stringify({
    lifecycle: {
      googleCallsPerLesson: lesson.total.total,
      sheetsCallsPerLesson: lesson.total.sheets,
      urlFetchPerLesson: lesson.total.urlFetch,
      byPhase: lesson.byPhase,
      idleTickGoogleCalls: idle.google,
      naiveGoogleCallsPerLesson: naiveLesson.total.total,
    },
    concurrent: {
      lessons: CONCURRENT,
      hostJoinToLinkSeconds: {
        p50: Math.round(product.hostJoinToLinkSeconds.p50),
        max: Math.round(product.hostJoinToLinkSeconds.max),
      },
      roomsOpenLateCount: product.roomsOpenLate,
      withdrawnLateCount: product.withdrawnLate,
      killedRuns: product.killedRuns,
      naive: {
        hostJoinToLinkSeconds: {
          p50: Math.round(naive.hostJoinToLinkSeconds.p50),
          max: Math.round(naive.hostJoinToLinkSeconds.max),
        },
        shared: naive.shared,
        roomsOpenLateCount: naive.roomsOpenLate,
        killedRuns: naive.killedRuns,
      },
      faults10: {
        hostJoinToLinkSeconds: {
          p50: Math.round(faulty.hostJoinToLinkSeconds.p50),
          max: Math.round(faulty.hostJoinToLinkSeconds.max),
        },
        linksLiveAfterEnd: faulty.linksLiveAfterEnd,
        duplicatePosts: faulty.duplicatePosts,
        killedRuns: faulty.killedRuns,
      },
    },
    day: {
      teachers: TEACHERS,
      lessons: day.lessons,
      urlFetch: day.urlFetch,
      triggerMinutes: Math.round(day.triggerMinutes * 10) / 10,
      mailRecipients: day.mailRecipients,
      killedRuns: day.killedRuns,
      scheduledInLogWithinMinutes: day.scheduledInLogWithinMinutes,
      sltToldWithinMinutes: day.sltToldWithinMinutes,
      storePeakBytes: day.storePeakBytes,
      logCellsAdded: day.logCellsAdded,
      scheduledAheadAdmitted: capacity.admitted,
      naive: {
        urlFetch: naiveDay.urlFetch,
        triggerMinutes: Math.round(naiveDay.triggerMinutes * 10) / 10,
        killedRuns: naiveDay.killedRuns,
      },
    },
    purge: {
      folderFiles: purge.folderFiles,
      dueFiles: purge.dueFiles,
      driveCalls: purge.driveCalls,
      simulatedSeconds: purge.simulatedSeconds,
      naiveDriveCalls: purge.naiveDriveCalls,
      naiveSimulatedSeconds: purge.naiveSimulatedSeconds,
      driveOperations: purge.driveOperations,
      fitsOneExecution: purge.fits,
      naiveFitsOneExecution: purge.naiveFits,
    },
    bundle: { bytes: bundleBytes },
  }),
);
