// The school's automation: the minute monitor, the hourly housekeeping, the calendar
// change handler and the teacher-driven sweep. The monitor is installed by setup,
// run once by an administrator from the script project (an add-on may only create
// hourly triggers).

import { writeSettings } from '../adapters/config';
import { SheetDashboard } from '../adapters/dashboard-sheet';
import { SheetFollowUps } from '../adapters/follow-ups-sheet';
import { guarded } from '../adapters/google-failure';
import { MailQueueStore } from '../adapters/mail-queue-store';
import { ScriptPlumbing, type TriggerSpec } from '../adapters/plumbing';
import { RestClient } from '../adapters/rest-client';
import { SheetStatus } from '../adapters/status-sheet';
import { syncCalendar } from '../app/calendar-sync';
import { type DigestReport, refreshDashboard, sendDailyDigest } from '../app/digest';
import { syncFollowUps } from '../app/follow-ups';
import { type HealthDeps, lookAtPlaces, recordRun, tellAdminsFromSidebar } from '../app/health';
import { emptyReport, HARD_STOP_MS, type MonitorReport, runMonitor } from '../app/monitor';
import { errorName, isFailure, mustRethrow } from '../core/errors';
import {
  addServicesSeen,
  type JobName,
  type PlaceState,
  type RunObservation,
} from '../core/health';
import { formatSettings, type SettingProblem } from '../core/settings';
import { localDate } from '../core/time';
import type { Composed } from './composition';
import { newLogIfDue } from './new-log';
import {
  COLLECT_EVERY_MINUTES,
  collectRecordingsJob,
  PURGE_EVERY_HOURS,
  purgeRecordingsJob,
  RECORDING_TRIGGERS,
} from './recordings-jobs';
import { checkSettingsSheet, SETTINGS_SHEET } from './settings-sheet';

export const TRIGGERS = {
  monitor: 'monitorTick',
  housekeeping: 'hourlyHousekeeping',
  sweep: 'teacherSweep',
  calendar: 'onCalendarChange',
  digest: 'dailyDigest',
} as const;

/** The digest reaches SLT before the school day starts. */
export const DIGEST_HOUR = 7;

/** R28: each job's trigger, as setup installs it and as a job that finds it deleted puts it back. */
export const JOB_TRIGGERS: Record<JobName, TriggerSpec> = {
  monitor: { handler: TRIGGERS.monitor, everyMinutes: 1 },
  housekeeping: { handler: TRIGGERS.housekeeping, everyHours: 1 },
  collect: { handler: RECORDING_TRIGGERS.collect, everyMinutes: COLLECT_EVERY_MINUTES },
  purge: { handler: RECORDING_TRIGGERS.purge, everyHours: PURGE_EVERY_HOURS },
  digest: { handler: TRIGGERS.digest, dailyAtHour: DIGEST_HOUR },
};

export function monitorTick(app: Composed): MonitorReport {
  if (!app.isAutomation) {
    app.deps.log.warn(
      'monitorTick ran as an account that is not the automation account; nothing done',
    );
    return emptyReport(true);
  }
  return runJob(
    app,
    'monitor',
    () => runMonitor(app.deps),
    (r) => ({
      store: app.storeUsage(),
      mail: mailToday(app),
      ...logWriteSeen(r),
      ...(r.linksLate ? { linksLate: r.linksLate } : {}),
    }),
  );
}

/** R28: the monitor's write of the log, counted as its Google service (Sheets) for the run. */
function logWriteSeen(report: MonitorReport): RunExtras {
  const w = report.logWrite;
  if (!w) return {};
  // A log with no cells left is the log's problem, not Google Sheets failing (health-problems.ts).
  if (w.full) return { logCells: 'full' };
  return {
    services: {
      [w.service]: { ok: w.ok ? 1 : 0, failed: w.ok ? 0 : 1, lastError: w.detail },
    },
  };
}

/** R16: recording collection, as a job the others watch (R28). */
export function collectRecordingsTick(app: Composed) {
  if (!app.isAutomation) return collectRecordingsJob(app);
  return runJob(
    app,
    'collect',
    () => collectRecordingsJob(app),
    (r) =>
      'why' in r
        ? { error: r.why }
        : r.paused
          ? { drive: { state: vaultState(r.paused), detail: r.paused.slice(0, 160) } }
          : {},
  );
}

