// R28, issue 9 (point 4): at the end of every automation job's run, what it saw is added to the
// health record; every job checks the others (a job late for its period has its trigger looked
// at, and put back if it was deleted); and what is newly wrong (or right again) is told to the
// school's admin in plain words, at once for what stops lessons being safe. While delegation
// fails, each teacher with a lesson open or starting within the hour is told to run it from the
// sidebar. The hourly job also looks at the log spreadsheet, the shared drive and delegation
// itself, and writes the log's Status sheet.

import { isFailure, mustRethrow } from '../core/errors';
import {
  emptyHealth,
  type HealthState,
  type Heartbeat,
  type JobName,
  lateJobs,
  logCellsDue,
  monitorStopped,
  noteRun,
  type RunObservation,
  refusedAccounts,
  type TeacherTrouble,
  teacherKey,
  teacherTrouble,
  withHeartbeats,
} from '../core/health';
import {
  type LessonAtRisk,
  lessonsAtRisk,
  meetDownNotice,
  refusedAccountsNotice,
  resolvedNotice,
  teacherNotice,
  withLessons,
  withTeacherLessons,
} from '../core/health-notices';
import {
  assess,
  isAccountKey,
  LESSONS_MARKER,
  type Problem,
  reconcile,
} from '../core/health-problems';
import { endCallAt, type Lesson, linkIsLive } from '../core/lesson';
import type { AlertMail, HealthStore, Plumbing, ShortMemory, StatusSheet } from '../core/ports';
import { statusRows } from '../core/status-rows';
import type { Deps } from './deps';

/** Triggers are looked at, when a job is late, at most this often. */
const TRIGGERS_LOOK_EVERY_MS = 10 * 60_000;
const LOCK_WAIT_MS = 10_000;

export interface HealthDeps
  extends Pick<Deps, 'clock' | 'settings' | 'store' | 'notifier' | 'log' | 'mutex'> {
  health: HealthStore;
  /** The automation's own set-up (triggers, log, drive, delegation); null where it cannot look. */
  plumbing: Plumbing | null;
  /** The log's Status sheet; null where the log cannot be written. */
  status: StatusSheet | null;
  automationAccount: string;
  serviceAccount: string | null;
  /** Where what was told is remembered when the store refuses the health record; optional. */
  memory?: ShortMemory;
}

export interface HealthReport {
  /** Keys of the problems told now (new, or a daily reminder). */
  told: string[];
  /** Keys of the problems that are over. */
  resolved: string[];
  /** Jobs whose deleted trigger this run put back. */
  reinstalled: JobName[];
  /** Teachers told to run their lessons from the sidebar. */
  teachersTold: number;
}

/** A failure as a lesson keeps it (R28: the log and the alerts say it was Google). */
export function googleFailureOf(error: Error): { kind: string; service: string; detail: string } {
  if (isFailure(error))
    return {
      kind: error.kind,
      service: error.service,
      detail: error.status ? `HTTP ${error.status}` : error.kind,
    };
  return { kind: 'permanent', service: 'google', detail: error.name };
}

/** Who hears of broken plumbing: the school's admins, else SLT (settings.ts, adminEmails). */
export function admins(settings: HealthDeps['settings']): string[] {
  return settings.adminEmails.length > 0 ? settings.adminEmails : settings.sltEmails;
}

