// `npm run bench`: figures, not timed tests. Every number is counted on the simulated
// Workspace (Google calls; simulated seconds from the latency table in
// tests/sim/kernel/latency.ts), beside the naive approach on the same work.
// The last line is one JSON object.

import { callsPerLesson, hostJoinToLink, idleTick, schoolDayQuotas } from './lifecycle-bench';
import { batchesFor, purgeBench } from './purge-bench';

const concurrent = Number(process.env.BENCH_CONCURRENT ?? 300);
const teachers = Number(process.env.BENCH_TEACHERS ?? 100);

const row = (cells: (string | number)[]) =>
  console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 46 : 16)).join(''));

console.log('\nLesson lifecycle (delegated automation, minute monitor, no faults)\n');
const perLesson = callsPerLesson();
const idle = idleTick();
const one = hostJoinToLink(10, true);
const many = hostJoinToLink(concurrent);
const day = schoolDayQuotas(teachers);

row(['measure', 'this product', 'naive polling (model)']);
row(['Google calls for one lesson (25 pupils)', perLesson.total, perLesson.naive]);
row(['  of which scheduling from the sidebar', perLesson.scheduling, '']);
row(['hourly jobs, whatever the lessons (calls/hour)', perLesson.hourlyJobsPerHour, '']);
row([
  '  by API',
  Object.entries(perLesson.byApi)
    .map(([k, v]) => `${k} ${v}`)
    .join(', '),
  '',
]);
row([
  `Google calls in a monitor run, nothing due (${idle.lessonsInStore} lessons)`,
  idle.google,
  idle.naive,
]);
row(['  local calls in that run (properties, lock)', idle.local, '']);
row([
  'host joined -> link, one lesson at a time (s)',
  `p50 ${one.p50.toFixed(0)}, max ${one.max.toFixed(0)}`,
  '-',
]);
row([
  `host joined -> link, ${concurrent} lessons at once (s)`,
  `p50 ${many.p50.toFixed(0)}, max ${many.max.toFixed(0)}`,
  '',
]);
console.log(
  `\nA day of a ${teachers}-teacher school (${day.lessons} lessons, ${day.closed} closed and logged):`,
);
row(['UrlFetch calls by the automation account', `${day.urlFetch} / 100,000`, '']);
row(['trigger run time (simulated minutes)', `${day.triggerMinutes.toFixed(0)} / 360`, '']);
row(['longest single monitor run (s)', `${day.longestRunSeconds.toFixed(1)} / 360`, '']);

const purge = purgeBench(10_000, 1_000);
const fits = (ok: boolean, s: number) =>
  `${s.toFixed(0)} s: ${ok ? 'fits' : 'does NOT fit'} one 6-min run`;
console.log(
  `\nRecordings purge: ${purge.folderFiles} registered recordings in the folder, ${purge.dueFiles} past retention\n`,
);
const wide = (cells: (string | number)[]) =>
  console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 46 : 36)).join(''));
wide(['measure', 'this product', 'naive DriveApp loop']);
wide(['Drive calls (HTTP requests)', purge.driveCalls, purge.naiveDriveCalls]);
wide([
  '  Drive operations inside them',
  `${purge.driveOperations} (${batchesFor(purge.dueFiles)} batches)`,
  purge.naiveDriveCalls,
]);
wide([
  'simulated Apps Script time',
  fits(purge.fits, purge.simulatedSeconds),
  fits(purge.naiveFits, purge.naiveSimulatedSeconds),
]);
if (purge.naiveKilledAfterFiles !== null)
  wide(['  naive loop killed at 6 min after files', '', purge.naiveKilledAfterFiles]);
wide([
  'due recordings removed',
  `${purge.deleted} deleted, in one run`,
  `${purge.naiveRemoved} trashed (${purge.dueFiles - purge.naiveRemoved} missed where run 1 was killed)`,
]);

console.log(
  JSON.stringify({
    lifecycle: {
      googleCallsPerLesson: perLesson.total,
      naiveGoogleCallsPerLesson: perLesson.naive,
      idleTickGoogleCalls: idle.google,
      hostJoinToLinkSeconds: { p50: Math.round(many.p50), max: Math.round(many.max) },
      hostJoinToLinkSecondsOneLesson: { p50: Math.round(one.p50), max: Math.round(one.max) },
      concurrentLessons: concurrent,
      schoolDay: {
        teachers,
        lessons: day.lessons,
        urlFetchCalls: day.urlFetch,
        triggerMinutes: Math.round(day.triggerMinutes),
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
  }),
);
