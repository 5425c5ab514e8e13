// R18, R28: the product starts a new log itself when nobody has. From 80% of the cells Google
// allows a spreadsheet the admin is told, daily, to run setup (which keeps the full log as the
// record and makes a new one); a log past 90%, or refusing rows, that nobody has replaced is
// replaced by the automation account's own hourly job, at night where the school is (no lesson
// runs then), by running setup as that account. SLT, the DSL and the admins are told where the
// new log is. What the hour's housekeeping does after it is done in the new log.
// doc: https://support.google.com/drive/answer/37603 (10 million cells a spreadsheet)

import { admins } from '../app/health';
import { errorName, isKilled } from '../core/errors';
import { newLogDue } from '../core/health';
import { thousands } from '../core/health-problems';
import type { Composed } from './composition';
import { runSetup, type SetupReport } from './setup';

/**
 * The log's address as Google gives it (the spreadsheet id is the part after /d/).
 * doc: https://developers.google.com/workspace/sheets/api/guides/concepts ("Spreadsheet ID")
 */
export function logUrl(spreadsheetId: string): string {
  return `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`;
}

/**
 * Starts a new log when one is due (newLogDue). Returns the application composed afresh for the
 * new log, so that the rest of the run writes there; null when no new log was made.
 */
export function newLogIfDue(app: Composed, recompose: () => Composed): Composed | null {
  const now = app.deps.clock.now();
  if (!app.isAutomation || !newLogDue(app.health.read(), now, app.deps.settings.timeZone))
    return null;
  // Noted first: a run that fails or is cut off does not try again before the next night.
  app.deps.mutex.run(() => {
    const state = app.health.read();
    if (state?.logCells)
      app.health.write({ ...state, logCells: { ...state.logCells, newLogTried: now } });
  }, 10_000);
  let report: SetupReport;
  try {
    report = runSetup(app);
  } catch (error) {
    if (isKilled(error)) throw error;
    app.deps.log.warn(`new log: setup failed: ${errorName(error)}`);
    app.deps.notifier.send(
      admins(app.deps.settings),
      'Safe Live Lessons: the log is nearly full and a new one could not be started',
      `The log spreadsheet has nearly used the 10,000,000 cells Google allows a spreadsheet, and nobody has started a new one, so Safe Live Lessons tried to, by running setup, and could not (${errorName(error)}). It will try again tomorrow night. Please run setup yourself from the script project, signed in as ${app.me}: it keeps the old log as the record and makes a new one. Until then, rows the log has no room for wait in the script’s store.`,
    );
    return null;
  }
  // Setup's own count found room after all (the log was trimmed or replaced meanwhile).
  if (!report.ended) return null;
  const next = recompose();
  // One execution: what this part sent counts with the rest of the run.
  next.usage.add(app.usage.take());
  const settings = next.deps.settings;
  const told = [...new Set([...admins(settings), ...settings.sltEmails, ...settings.dslEmails])];
  next.deps.notifier.send(
    told,
    'Safe Live Lessons: a new log spreadsheet was started',
    [
      `The log spreadsheet had used ${thousands(report.ended.cells)} of the 10,000,000 cells Google allows a spreadsheet, and nobody had started a new one, so Safe Live Lessons started one itself tonight.`,
      '',
      `The new log: ${logUrl(report.spreadsheetId)}`,
      'It holds the settings in force, the consent register, the incidents (with SLT’s and the DSL’s columns) and the recordings not yet purged. Lessons are logged there from now on. Only SLT and the DSL can open it.',
      '',
      `The old log stays as the record, renamed "${report.ended.name}", shared with SLT and the DSL as before. Nothing is written to it any more.`,
      ...(report.ok
        ? []
        : ['', 'Setup also found something to put right:', ...report.lines.map((l) => `- ${l}`)]),
    ].join('\n'),
  );
  return next;
}