/** One job's run is over: note it, check the others, tell what is new. Never throws for Google. */
export function recordRun(
  deps: HealthDeps,
  run: RunObservation,
  options: { writeStatus?: boolean } = {},
): HealthReport {
  const report: HealthReport = { told: [], resolved: [], reinstalled: [], teachersTold: 0 };
  // Alerts held back by the mail quota (or sent once it allows), and links still up at their
  // lesson's end (or taken down): the Status sheet says so now.
  let statusTurned = false;
  const noted = update(deps, (s) => {
    const next = noteRun(s, run);
    statusTurned =
      quotaShortKey(s) !== quotaShortKey(next) ||
      linksLateKey(s) !== linksLateKey(next) ||
      mailFailingKey(s) !== mailFailingKey(next);
    return next;
  });
  if (noted === 'refused') {
    beat(deps, run);
    return tellFromMemory(deps, run, report);
  }
  if (!noted) {
    deps.log.warn(`health: the ${run.job} run could not be noted (the script lock was busy)`);
    return report;
  }
  const now = deps.clock.now();
  let state = withBeats(deps, noted, now);

  // Each job checks the others: a late job's trigger is looked at, and put back if deleted.
  const late = lateJobs(state, now).filter((j) => j !== run.job);
  let installedButLate: JobName[] = [];
  if (
    late.length > 0 &&
    deps.plumbing &&
    (state.triggersCheckedAt === null || now - state.triggersCheckedAt >= TRIGGERS_LOOK_EVERY_MS)
  ) {
    const missing = safely(deps, 'triggers', () => deps.plumbing!.missingTriggers(late)) ?? [];
    for (const job of missing)
      if (safely(deps, 'trigger', () => deps.plumbing!.reinstall(job)))
        report.reinstalled.push(job);
    installedButLate = late.filter((j) => !missing.includes(j));
  }

  const problems = assess(state, now, {
    timeZone: deps.settings.timeZone,
    automationAccount: deps.automationAccount,
    serviceAccount: deps.serviceAccount,
    reinstalled: report.reinstalled,
    installedButLate,
  });
  const looked = late.length > 0 && deps.plumbing !== null;
  // Most runs find nothing new: then nothing more is written (an idle monitor run costs one
  // read and one write of the record).
  const quiet = reconcile(state.open, problems, now);
  let decided: ReturnType<typeof reconcile> | null = null;
  if (looked || quiet.tell.length > 0 || quiet.resolved.length > 0) {
    const box: { told: ReturnType<typeof reconcile> | null } = { told: null };
    const saved = update(deps, (s) => {
      const told = reconcile(s.open, problems, now);
      box.told = told;
      return { ...s, open: told.open, triggersCheckedAt: looked ? now : s.triggersCheckedAt };
    });
    if (saved === 'refused')
      decided = { ...quiet, tell: unlessRemembered(deps, quiet.tell), resolved: [] };
    else if (saved && box.told) {
      state = saved;
      // A problem told from memory while the store refused it is not told again once it saves.
      const told = box.told;
      decided = { ...told, tell: told.tell.filter((p) => !remembered(deps, p.key)) };
    }
  }
  if (decided) {
    tellAdmins(deps, decided.tell, now, problems);
    for (const r of decided.resolved) {
      const words = resolvedNotice(r.key, r.since, now, deps.settings.timeZone, state);
      if (words)
        deps.notifier.send(
          recipients(deps.settings, isAccountKey(r.key)),
          words.subject,
          words.body,
          {
            kind: 'admin-health',
          },
        );
    }
    report.told = decided.tell.map((p) => p.key);
    report.resolved = decided.resolved.map((r) => r.key);
  }
  const trouble = teacherTrouble(state, now);
  // A monitor whose deleted trigger this run put back is running again: teachers need not act.
  if (trouble && !(trouble.why === 'monitor' && report.reinstalled.includes('monitor'))) {
    report.teachersTold = tellTeachers(deps, state, trouble, now);
    if (report.teachersTold > 0) state = deps.health.read() ?? state;
  }
  if (report.told.length + report.resolved.length > 0)
    deps.log.warn(
      `health: told ${report.told.join(', ') || 'nothing'}; over: ${report.resolved.join(', ') || 'nothing'}`,
    );
  if (
    deps.status &&
    (options.writeStatus || statusTurned || report.told.length + report.resolved.length > 0)
  )
    writeStatus(deps, state, now);
  return report;
}

/** The hourly look at what no run exercises by itself: the log, the shared drive, delegation. */
export function lookAtPlaces(
  deps: Pick<HealthDeps, 'plumbing' | 'store' | 'settings' | 'log'> &
    Partial<Pick<HealthDeps, 'health'>>,
  now: number,
): Pick<RunObservation, 'log' | 'drive' | 'logCells'> {
  const plumbing = deps.plumbing;
  if (!plumbing) return {};
  const out: Pick<RunObservation, 'log' | 'drive' | 'logCells'> = {};
  const record = deps.health ? safely(deps, 'health record', () => deps.health!.read()) : null;
  const log = plumbing.checkLog();
  if (log) out.log = log;
  // R18, R28: how full the log is, once a day (hourly while a write was refused for want of cells).
  if (log?.state === 'ok' && logCellsDue(record, now)) {
    const cells = plumbing.logCells();
    if (cells !== null) out.logCells = cells;
  }
  const drive = plumbing.checkDrive();
  if (drive) out.drive = drive;
  const refused = record ? refusedAccounts(record, now).map((a) => a.teacher) : [];
  const who = delegationProbeUser(deps.store.all(), deps.settings.sltEmails, now, refused);
  if (who) plumbing.checkDelegation(who);
  return out;
}

