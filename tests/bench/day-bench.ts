// A day of a 100-teacher secondary school on one automation account: 600 lessons of 25 pupils,
// six periods, scheduled the evening before (each teacher plans their six lessons in the same
// hour: 600 lessons scheduled in an hour, which must be logged and told to SLT within the day's
// budgets too). Measured on the simulated Workspace with the latency tail, through the shipped
// bundle: UrlFetch calls, trigger run time, mail recipients and runs killed at 6 minutes, for
// the product and for the naive poller on the same school.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';
import { tailLatency } from '../sim/kernel/latency';
import { naiveBundle } from './naive-bundle';

const SUNDAY_EVENING = Date.UTC(2026, 10, 22, 18, 0);
const MONDAY = Date.UTC(2026, 10, 23);
const at = (hh: number, mm = 0) => MONDAY + (hh * 60 + mm) * MIN;
/** Six 30-minute periods in the school's lesson hours (08:30-15:30 by default). */
export const PERIODS = [at(8, 45), at(9, 45), at(10, 45), at(11, 45), at(13, 30), at(14, 30)];

export interface DayResult {
  lessons: number;
  closed: number;
  urlFetch: number;
  triggerMinutes: number;
  mailRecipients: number;
  killedRuns: number;
  longestRunSeconds: number;
  /** The evening the week is planned: when the last of the 600 lessons was in the log, and SLT told. */
  scheduledInLogWithinMinutes: number | null;
  sltToldWithinMinutes: number | null;
  /** Peak of the script-properties store (bytes of 500 KB). */
  storePeakBytes: number;
  /**
   * Cells the log spreadsheet grew by with the day's lessons (every cell of every sheet's grid,
   * as Google counts them against a spreadsheet's 10 million), and what setup left it at.
   */
  logCellsAdded: number;
  logCellsAtSetup: number;
  /** What the store held at its peak, by kind of key. */
  storePeakByKind: Record<string, number>;
  /** Monday's Google REST requests by the automation, by method (what the UrlFetch count is made of). */
  restByMethod: Record<string, number>;
  /** Trigger minutes and UrlFetch requests by job, Monday. */
  byJob: Record<string, { runs: number; minutes: number; urlFetch: number }>;
}

export function schoolDay(
  options: { teachers?: number; naive?: boolean; seed?: number } = {},
): DayResult {
  const teachers = options.teachers ?? 100;
  const school = new DeployedSchool({
    teachers,
    pupilsPerCourse: 25,
    start: SUNDAY_EVENING,
    seed: options.seed ?? 3,
    bundle: options.naive ? naiveBundle() : undefined,
  });
  const { ws } = school;
  const automation = school.school.automation.email;
  if (options.naive) school.run('naiveInstall', {}, automation, 'editor');
  ws.kernel.latencyModel = tailLatency((options.seed ?? 3) * 7919 + 13);
  const table = new Timetable(school);
  const logCellsAtSetup = ws.sheets.cellCount(school.logId);
  let killed = 0;
  let runMs = 0;
  let longest = 0;
  let storePeak = 0;
  const byJob: DayResult['byJob'] = {};
  const restByMethod: Record<string, number> = {};
  const REST = /^(meet|classroom|drive|calendar|iam|oauth|admin|directory)\./;
  let storePeakByKind: Record<string, number> = {};
  const storeBytes = () => {
    const byKind: Record<string, number> = {};
    let n = 0;
    for (const [k, v] of Object.entries(ws.properties.scriptStore())) {
      const kind = /^[a-z]+/i.exec(k)?.[0] ?? k;
      byKind[kind] = (byKind[kind] ?? 0) + k.length + v.length;
      n += k.length + v.length;
    }
    if (n > storePeak) storePeakByKind = byKind;
    return n;
  };
  const original = school.advance.bind(school);
  school.advance = (ms, onRun) =>
    original(ms, (name, result) => {
      if (result.killed) killed += 1;
      const e = result.execution;
      if (e.user === automation && e.startedAt >= MONDAY && e.startedAt < MONDAY + 24 * 60 * MIN) {
        const took = (e.endedAt ?? e.startedAt) - e.startedAt;
        runMs += took;
        longest = Math.max(longest, took);
        byJob[name] ??= { runs: 0, minutes: 0, urlFetch: 0 };
        const job = byJob[name]!;
        job.runs += 1;
        job.minutes += took / MIN;
        job.urlFetch += e.calls.count('urlfetch.request');
        for (const [key, n] of Object.entries(e.calls.snapshot()))
          if (REST.test(key)) restByMethod[key] = (restByMethod[key] ?? 0) + n;
      }
      onRun?.(name, result);
    });

  // Sunday 18:00-19:00: every teacher plans their six lessons for Monday.
  const planned = [];
  for (const [i, course] of school.school.courses.entries())
    for (const start of PERIODS) planned.push({ course, start, joins: -3 - (i % 5) });
  for (let k = 0; k < planned.length; k++) {
    const p = planned[k]!;
    table.add({
      course: p.course,
      title: `Period lesson ${k + 1}`,
      start: p.start,
      minutes: 30,
      teacherJoins: p.joins,
      pupils: p.course.pupils,
      intruder: null,
    });
    if (k % 10 === 9) school.advance(MIN);
    storePeak = Math.max(storePeak, storeBytes());
  }
  const scheduledBy = ws.now();
  // Until every lesson is in the log and SLT have heard of every one (at most an hour later).
  let inLogAt: number | null = null;
  let toldAt: number | null = null;
  const ids = table.lessons.map((l) => l.lessonId!).filter(Boolean);
  for (let t = 0; t < 120 && (inLogAt === null || toldAt === null); t++) {
    school.advance(MIN);
    storePeak = Math.max(storePeak, storeBytes());
    if (inLogAt === null && ids.every((id) => school.sessionRow(id))) inLogAt = ws.now();
    const lists = school
      .mailTo(school.school.slt.email)
      .map((m) => m.body)
      .join('\n');
    if (toldAt === null && ids.every((id) => lists.includes(`lesson id ${id}`))) toldAt = ws.now();
  }
  school.advanceTo(MONDAY);
  const before = ws.mail.outbox().length;
  table.runUntil(at(17), () => {
    storePeak = Math.max(storePeak, storeBytes());
  });
  const monday = ws.mail.outbox().slice(before);
  return {
    lessons: ids.length,
    closed: ids.filter((id) => String(school.sessionRow(id)?.Status ?? '').startsWith('closed'))
      .length,
    urlFetch: ws.urlFetch.usedBy(automation, at(12)),
    triggerMinutes: runMs / MIN,
    mailRecipients: monday.reduce((n, m) => n + m.to.length + m.cc.length + m.bcc.length, 0),
    killedRuns: killed,
    longestRunSeconds: Math.round(longest / 1000),
    scheduledInLogWithinMinutes:
      inLogAt === null ? null : Math.round((inLogAt - scheduledBy) / MIN),
    sltToldWithinMinutes: toldAt === null ? null : Math.round((toldAt - scheduledBy) / MIN),
    storePeakBytes: storePeak,
    logCellsAdded: ws.sheets.cellCount(school.logId) - logCellsAtSetup,
    logCellsAtSetup,
    restByMethod,
    storePeakByKind,
    byJob,
  };
}
