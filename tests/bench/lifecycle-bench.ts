// Measures the lesson lifecycle on the simulated Workspace, through the built bundle:
// Google calls per lesson, calls made by a monitor run with nothing due, the time from
// "host joined" to "link on Classroom" for 1 and for many lessons at once, and the
// Apps Script quotas a 100-teacher school would use in a day. Beside each, the same
// work done the naive way: a monitor that polls every lesson of the day every minute.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';

const MONDAY = Date.UTC(2026, 10, 23);
const at = (hh: number, mm = 0) => MONDAY + (hh * 60 + mm) * MIN;

export interface LatencyStats {
  p50: number;
  max: number;
  n: number;
}

function stats(values: number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    max: sorted.at(-1) ?? 0,
    n: sorted.length,
  };
}

/** Google calls for one lesson's whole life, split by who made them. */
/**
 * Google calls for one lesson's whole life (schedule, open, share, withdraw, end, close,
 * log, collect its recording), split by API. The hourly jobs that cost the same whatever
 * the lessons (dashboard refresh, settings, purge query) are counted apart.
 */
export function callsPerLesson() {
  const school = new DeployedSchool({ teachers: 1, pupilsPerCourse: 25, start: at(7) });
  const { ws } = school;
  const table = new Timetable(school);
  const byApi: Record<string, number> = {};
  let lessonCalls = 0;
  let scheduling = 0;
  let hourlyJobs = 0;
  let hours = 0;
  const count = (name: string, snapshot: Record<string, number>) => {
    const calls = Object.entries(snapshot).filter(([key]) => GOOGLE.includes(key.split('.')[0]!));
    const total = calls.reduce((n, [, v]) => n + v, 0);
    if (name === 'hourlyHousekeeping' || name === 'purgeRecordings' || name === 'dailyDigest') {
      hourlyJobs += total;
      if (name === 'hourlyHousekeeping') hours += 1;
      return;
    }
    lessonCalls += total;
    for (const [key, v] of calls) byApi[key.split('.')[0]!] = (byApi[key.split('.')[0]!] ?? 0) + v;
  };
  const advance = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    advance(ms, (name, result) => {
      count(name, result.execution.calls.snapshot());
      onRun?.(name, result);
    });
  const before = ws.kernel.calls.snapshot();
  table.add({
    course: school.school.courses[0]!,
    title: 'Bench lesson',
    start: at(10),
    minutes: 30,
    teacherJoins: -3,
    pupils: school.school.courses[0]!.pupils,
    intruder: null,
  });
  const after = ws.kernel.calls.snapshot();
  const delta = Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]),
  );
  count('scheduling', delta);
  scheduling = lessonCalls;
  // Until the recording has appeared (12 min after the end) and been collected.
  table.runUntil(at(11, 30));
  const row = school.sessionRow(table.lessons[0]!.lessonId!);
  if (row?.Status !== 'closed')
    throw new Error(`bench lesson did not close: ${String(row?.Status)}`);
  // Naive model: poll the room (spaces.get + participants.list) and read the roster every
  // minute from the room opening to its end; append a log row per event; plus the same
  // create/delete/end/patch calls.
  const minutesWatched = 10 + 30 + 2;
  const naive = minutesWatched * 3 + 1 + 1 + 1 + 2 + 6;
  return {
    total: lessonCalls,
    scheduling,
    byApi,
    naive,
    hourlyJobsPerHour: Math.round(hourlyJobs / Math.max(1, hours)),
  };
}

const GOOGLE = [
  'meet',
  'classroom',
  'calendar',
  'sheets',
  'mail',
  'oauth',
  'iam',
  'admin',
  'drive',
  'driveapp',
];