/** R17: the purge, as a job the others watch (R28). */
export function purgeRecordingsTick(app: Composed) {
  if (!app.isAutomation) return purgeRecordingsJob(app);
  return runJob(
    app,
    'purge',
    () => purgeRecordingsJob(app),
    (r) => ('why' in r ? { error: r.why } : {}),
  );
}

/** The shared drive as the collection found it when it had to pause. */
function vaultState(detail: string): PlaceState {
  return /no longer exists|not found|deleted|missing/i.test(detail) ? 'missing' : 'unreadable';
}

/** What the health use case needs, in this execution. */
export function healthDeps(app: Composed): HealthDeps {
  const s = app.services;
  const { config, deps } = app;
  return {
    clock: deps.clock,
    settings: deps.settings,
    store: deps.store,
    notifier: deps.notifier,
    log: deps.log,
    mutex: deps.mutex,
    health: app.health,
    plumbing: app.isAutomation
      ? new ScriptPlumbing(
          s.ScriptApp,
          s.SpreadsheetApp,
          new RestClient(s.UrlFetchApp, 'drive', deps.budget, () => deps.clock.now()),
          app.credentials,
          JOB_TRIGGERS,
          { logSpreadsheetId: config.logSpreadsheetId, sharedDriveId: config.sharedDriveId },
          deps.settings.timeZone,
        )
      : null,
    status:
      app.isAutomation && config.logSpreadsheetId
        ? new SheetStatus(s.SpreadsheetApp, config.logSpreadsheetId, {
            budget: deps.budget,
            now: () => deps.clock.now(),
          })
        : null,
    automationAccount: config.automationAccount ?? app.me,
    serviceAccount: config.delegation?.serviceAccount ?? null,
    memory: s.CacheService.getScriptCache(),
  };
}

type RunExtras = Partial<Omit<RunObservation, 'job' | 'startedAt' | 'endedAt'>>;

/**
 * R28: runs one automation job and, whatever happens to it, adds what it saw to the health
 * record, checks the other jobs and tells the admin what is new (app/health.ts).
 */
export function runJob<T>(
  app: Composed,
  job: JobName,
  work: () => T,
  verdict: (result: T) => RunExtras = () => ({}),
  options: { writeStatus?: boolean; startedAt?: number } = {},
): T {
  // A run may have done work before its job began (housekeeping starting a new log).
  const startedAt = options.startedAt ?? app.deps.clock.now();
  let extras: RunExtras = { error: 'stopped by an unexpected error' };
  // Every job starts no Google request 4:45 after it started (the monitor and the recordings
  // jobs also set their own); finishRun puts the budget back.
  app.deps.budget.stopAt = Math.min(app.deps.budget.stopAt, startedAt + HARD_STOP_MS);
  try {
    const result = work();
    extras = { error: null, ...verdict(result) };
    return result;
  } catch (error) {
    extras = { error: isFailure(error) ? `${error.service} ${error.kind}` : errorName(error) };
    throw error;
  } finally {
    finishRun(app, job, startedAt, extras, options);
  }
}

function finishRun(
  app: Composed,
  job: JobName,
  startedAt: number,
  extras: RunExtras,
  options: { writeStatus?: boolean },
): void {
  // The health check's own Google requests (Drive, tokens) stop where the job's did: 4:45 after
  // it started, so a long run is not killed at 6 minutes looking at the plumbing.
  const budget = app.deps.budget;
  budget.stopAt = startedAt + HARD_STOP_MS;
  try {
    const tally = app.usage.take();
    const told = recordRun(
      healthDeps(app),
      {
        job,
        startedAt,
        endedAt: app.deps.clock.now(),
        error: extras.error ?? null,
        urlFetch: tally.requests,
        // The run's UrlFetch tally, with what the job saw of services it reaches otherwise (Sheets).
        services: addServicesSeen(tally.services, extras.services),
        delegation: app.credentials.delegationSeen(),
        ...withoutError(extras),
      },
      options,
    );
    // The minute monitor's trigger was missing: this job does its pass now (links down, calls
    // ended), rather than leave it to the trigger just put back.
    if (job !== 'monitor' && told.reinstalled.includes('monitor'))
      runMonitor(app.deps, { budgetMs: FALLBACK_PASS_MS });
    // What the health check queued leaves with this run: the monitor may be the job that is
    // down, and a notice the full store could not take exists only in this execution.
    if (told.told.length + told.resolved.length + told.teachersTold > 0)
      app.deps.notifier.flush(
        Math.min(app.deps.clock.now() + HEALTH_FLUSH_MS, startedAt + HARD_STOP_MS),
      );
  } catch (error) {
    if (mustRethrow(error)) throw error;
    app.deps.log.warn(`health: the ${job} run was not recorded: ${errorName(error)}`);
  } finally {
    budget.stopAt = Number.POSITIVE_INFINITY;
  }
}