/**
 * Whom to ask a delegated token for: the next lesson's teacher, else the first of SLT. A teacher
 * Google refuses one by one is passed over: their answer says nothing of delegation as a whole.
 */
export function delegationProbeUser(
  lessons: readonly Lesson[],
  slt: readonly string[],
  now: number,
  refused: readonly string[] = [],
): string | null {
  const skip = new Set(refused.map((t) => t.toLowerCase()));
  const next = lessons
    .filter(
      (l) =>
        (l.status === 'scheduled' || l.status === 'open') &&
        l.end > now &&
        !skip.has(l.teacher.toLowerCase()),
    )
    .sort((a, b) => a.start - b.start)[0];
  return next?.teacher ?? slt[0] ?? null;
}

/** The admins, and SLT too where a teacher's lessons are at risk (one refused account). */
function recipients(settings: HealthDeps['settings'], withSlt: boolean): string[] {
  return withSlt ? [...new Set([...admins(settings), ...settings.sltEmails])] : admins(settings);
}

function tellAdmins(
  deps: HealthDeps,
  all: readonly Problem[],
  now: number,
  assessed: readonly Problem[] = all,
): void {
  if (all.length === 0) return;
  const tz = deps.settings.timeZone;
  // Refused accounts told at the same run go out as one alert (a bulk suspension is one thing),
  // listing those told of earlier too.
  const accounts = all.flatMap((p) => (p.account ? [p.account] : []));
  const problems = accounts.length >= 2 ? all.filter((p) => !p.account) : all;
  if (accounts.length >= 2) {
    const told = new Set(accounts.map((a) => a.teacher));
    const earlier = assessed.flatMap((p) =>
      p.account && !told.has(p.account.teacher) ? [p.account] : [],
    );
    const words = refusedAccountsNotice(accounts, lessonsNow(deps), tz, now, earlier);
    deps.notifier.send(recipients(deps.settings, true), words.subject, words.body, {
      urgency: 'now',
      kind: 'admin-health',
    });
  }
  for (const p of problems) {
    const to = recipients(deps.settings, p.toSlt === true);
    deps.notifier.send(to, p.subject, adminBody(deps, p, now), {
      urgency: p.urgent ? 'now' : 'soon',
      kind: 'admin-health',
    });
  }
}

/** A problem's words for the admin, with the lessons it puts at risk where it lists them. */
function adminBody(deps: HealthDeps, p: Problem, now: number): string {
  const tz = deps.settings.timeZone;
  if (!p.body.includes(LESSONS_MARKER)) return p.body;
  return p.lessonsOf
    ? withTeacherLessons(p.body, lessonsNow(deps), p.lessonsOf, tz, now)
    : withLessons(p.body, atRisk(deps, now), tz, now);
}

/**
 * While delegation is refused, the minute monitor has stopped, or Meet fails: each teacher with
 * a lesson open or starting within the hour, once.
 */
function tellTeachers(
  deps: HealthDeps,
  state: HealthState,
  trouble: TeacherTrouble,
  now: number,
): number {
  const since = trouble.since;
  const told = new Set(state.teachersTold);
  const byTeacher = new Map<string, LessonAtRisk[]>();
  for (const l of atRisk(deps, now)) {
    if (told.has(teacherKey(l.teacher))) continue;
    byTeacher.set(l.teacher, [...(byTeacher.get(l.teacher) ?? []), l]);
  }
  if (byTeacher.size === 0) return 0;
  const keys = [...byTeacher.keys()].map(teacherKey);
  const saved = update(deps, (s) => ({
    ...s,
    teachersTold: [...new Set([...s.teachersTold, ...keys])],
  }));
  if (!saved || saved === 'refused') return 0;
  for (const [teacher, lessons] of byTeacher) {
    const tz = deps.settings.timeZone;
    const words =
      trouble.why === 'meet'
        ? meetDownNotice(lessons, since, tz, now)
        : teacherNotice(lessons, since, tz, now, trouble.why);
    deps.notifier.send([teacher], words.subject, words.body, {
      urgency: 'now',
      kind: trouble.why === 'meet' ? 'teacher-meet-down' : 'teacher-act-from-sidebar',
    });
  }
  return byTeacher.size;
}

function atRisk(deps: HealthDeps, now: number): LessonAtRisk[] {
  return lessonsAtRisk(lessonsNow(deps), now);
}

/** Every lesson in the store, as the health notices describe lessons. */
function lessonsNow(deps: HealthDeps): LessonAtRisk[] {
  const lessons = safely(deps, 'lessons', () => deps.store.all()) ?? [];
  return lessons.map((l) => riskOf(l, deps.settings.endGraceMinutes));
}