/** A monitor run when lessons are in the store but none has anything due. */
export function idleTick() {
  const school = new DeployedSchool({ teachers: 20, pupilsPerCourse: 3, start: at(6) });
  const table = new Timetable(school);
  for (const course of school.school.courses) {
    table.add({
      course,
      title: `Later ${course.id}`,
      start: at(14),
      minutes: 30,
      teacherJoins: -3,
      pupils: course.pupils,
      intruder: null,
    });
  }
  school.advance(5 * MIN); // first logging of the new lessons happens here
  let google = -1;
  let local = -1;
  school.advance(MIN, (name, result) => {
    if (name === 'monitorTick') {
      google = result.execution.calls.googleCalls();
      local = result.execution.calls.count() - google;
    }
  });
  // Naive: each of the 20 lessons of the day polled (spaces.get + participants.list).
  return {
    google,
    local,
    lessonsInStore: school.lessons().length,
    naive: 2 * school.lessons().length,
  };
}

/** Seconds from the teacher joining to the announcement existing, for `n` lessons at once. */
export function hostJoinToLink(n: number, oneAtATime = false) {
  const school = new DeployedSchool({
    teachers: oneAtATime ? 1 : n,
    pupilsPerCourse: 2,
    start: at(7),
  });
  const { ws } = school;
  const table = new Timetable(school);
  for (let i = 0; i < n; i++) {
    // Teachers join at a different point of the minutes before the start (people act at a
    // random second of each minute); one at a time: a lesson every 40 minutes, one teacher.
    table.add({
      course: school.school.courses[oneAtATime ? 0 : i]!,
      title: `Lesson ${i}`,
      start: oneAtATime ? at(8) + i * 40 * MIN : at(10),
      minutes: 30,
      teacherJoins: -1 - (i % 8),
      pupils: school.school.courses[oneAtATime ? 0 : i]!.pupils,
      intruder: null,
    });
  }
  table.runUntil(oneAtATime ? at(8) + n * 40 * MIN : at(10, 5));
  const latencies: number[] = [];
  for (const plan of table.lessons) {
    const post = ws.classroom
      .allAnnouncements(plan.course.id)
      .find((a) => (a.text ?? '').includes(plan.lessonId!));
    const joined = table.teacherJoinedAt(plan);
    if (post && joined !== null) latencies.push((Date.parse(post.creationTime!) - joined) / 1000);
  }
  if (latencies.length !== n)
    throw new Error(`only ${latencies.length} of ${n} lessons were shared`);
  return stats(latencies);
}

/** A day of a 100-teacher school (2 lessons each): UrlFetch calls and trigger run time used. */
export function schoolDayQuotas(teachers = 100) {
  const school = new DeployedSchool({ teachers, pupilsPerCourse: 4, start: at(7) });
  const { ws } = school;
  const table = new Timetable(school);
  for (const [i, course] of school.school.courses.entries()) {
    for (const hour of [9 + (i % 3), 13 + (i % 2)]) {
      table.add({
        course,
        title: `L${i}-${hour}`,
        start: at(hour, (i % 2) * 30),
        minutes: 30,
        teacherJoins: -3,
        pupils: course.pupils,
        intruder: null,
      });
    }
  }
  let triggerMs = 0;
  let runs = 0;
  let longest = 0;
  const original = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    original(ms, (name, result) => {
      const took =
        (result.execution.endedAt ?? result.execution.startedAt) - result.execution.startedAt;
      if (result.execution.user === school.school.automation.email) {
        triggerMs += took;
        runs += 1;
        longest = Math.max(longest, took);
      }
      onRun?.(name, result);
    });
  table.runUntil(at(17));
  // The rest of the day is idle ticks: no Google calls, ~0.2 s each.
  const idleMs = 7 * 60 * 0.2 * 1000 + 7 * 60 * 0.2 * 1000;
  const urlFetch = ws.urlFetch.usedBy(school.school.automation.email, at(12));
  const closed = table.lessons.filter(
    (l) => school.sessionRow(l.lessonId!)?.Status === 'closed',
  ).length;
  return {
    lessons: table.lessons.length,
    closed,
    urlFetch,
    triggerMinutes: (triggerMs + idleMs) / 60_000,
    runs,
    longestRunSeconds: longest / 1000,
  };
}