/** How long a job spends sending what its health check queued. */
const HEALTH_FLUSH_MS = 30_000;
/** The monitor's pass another job runs when it finds the monitor's trigger gone. */
const FALLBACK_PASS_MS = 2 * 60_000;

function withoutError(extras: RunExtras): RunExtras {
  const { error: _e, services: _s, ...rest } = extras;
  return rest;
}

/** Teacher-driven mode: the teacher's own hourly sweep (the most an add-on trigger may run). */
export function teacherSweep(app: Composed): MonitorReport {
  return runMonitor(app.deps, { onlyTeacher: app.me });
}

export function calendarChanged(app: Composed) {
  const started = app.deps.clock.now();
  const report = syncCalendar(app.deps, app.me);
  // What the change told people leaves from this execution (the automation retries the rest).
  app.deps.notifier.flush(started + MAIL_FLUSH_MS);
  return report;
}

/** How long a trigger other than the monitor may spend sending the mail queue. */
export const MAIL_FLUSH_MS = 2 * 60_000;

/**
 * Installs the teacher's own triggers once: calendar changes, and the hourly sweep without
 * delegation, or while the automation is not acting for teachers (R28: Google refuses it, or its
 * minute monitor has stopped; the teacher then has a fallback of their own).
 */
export function ensureTeacherTriggers(app: Composed): void {
  const script = app.services.ScriptApp;
  const mine = script.getProjectTriggers();
  const has = (name: string) => mine.some((t) => t.getHandlerFunction() === name);
  if (!has(TRIGGERS.calendar))
    script.newTrigger(TRIGGERS.calendar).forUserCalendar(app.me).onEventUpdated().create();
  if ((!app.config.delegation || app.automationCannotAct()) && !has(TRIGGERS.sweep))
    script.newTrigger(TRIGGERS.sweep).timeBased().everyHours(1).create();
}

/**
 * R28: a teacher who opens the sidebar while the automation is not acting gets their hourly
 * sweep; and, when its minute monitor has stopped with no job of its own left to say so, the
 * admin hears from this execution (once for the school: the health record marks it told).
 */
export function ensureSweepWhileRefused(app: Composed): void {
  if (app.isAutomation || !app.config.delegation || !app.automationCannotAct()) return;
  try {
    ensureTeacherTriggers(app);
  } catch (error) {
    // The card still answers; the sweep is installed at the teacher's next action.
    if (error instanceof TypeError || error instanceof ReferenceError) throw error;
    app.deps.log.warn('the teacher’s hourly sweep could not be installed now');
  }
  // Not only when the monitor is the trouble shown: delegation refused hides a stopped monitor.
  tellAdminsFromSidebar(healthDeps(app), app.alerts, app.me, app.deps.clock.now());
}

/** R19: every morning, serious flags and follow-ups to SLT and the DSL (automation only). */
export function dailyDigest(app: Composed): DigestReport | { skipped: true } {
  if (!app.isAutomation) return { skipped: true };
  return runJob(app, 'digest', () => {
    const started = app.deps.clock.now();
    const report = sendDailyDigest(app.deps);
    app.deps.notifier.flush(started + MAIL_FLUSH_MS);
    return report;
  });
}

type HousekeepingReport = {
  settingsProblems: SettingProblem[];
  consentPupils: number;
  retryLater?: boolean;
  dashboard?: boolean;
  /** R23: marks SLT cleared in the Follow-ups sheet this hour. */
  followUpsCleared?: number;
  /** The new log this run started (new-log.ts), by id. */
  newLog?: string;
};

/**
 * Hourly: settings from the Settings sheet (validated, all or nothing), and the consent snapshot;
 * then (R28) a look at the log, the shared drive and delegation, the day's mail and store, and
 * the Status sheet.
 */
