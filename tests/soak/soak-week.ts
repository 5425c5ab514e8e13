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
console.log(
  `\nSimulated ${result.days} school days, ${result.ticks} monitor runs, ${result.faultsInjected} faults injected, ${result.overlappingRuns} overlapping runs, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
);
console.log(
  `Executions that ended in an error: ${result.failedExecutions} (each retried by the next run).`,
);
console.log(
  `Rooms still joinable after their lesson: ${result.roomsOpenAfterEnd}. Lessons shared late (> 1 min after host joined): ${result.sharedLate}.`,
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
