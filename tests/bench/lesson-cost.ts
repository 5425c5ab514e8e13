// What one standard lesson costs in Google calls over its whole life, counted on the simulated
// Workspace through the shipped bundle, by phase and by method. The standard lesson: scheduled
// the day before from the sidebar, room opened 10 minutes early, teacher joins 3 minutes after
// it opens, 30 minutes long, 25 pupils, recording ready 5 minutes after the end, minute-polling
// mode (keyless delegation). The hourly jobs (settings, consent, dashboard, purge, digest) cost
// the same whatever the lessons and are counted apart. Also: a monitor run with nothing due.

import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';
import { GOOGLE_SERVICES } from '../sim/kernel/calls';
import type { ExecutionResult } from '../sim/kernel/execution';
import { URLFETCH_REQUEST } from '../sim/services/url-fetch';
import { naiveBundle } from './naive-bundle';

const MONDAY = Date.UTC(2026, 10, 23);
const at = (day: number, hh: number, mm = 0) => MONDAY + day * 24 * 60 * MIN + (hh * 60 + mm) * MIN;

export const PHASES = [
  'schedule',
  'open',
  'wait',
  'share',
  'during',
  'withdraw',
  'end',
  'close',
  'collect',
] as const;
export type Phase = (typeof PHASES)[number];

/** Jobs that run whatever the lessons: counted apart from the lesson's own cost. */
const FIXED_JOBS = new Set(['hourlyHousekeeping', 'dailyDigest', 'purgeRecordings']);

export interface CallTally {
  total: number;
  urlFetch: number;
  advanced: number;
  sheets: number;
  mail: number;
}

export interface LessonCost {
  total: CallTally;
  byPhase: Record<Phase, number>;
  byMethod: Record<string, number>;
  fixedJobsPerHour: number;
}

function tally(calls: Record<string, number>): CallTally {
  let google = 0;
  let sheets = 0;
  let mail = 0;
  for (const [key, n] of Object.entries(calls)) {
    const service = key.split('.')[0]!;
    if (!GOOGLE_SERVICES.has(service)) continue;
    google += n;
    if (service === 'sheets') sheets += n;
    if (service === 'mail') mail += n;
  }
  const urlFetch = calls[URLFETCH_REQUEST] ?? 0;
  return { total: google, urlFetch, advanced: google - sheets - mail - urlFetch, sheets, mail };
}

function add(a: CallTally, b: CallTally): CallTally {
  return {
    total: a.total + b.total,
    urlFetch: a.urlFetch + b.urlFetch,
    advanced: a.advanced + b.advanced,
    sheets: a.sheets + b.sheets,
    mail: a.mail + b.mail,
  };
}

const ZERO: CallTally = { total: 0, urlFetch: 0, advanced: 0, sheets: 0, mail: 0 };

/** The lesson's phase a run worked in: the move it made, else where the lesson stood. */
function phaseOf(
  before: { status: string; post?: { state: string } } | undefined,
  after: { status: string; post?: { state: string } } | undefined,
  job: string,
): Phase {
  const post = (l?: { post?: { state: string } }) => l?.post?.state ?? 'none';
  if (job === 'collectRecordings') return 'collect';
  if (before?.status === 'scheduled' && after?.status === 'open') return 'open';
  if (post(before) !== 'live' && post(after) === 'live') return 'share';
  if (post(before) === 'live' && post(after) === 'withdrawn') return 'withdraw';
  // The run that ends the call often closes the lesson too (the end is counted there).
  if (before?.status === 'open' && (after?.status === 'ended' || after?.status === 'closed'))
    return 'end';
  if (before?.status === 'ended' && after?.status === 'closed') return 'close';
  if (!after || after.status === 'closed') return 'collect';
  if (after.status === 'scheduled') return 'schedule';
  return post(after) === 'none' || post(after) === 'posting' ? 'wait' : 'during';
}

export function standardLessonCost(options: { naive?: boolean } = {}): LessonCost {
  const school = new DeployedSchool({
    teachers: 1,
    pupilsPerCourse: 25,
    start: at(-1, 15),
    recordingDelayMs: 5 * MIN,
    bundle: options.naive ? naiveBundle() : undefined,
  });
  if (options.naive) school.run('naiveInstall', {}, school.school.automation.email, 'editor');
  const table = new Timetable(school);
  const course = school.school.courses[0]!;
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  const byMethod: Record<string, number> = {};
  let total = ZERO;
  let fixed = 0;

  const before = school.ws.kernel.calls.snapshot();
  const plan = table.add({
    course,
    title: 'Standard lesson',
    start: at(0, 10),
    minutes: 30,
    teacherJoins: -7,
    pupils: course.pupils,
    intruder: null,
  });
  const after = school.ws.kernel.calls.snapshot();
  const scheduling = Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]),
  );
  const count = (phase: Phase, calls: Record<string, number>) => {
    const t = tally(calls);
    total = add(total, t);
    byPhase[phase] += t.total;
    for (const [key, n] of Object.entries(calls))
      if (GOOGLE_SERVICES.has(key.split('.')[0]!) && n > 0)
        byMethod[key] = (byMethod[key] ?? 0) + n;
  };
  count('schedule', scheduling);

  const id = plan.lessonId!;
  let state = school.lessons().find((l) => l.id === id);
  const original = school.advance.bind(school);
  let hours = 0;
  school.advance = (ms, onRun) =>
    original(ms, (name: string, result: ExecutionResult<unknown>) => {
      const calls = result.execution.calls.snapshot();
      if (FIXED_JOBS.has(name)) {
        fixed += tally(calls).total;
        if (name === 'hourlyHousekeeping') hours += 1;
      } else {
        const now = school.lessons().find((l) => l.id === id);
        count(phaseOf(state, now, name), calls);
        state = now;
      }
      onRun?.(name, result);
    });
  // Until the recording has been collected and linked (it is ready 5 minutes after the end).
  table.runUntil(at(0, 11, 30));
  if (options.naive)
    return { total, byPhase, byMethod, fixedJobsPerHour: Math.round(fixed / Math.max(1, hours)) };
  const row = school.sessionRow(id);
  if (row?.Status !== 'closed')
    throw new Error(`the standard lesson did not close: ${String(row?.Status)}`);
  if (!String(row.Recording ?? ''))
    throw new Error('the standard lesson’s recording was not collected');
  return { total, byPhase, byMethod, fixedJobsPerHour: Math.round(fixed / Math.max(1, hours)) };
}

/** A monitor run when lessons are in the store but none has anything due. */
export function idleTick(): { google: number; local: number; lessonsInStore: number } {
  const school = new DeployedSchool({ teachers: 20, pupilsPerCourse: 3, start: at(0, 6) });
  const table = new Timetable(school);
  for (const course of school.school.courses)
    table.add({
      course,
      title: `Later ${course.id}`,
      start: at(0, 14),
      minutes: 30,
      teacherJoins: -3,
      pupils: course.pupils,
      intruder: null,
    });
  school.advance(65 * MIN); // the new lessons are logged and told to SLT in this hour
  let google = -1;
  let local = -1;
  school.advance(MIN, (name, result) => {
    if (name === 'monitorTick') {
      google = result.execution.calls.googleCalls();
      local = result.execution.calls.count() - google;
    }
  });
  return { google, local, lessonsInStore: school.lessons().length };
}
