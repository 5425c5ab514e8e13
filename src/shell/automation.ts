// The school's automation: the minute monitor, the hourly housekeeping, the calendar
// change handler and the teacher-driven sweep. The monitor is installed by setup,
// run once by an administrator from the script project (an add-on may only create
// hourly triggers).

import { writeSettings } from '../adapters/config';
import { SheetDashboard } from '../adapters/dashboard-sheet';
import { SheetFollowUps } from '../adapters/follow-ups-sheet';
import { guarded } from '../adapters/google-failure';
import { syncCalendar } from '../app/calendar-sync';
import { type DigestReport, refreshDashboard, sendDailyDigest } from '../app/digest';
import { syncFollowUps } from '../app/follow-ups';
import { emptyReport, type MonitorReport, runMonitor } from '../app/monitor';
import { isFailure } from '../core/errors';
import { formatSettings, type SettingProblem } from '../core/settings';
import type { Composed } from './composition';
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

export function monitorTick(app: Composed): MonitorReport {
  if (!app.isAutomation) {
    app.deps.log.warn(
      'monitorTick ran as an account that is not the automation account; nothing done',
    );
    return emptyReport(true);
  }
  return runMonitor(app.deps);
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

/** Installs the teacher's own triggers once: calendar changes, and the hourly sweep without delegation. */
export function ensureTeacherTriggers(app: Composed): void {
  const script = app.services.ScriptApp;
  const mine = script.getProjectTriggers();
  const has = (name: string) => mine.some((t) => t.getHandlerFunction() === name);
  if (!has(TRIGGERS.calendar))
    script.newTrigger(TRIGGERS.calendar).forUserCalendar(app.me).onEventUpdated().create();
  if (!app.config.delegation && !has(TRIGGERS.sweep))
    script.newTrigger(TRIGGERS.sweep).timeBased().everyHours(1).create();
}

/** R19: every morning, serious flags and follow-ups to SLT and the DSL (automation only). */
export function dailyDigest(app: Composed): DigestReport | { skipped: true } {
  if (!app.isAutomation) return { skipped: true };
  const started = app.deps.clock.now();
  const report = sendDailyDigest(app.deps);
  app.deps.notifier.flush(started + MAIL_FLUSH_MS);
  return report;
}

type HousekeepingReport = {
  settingsProblems: SettingProblem[];
  consentPupils: number;
  retryLater?: boolean;
  dashboard?: boolean;
  /** R23: marks SLT cleared in the Follow-ups sheet this hour. */
  followUpsCleared?: number;
};

/** Hourly: settings from the Settings sheet (validated, all or nothing), and the consent snapshot. */
export function housekeeping(app: Composed): HousekeepingReport {
  const out: HousekeepingReport = { settingsProblems: [], consentPupils: 0 };
  const id = app.config.logSpreadsheetId;
  if (!app.isAutomation || !id) return out;
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
