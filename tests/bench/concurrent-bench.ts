// 300 lessons starting in the same minute, on the simulated Workspace with realistic latency
// (tests/sim/kernel/latency.ts `tailLatency`: p50 300 ms, p95 800 ms, a 1% tail of 5 s; a
// fetchAll costs its slowest member). Teachers join between 8 and 2 minutes before the start,
// at a random second; pupils join once the link is on Classroom; people act every 10 s of
// simulated time, also while a run is working. Measured from what the simulated Classroom and
// the store hold: when each link went up against when its teacher joined, when each room
// opened, when each link came down against when it was due, and runs killed at 6 minutes.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';
import { tailLatency } from '../sim/kernel/latency';
import { naiveBundle } from './naive-bundle';

const MONDAY = Date.UTC(2026, 10, 23);
export const at = (hh: number, mm = 0) => MONDAY + (hh * 60 + mm) * MIN;

export interface Stats {
  min: number;
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    min: sorted[0] ?? 0,
    p50: pick(0.5),
    p95: pick(0.95),
    max: sorted.at(-1) ?? 0,
    n: sorted.length,
  };
}

export interface MinuteResult {
  lessons: number;
  shared: number;
  hostJoinToLinkSeconds: Stats;
  roomsOpenLate: number;
  withdrawLateSeconds: Stats;
  withdrawnLate: number;
  linksLiveAfterEnd: number;
  duplicatePosts: number;
  killedRuns: number;
  longestRunSeconds: number;
  monitorRuns: number;
}

export interface MinuteOptions {
  lessons: number;
  pupils?: number;
  faultRate?: number;
  seed?: number;
  /** Runs the naive poller (tests/bench/naive/naive-poller.ts) in place of the product's monitor. */
  naive?: boolean;
}

/** Withdrawal is due this long before the end (the school's default setting). */
const WITHDRAW_BEFORE_END_MS = 5 * MIN;
const OPEN_AT_LEAST_BEFORE_MS = 5 * MIN;

export function lessonsAtOnce(options: MinuteOptions): MinuteResult {
  const n = options.lessons;
  const school = new DeployedSchool({
    teachers: n,
    pupilsPerCourse: options.pupils ?? 25,
    start: at(7),
    seed: options.seed ?? 1,
    bundle: options.naive ? naiveBundle() : undefined,
  });
  const { ws } = school;
  if (options.naive) school.run('naiveInstall', {}, school.school.automation.email, 'editor');
  const table = new Timetable(school);
  const start = at(10);
  for (let i = 0; i < n; i++) {
    const course = school.school.courses[i]!;
    table.add({
      course,
      title: `Lesson ${i}`,
      start,
      minutes: 30,
      teacherJoins: -8 + (i % 7),
      pupils: course.pupils,
      intruder: null,
    });
  }
  school.advanceTo(at(8, 30));
  // Its own seed: the fault picker draws from the kernel's seed, and the two must not move together.
  ws.kernel.latencyModel = tailLatency((options.seed ?? 1) * 7919 + 13);
  if (options.faultRate) ws.kernel.faults.rate(options.faultRate, [429, 500, 'lost-answer']);
  let killed = 0;
  let longest = 0;
  let runs = 0;
  const original = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    original(ms, (name, result) => {
      if (result.killed) killed += 1;
      if (result.execution.user === school.school.automation.email) {
        runs += 1;
        longest = Math.max(longest, (result.execution.endedAt ?? 0) - result.execution.startedAt);
      }
      onRun?.(name, result);
    });
  table.runUntil(start + 45 * MIN);
  ws.kernel.faults.clear();

  const joinToLink: number[] = [];
  const withdrawLate: number[] = [];
  let roomsOpenLate = 0;
  let liveAfterEnd = 0;
  let duplicates = 0;
  const stored = new Map(school.lessons().map((l) => [l.id, l as { openedAt?: number | null }]));
  const openedAt = (id: string) =>
    options.naive
      ? ((JSON.parse(ws.properties.scriptStore()[`naive:${id}`] ?? '{}') as { openedAt?: number })
          .openedAt ?? null)
      : (stored.get(id)?.openedAt ?? null);
  for (const plan of table.lessons) {
    const posts = ws.classroom
      .allAnnouncements(plan.course.id)
      .filter((a) => (a.text ?? '').includes(plan.lessonId!));
    if (posts.length > 1) duplicates += posts.length - 1;
    const joined = table.teacherJoinedAt(plan);
    const post = posts[0];
    if (post && joined !== null) joinToLink.push((Date.parse(post.creationTime!) - joined) / 1000);
    const opened = openedAt(plan.lessonId!);
    if (opened === null || opened > plan.start - OPEN_AT_LEAST_BEFORE_MS) roomsOpenLate += 1;
    const end = plan.start + plan.minutes * MIN;
    for (const p of posts) {
      const deleted = p.history.find((h) => h.action === 'deleted');
      const gone = deleted ? Date.parse(deleted.at) : Number.POSITIVE_INFINITY;
      if (gone > end) liveAfterEnd += 1;
      withdrawLate.push(
        Math.max(0, (Math.min(gone, end + 60 * MIN) - (end - WITHDRAW_BEFORE_END_MS)) / 1000),
      );
    }
  }
  return {
    lessons: n,
    shared: joinToLink.length,
    hostJoinToLinkSeconds: stats(joinToLink),
    roomsOpenLate,
    withdrawLateSeconds: stats(withdrawLate),
    withdrawnLate: withdrawLate.filter((s) => s > 60).length,
    linksLiveAfterEnd: liveAfterEnd,
    duplicatePosts: duplicates,
    killedRuns: killed,
    longestRunSeconds: Math.round(longest / 1000),
    monitorRuns: runs,
  };
}