function riskOf(l: Lesson, graceMinutes: number): LessonAtRisk {
  return {
    id: l.id,
    title: l.title,
    courseName: l.courseName,
    teacher: l.teacher,
    start: l.start,
    end: l.end,
    status: l.status,
    linkLive: linkIsLive(l),
    callRunning: l.status === 'open' && l.conference !== null,
    endCallAt: endCallAt(l, graceMinutes),
    roomNeverMade: l.status === 'closed' && l.room === null,
  };
}

function writeStatus(deps: HealthDeps, state: HealthState, now: number): void {
  safely(deps, 'status sheet', () =>
    deps.status!.write(statusRows(state, now, deps.settings.timeZone, lessonsNow(deps))),
  );
}

/**
 * The health record changed under the script lock: the new state, null when the lock was busy
 * (another run is looking), or 'refused' when the store would not take the write.
 */
function update(
  deps: HealthDeps,
  change: (state: HealthState) => HealthState,
): HealthState | 'refused' | null {
  const done = safely(deps, 'health record', () =>
    deps.mutex.run(() => {
      const next = change(deps.health.read() ?? emptyHealth(deps.clock.now()));
      deps.health.write(next);
      return next;
    }, LOCK_WAIT_MS),
  );
  if (done === null) return 'refused';
  return done.ok ? done.value : null;
}

/** CacheService keeps a value at most six hours: a refused store is told again after that. */
const MEMORY_SECONDS = 6 * 3600;

/**
 * The store refused the health record (R28: it is full, or nearly). What the run saw is still
 * assessed, and told as if the record had been saved.
 */
function tellFromMemory(deps: HealthDeps, run: RunObservation, report: HealthReport): HealthReport {
  const now = deps.clock.now();
  const state = withBeats(
    deps,
    noteRun(safely(deps, 'health record', () => deps.health.read()) ?? emptyHealth(now), run),
    now,
  );
  const problems = assess(state, now, {
    timeZone: deps.settings.timeZone,
    automationAccount: deps.automationAccount,
    serviceAccount: deps.serviceAccount,
    reinstalled: [],
    installedButLate: [],
  });
  const told = unlessRemembered(deps, reconcile(state.open, problems, now).tell);
  tellAdmins(deps, told, now, problems);
  report.told = told.map((p) => p.key);
  return report;
}

const beatKey = (job: JobName) => `health:ran:${job}`;

function readBeat(deps: Pick<HealthDeps, 'memory' | 'log'>, job: JobName): Heartbeat | null {
  const memory = deps.memory;
  const raw = memory ? safely(deps, 'memory', () => memory.get(beatKey(job))) : null;
  if (!raw) return null;
  try {
    const beat = JSON.parse(raw) as Partial<Heartbeat>;
    return typeof beat.lastRun === 'number'
      ? { lastRun: beat.lastRun, lastOk: typeof beat.lastOk === 'number' ? beat.lastOk : null }
      : null;
  } catch {
    return null;
  }
}

/**
 * A run the full store would not note is kept as a heartbeat in the memory outside it, so the
 * other jobs do not take it for a job that has stopped (its trigger deleted).
 */
function beat(deps: HealthDeps, run: RunObservation): void {
  const memory = deps.memory;
  if (!memory) return;
  const lastOk = run.error === null ? run.endedAt : (readBeat(deps, run.job)?.lastOk ?? null);
  const value: Heartbeat = { lastRun: run.endedAt, lastOk };
  safely(deps, 'memory', () => memory.put(beatKey(run.job), JSON.stringify(value), MEMORY_SECONDS));
}

/** The record with the heartbeats of the jobs it shows late (memory is read only then). */
/**
 * R28, for the sidebar: why the teacher must run their lessons themselves now (delegation refused,
 * or the minute monitor stopped: its heartbeat outside the store counts too), or null.
 */
export function troubleForTeachers(
  deps: Pick<HealthDeps, 'health' | 'memory' | 'log'>,
  now: number,
): TeacherTrouble | null {
  const state = safely(deps, 'health record', () => deps.health.read());
  if (!state) return null;
  const trouble = teacherTrouble(withBeats(deps, state, now), now);
  return trouble && trouble.why !== 'meet' ? trouble : null;
}

/**
 * R28, from a teacher's sidebar: the minute monitor has stopped and no job of the automation has
 * told the admin (none runs: the automation account suspended, or its authorisation lost). The
 * admin hears from this execution, once: the problem is marked told in the health record, so
 * other teachers' sidebars stay quiet and the automation, once it runs, says it works again.
 * Returns whether it told (an email the teacher's MailApp refused leaves the problem untold).
 */
