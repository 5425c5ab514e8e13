import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';
import { tailLatency } from '../sim/kernel/latency';

const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 23) + (hh * 60 + mm) * MIN;
const n = Number(process.env.N ?? 300);
const school = new DeployedSchool({ teachers: n, pupilsPerCourse: 25, start: at(7) });
const table = new Timetable(school);
for (let i = 0; i < n; i++) {
  const course = school.school.courses[i]!;
  table.add({
    course,
    title: `Lesson ${i}`,
    start: at(10),
    minutes: 30,
    teacherJoins: -8 + (i % 7),
    pupils: course.pupils,
    intruder: null,
  });
}
school.advanceTo(at(8, 30));
school.ws.kernel.latencyModel = tailLatency(1);
const original = school.advance.bind(school);
school.advance = (ms, onRun) =>
  original(ms, (name, result) => {
    const e = result.execution;
    if (name === 'monitorTick') {
      const v = result.value as {
        done: Record<string, number>;
        passes: number;
        retryLater: number;
        stoppedEarly: boolean;
        logged: number;
      };
      const top = Object.entries(e.calls.snapshot())
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      if ((e.endedAt ?? 0) - e.startedAt > 3000)
        console.log(
          new Date(e.startedAt).toISOString().slice(11, 19),
          ((e.endedAt! - e.startedAt) / 1000).toFixed(1),
          JSON.stringify(v?.done),
          'passes',
          v?.passes,
          'retry',
          v?.retryLater,
          'logged',
          v?.logged,
          v?.stoppedEarly ? 'STOPPED' : '',
          top,
        );
    }
    onRun?.(name, result);
  });
table.runUntil(at(10, 45));
