// `npm run soak`: a simulated school week of 200 lessons with 10% of Google calls
// failing (429, 500, time-outs, and time-outs after the change was made), overlapping
// monitor runs, and people behaving as people do. It measures, from what Google holds
// (not from what the product believes): log rows lost, duplicate announcements, links
// live after a lesson's end, and lessons stuck. The last line is one JSON object.

import { runSoak } from './soak';

const lessons = Number(process.argv[2] ?? 200);
const faultRate = Number(process.argv[3] ?? 0.1);
const started = Date.now();
const result = runSoak({ lessons, faultRate, seed: 42 });
const secs = (ms: number) => (ms / 1000).toFixed(0);
console.log(
  `\nSimulated ${result.days} school days (${result.ticks} minutes) in ${((Date.now() - started) / 1000).toFixed(1)} s of real time.`,
);
console.log(
  `Faults injected into Google calls: ${result.faultsInjected}. Second monitor runs started mid-call: ${result.overlappingRuns}.`,
);
console.log(
  `Monitor runs: ${result.runs.count}; ${result.runs.skipped} stepped aside for a run already going; ${result.runs.stoppedEarly} stopped early to stay inside 6 minutes; longest ${secs(result.runs.longestMs)} s; ${result.runs.retryLater} steps left for a later run.`,
);
console.log(
  `Executions that ended in an error: ${result.failedExecutions} (their work is picked up by the next run).`,
);
console.log(`Rooms still joinable after their lesson: ${result.roomsOpenAfterEnd}.`);
console.log(
  `Host joined -> link on Classroom: p50 ${result.shareDelay.p50} s, p95 ${result.shareDelay.p95} s, max ${result.shareDelay.max} s (${result.sharedLate} lessons over a minute: a run waits out a 60 s time-out, or a step is retried by the next run).`,
);
console.log(
  JSON.stringify({
    soak: {
      lessons: result.lessons,
      faultRate,
      lostLogRows: result.lostLogRows,
      duplicateAnnouncements: result.duplicateAnnouncements,
      linksLiveAfterEnd: result.linksLiveAfterEnd,
      stuckLessons: result.stuckLessons,
    },
  }),
);