export function tellAdminsFromSidebar(
  deps: HealthDeps,
  alerts: AlertMail,
  teacher: string,
  now: number,
): boolean {
  const read = safely(deps, 'health record', () => deps.health.read());
  if (!read) return false;
  const state = withBeats(deps, read, now);
  // Whatever else is wrong (delegation refused too): no job is left to say the monitor stopped.
  if (!monitorStopped(state.jobs, now) || state.open['job:monitor']) return false;
  const late = assess(state, now, {
    timeZone: deps.settings.timeZone,
    automationAccount: deps.automationAccount,
    serviceAccount: deps.serviceAccount,
    reinstalled: [],
    installedButLate: [],
  }).filter((p) => p.key.startsWith('job:'));
  let fresh: Problem[] = [];
  const saved = update(deps, (s) => {
    fresh = late.filter((p) => !s.open[p.key]);
    const open = { ...s.open };
    for (const p of fresh) open[p.key] = { since: p.since, toldAt: now };
    return { ...s, open };
  });
  if (!saved || saved === 'refused' || fresh.length === 0) return false;
  const found = `Found by the Safe Live Lessons sidebar of ${teacher}: none of the automation's own jobs has run to tell you.\n`;
  // Sent at once, as the teacher: no job of the automation runs to send it from the queue later.
  // What the teacher's MailApp refused is not left marked told, so the next sidebar sends it.
  const unsent = fresh
    .filter((p) => {
      const to = recipients(deps.settings, p.toSlt === true);
      return !alerts.alert(to, p.subject, found + adminBody(deps, p, now));
    })
    .map((p) => p.key);
  if (unsent.length > 0)
    update(deps, (s) => {
      const open = { ...s.open };
      for (const key of unsent) if (open[key]?.toldAt === now) delete open[key];
      return { ...s, open };
    });
  return unsent.length < fresh.length;
}

function withBeats(
  deps: Pick<HealthDeps, 'memory' | 'log'>,
  state: HealthState,
  now: number,
): HealthState {
  const late = lateJobs(state, now);
  if (late.length === 0 || !deps.memory) return state;
  const beats: Partial<Record<JobName, Heartbeat>> = {};
  for (const job of late) {
    const found = readBeat(deps, job);
    if (found) beats[job] = found;
  }
  return withHeartbeats(state, beats);
}

/** Whether the problem was told from memory in the last six hours. */
function remembered(deps: HealthDeps, key: string): boolean {
  const memory = deps.memory;
  return !!memory && safely(deps, 'memory', () => memory.get(`health:${key}`)) !== null;
}

/**
 * Of the problems to tell, those not told in the last six hours, by a memory outside the store
 * (none without one: better one mail missed than one a minute). Each is remembered as told.
 */
function unlessRemembered(deps: HealthDeps, problems: readonly Problem[]): Problem[] {
  const memory = deps.memory;
  const fresh = memory ? problems.filter((p) => !remembered(deps, p.key)) : [];
  for (const p of fresh)
    safely(deps, 'memory', () => memory?.put(`health:${p.key}`, '1', MEMORY_SECONDS));
  deps.log.warn(
    `health: the store refused the health record; ${fresh.length} of ${problems.length} told from memory`,
  );
  return fresh;
}

/** Health work never stops a job: a failure is a log line (failure kinds only). */
function safely<T>(deps: Pick<HealthDeps, 'log'>, what: string, work: () => T): T | null {
  try {
    return work();
  } catch (error) {
    if (mustRethrow(error)) throw error;
    deps.log.warn(`health: ${what} not done: ${(error as { name?: unknown })?.name ?? 'error'}`);
    return null;
  }
}

/** What the Status sheet shows of links still up at their lesson's end, as one key. */
function linksLateKey(state: HealthState): string {
  const late = state.linksLate;
  return late ? `${late.count}:${late.ids.join(',')}` : '';
}

/** What the Status sheet's mail row shows of alerts held back by the quota, as one key. */
/**
 * MailApp began failing, or works again: the Status sheet says so at once (while mail cannot go
 * out it is the only channel), not at the next hourly write or the admin's alert an hour on.
 */
function mailFailingKey(state: HealthState): string {
  return String(state.mail?.failingSince ?? '');
}

function quotaShortKey(state: HealthState): string {
  const q = state.mail?.quotaShort;
  return q ? `${q.since}:${q.alerts.map((a) => a.id).join(',')}` : '';
}