export function housekeeping(given: Composed, recompose: () => Composed): HousekeepingReport {
  const out: HousekeepingReport = { settingsProblems: [], consentPupils: 0 };
  if (!given.isAutomation || !given.config.logSpreadsheetId) return out;
  const startedAt = given.deps.clock.now();
  // A log nearly full that nobody replaced is replaced first, at night (new-log.ts); setup then
  // read the settings and drew the dashboard, so the hour's reading waits for the next hour and
  // this run sends the mail and records itself, in the new log.
  const renewed = newLogIfDue(given, recompose);
  const app = renewed ?? given;
  const id = app.config.logSpreadsheetId!;
  return runJob(
    app,
    'housekeeping',
    () => {
      if (!renewed) return keepHouse(app, id, out);
      app.deps.notifier.flush(
        Math.min(app.deps.clock.now() + MAIL_FLUSH_MS, startedAt + HARD_STOP_MS),
      );
      return { ...out, newLog: id };
    },
    (report) => ({
      error: report.retryLater ? 'the log spreadsheet could not be read or written' : null,
      ...lookAtPlaces(healthDeps(app), app.deps.clock.now()),
      store: app.storeUsage(),
      mail: mailToday(app),
    }),
    { writeStatus: true, startedAt },
  );
}

/** The day's email recipients and whether MailApp is failing, as the mail queue counts them. */
function mailToday(app: Composed): RunObservation['mail'] {
  const state = new MailQueueStore(app.services.PropertiesService.getScriptProperties()).state();
  const today = localDate(app.deps.clock.now(), app.deps.settings.timeZone);
  return {
    recipients: state && state.today.day === today ? state.today.recipients : 0,
    failingSince: state?.failingSince ?? null,
    quotaShort: state?.quotaShort
      ? {
          since: state.quotaShort.since,
          left: state.quotaShort.left,
          alerts: state.quotaShort.alerts,
          count: state.quotaShort.count,
        }
      : null,
  };
}

function keepHouse(app: Composed, id: string, out: HousekeepingReport): HousekeepingReport {
  const started = app.deps.clock.now();
  try {
    return guarded('sheets', () => readSheets(app, id, out));
  } catch (error) {
    // Sheets unavailable: the last good settings and consent snapshot stay in force.
    if (!isFailure(error)) throw error;
    app.deps.log.warn(`housekeeping will retry next hour: ${error.kind}`);
    return { ...out, retryLater: true };
  } finally {
    // Issue 9: the mail queue is sent here too, whatever happened to the sheets.
    app.deps.notifier.flush(started + MAIL_FLUSH_MS);
  }
}

function readSheets(app: Composed, id: string, out: HousekeepingReport): HousekeepingReport {
  const book = app.services.SpreadsheetApp.openById(id);
  const sheet = book.getSheetByName(SETTINGS_SHEET);
  if (sheet && sheet.getLastRow() >= 2) {
    const parsed = checkSettingsSheet(sheet);
    if (parsed.ok)
      writeSettings(app.services.PropertiesService.getScriptProperties(), parsed.settings);
    else {
      out.settingsProblems = parsed.problems;
      app.deps.notifier.send(
        app.deps.settings.sltEmails,
        'Safe Live Lessons: the Settings sheet has problems',
        `The settings were not changed, because:\n${parsed.problems.map((p) => `- ${p.message}`).join('\n')}`,
      );
    }
  }
  const consent = book.getSheetByName('Consent');
  if (consent && consent.getLastRow() >= 2) {
    const rows = consent.getRange(2, 1, consent.getLastRow() - 1, 3).getValues();
    const keys = rows
      .filter((r) => /^(yes|y|true)$/i.test(String(r[2]).trim()))
      .map((r) => String(r[0]).trim().toLowerCase())
      .filter(Boolean);
    app.consent.replace(keys, app.deps.clock.now());
    out.consentPupils = keys.length;
  }
  // R23: SLT's clearings in the Follow-ups sheet, and the open marks written to it.
  out.followUpsCleared = syncFollowUps(
    app.deps,
    new SheetFollowUps(app.services.SpreadsheetApp, id),
  ).cleared;
  if (book.getSheetByName('Dashboard')) {
    refreshDashboard(
      app.deps,
      new SheetDashboard(
        app.services.SpreadsheetApp,
        id,
        app.deps.settings.timeZone,
        app.services.Charts,
        app.services.PropertiesService.getScriptProperties(),
      ),
    );
    out.dashboard = true;
  }
  return out;
}

export { formatSettings };
