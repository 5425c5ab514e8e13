// What the full-size probes share (probe-size-people, probe-size-failure): a school where every
// lesson starts in the same minute, with realistic latency, and a tally of the automation's runs
// (how many, the longest, any killed at Apps Script's 6-minute limit). World state only.

import { tailLatency } from '../sim/kernel/latency';
import { DeployedSchool, monday } from './deployed-school';
import { Timetable } from './timetable';

export interface Runs {
  killed: number;
  longest: number;
  count: number;
}

export interface SameMinute {
  lessons: number;
  pupils: number;
  /** The simulated school's seed and the latency model's. */
  seed: number;
  latencySeed: number;
  /** Where the clock is left (realistic latency and the tally start here). Default 08:30. */
  until?: number;
  /** That lesson's teacher never comes. */
  neverJoins?: (i: number) => boolean;
}

/**
 * A school of `lessons` teachers, each with a class of `pupils`, every lesson 10:00–10:30 on
 * Monday, scheduled from the sidebar at 07:00, teachers joining 8 to 2 minutes before the start.
 */
export function sameMinuteSchool(o: SameMinute) {
  const school = new DeployedSchool({
    teachers: o.lessons,
    pupilsPerCourse: o.pupils,
    start: monday(7),
    seed: o.seed,
  });
  const table = new Timetable(school);
  for (let i = 0; i < o.lessons; i++) {
    const course = school.school.courses[i]!;
    table.add({
      course,
      title: `Lesson ${i}`,
      start: monday(10),
      minutes: 30,
      teacherJoins: o.neverJoins?.(i) ? null : -8 + (i % 7),
      pupils: course.pupils,
      intruder: null,
    });
  }
  school.advanceTo(o.until ?? monday(8, 30));
  school.ws.kernel.latencyModel = tailLatency(o.latencySeed);
  const runs: Runs = { killed: 0, longest: 0, count: 0 };
  const original = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    original(ms, (name, result) => {
      if (result.killed) runs.killed += 1;
      if (result.execution.user === school.school.automation.email) {
        runs.count += 1;
        runs.longest = Math.max(
          runs.longest,
          (result.execution.endedAt ?? 0) - result.execution.startedAt,
        );
      }
      onRun?.(name, result);
    });
  return { school, table, ws: school.ws, runs };
}

/** Recipients of every email the automation sent (to, cc and bcc) from `from` on. */
export function recipients(school: DeployedSchool, from = 0): number {
  return school.ws.mail
    .outbox()
    .filter((m) => m.at >= from)
    .reduce((n, m) => n + m.to.length + m.cc.length + m.bcc.length, 0);
}
