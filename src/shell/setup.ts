// One setup function, run by an administrator from the script project (as the
// school's automation account). It creates or adopts the log spreadsheet, shares it
// only with SLT and the DSL, installs the automation's triggers idempotently (running
// it twice leaves one of each), and prints a health check in plain words.

import { readConfig, writeConfig, writeSettings } from '../adapters/config';
import { DELEGATED_SCOPES } from '../adapters/credentials';
import { RECORDING_SHEETS } from '../adapters/recordings-sheet';
import { SHEETS } from '../adapters/sheet-log';
import { ATTENDANCE_COLUMNS, SESSION_COLUMNS, SESSION_RECORDING_COLUMNS } from '../core/log-rows';
import { AUDIT_COLUMNS, RECORDINGS_COLUMNS } from '../core/recording';
import { DEFAULT_SETTINGS, formatSettings, parseSettings } from '../core/settings';
import { TRIGGERS } from './automation';
import type { Composed } from './composition';
import {
  COLLECT_EVERY_MINUTES,
  PURGE_EVERY_HOURS,
  RECORDING_TRIGGERS,
  setupRecordings,
} from './recordings-jobs';

export const LOG_TITLE = 'Safe Live Lessons: safeguarding log';
const CONSENT_COLUMNS = [
  'Pupil Email',
  'Pupil Name',
  'Consent Given (yes/no)',
  'Date',
  'Recorded By',
];

export interface SetupReport {
  ok: boolean;
  lines: string[];
  spreadsheetId: string;
}

export function runSetup(app: Composed): SetupReport {
  const s = app.services;
  const props = s.PropertiesService.getScriptProperties();
  const lines: string[] = [];
  let ok = true;
  const config = readConfig(props);
  config.automationAccount = app.me;
  const serviceAccount = props.getProperty('delegationServiceAccount');
  config.delegation = serviceAccount ? { serviceAccount, scopes: DELEGATED_SCOPES } : null;

  // The log spreadsheet: adopt the recorded one if it still opens, else create it.
  let book: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  if (config.logSpreadsheetId) {
    try {
      book = s.SpreadsheetApp.openById(config.logSpreadsheetId);
      lines.push('Log spreadsheet: adopted the existing one.');
    } catch {
      lines.push('Log spreadsheet: the recorded one could not be opened; a new one was made.');
    }
  }
  if (!book) {
    book = s.SpreadsheetApp.create(LOG_TITLE);
    book.getSheets()[0]!.setName(SHEETS.sessions);
    lines.push('Log spreadsheet: created.');
  }
  config.logSpreadsheetId = book.getId();
  ensureSheet(book, SHEETS.sessions, [...SESSION_COLUMNS, ...SESSION_RECORDING_COLUMNS]);
  ensureSheet(book, SHEETS.attendance, [...ATTENDANCE_COLUMNS]);
  ensureSheet(book, SHEETS.consent, CONSENT_COLUMNS, false);
  ensureSheet(book, RECORDING_SHEETS.recordings, [...RECORDINGS_COLUMNS]);
  ensureSheet(book, RECORDING_SHEETS.audit, [...AUDIT_COLUMNS]);
  const settingsSheet = ensureSheet(book, 'Settings', ['Setting', 'Value'], false);
  if (settingsSheet.getLastRow() < 2) {
    const rows = Object.entries(
      formatSettings({
        ...DEFAULT_SETTINGS,
        staffDomain: app.me.split('@')[1] ?? DEFAULT_SETTINGS.staffDomain,
      }),
    );
    settingsSheet.getRange(2, 1, rows.length, 2).setValues(rows);
  }
  const raw: Record<string, string> = {};
  const values = settingsSheet.getRange(2, 1, settingsSheet.getLastRow() - 1, 2).getValues();
  for (const [k, v] of values) if (String(k).trim()) raw[String(k).trim()] = String(v ?? '');
  const parsed = parseSettings(raw);
  if (parsed.ok) {
    writeSettings(props, parsed.settings);
    lines.push('Settings: valid.');
  } else {
    ok = false;
    lines.push(`Settings: NOT applied: ${parsed.problems.map((p) => p.message).join(' ')}`);
  }
  const settings = parsed.ok ? parsed.settings : app.deps.settings;

  // Shared only with SLT and the DSL (R20): teachers need no access.
  const wanted = new Set(
    [...settings.sltEmails, ...settings.dslEmails].map((e) => e.toLowerCase()),
  );
  for (const email of wanted) book.addEditor(email);
  const editors = book.getEditors().map((u) => u.getEmail().toLowerCase());
  const unexpected = editors.filter((e) => e !== app.me && !wanted.has(e));
  if (unexpected.length > 0) {
    ok = false;
    lines.push(
      `Log sharing: ${unexpected.length} account(s) that are not SLT or DSL can edit the log. Remove them.`,
    );
  } else lines.push(`Log sharing: only SLT/DSL (${wanted.size}) and the automation account.`);

  // R16, R17: the safeguarding shared drive and folder, and who can open it.
  const recordings = setupRecordings(app, config, settings);
  lines.push(...recordings.lines);
  if (!recordings.ok) ok = false;

  // Triggers: exactly one of each, whatever ran before.
  const triggers = s.ScriptApp.getProjectTriggers();
  const ensure = (name: string, make: () => void) => {
    const existing = triggers.filter((t) => t.getHandlerFunction() === name);
    for (const extra of existing.slice(1)) s.ScriptApp.deleteTrigger(extra);
    if (existing.length === 0) make();
  };
  ensure(TRIGGERS.monitor, () =>
    s.ScriptApp.newTrigger(TRIGGERS.monitor).timeBased().everyMinutes(1).create(),
  );
  ensure(TRIGGERS.housekeeping, () =>
    s.ScriptApp.newTrigger(TRIGGERS.housekeeping).timeBased().everyHours(1).create(),
  );
  ensure(RECORDING_TRIGGERS.collect, () =>
    s.ScriptApp.newTrigger(RECORDING_TRIGGERS.collect)
      .timeBased()
      .everyMinutes(COLLECT_EVERY_MINUTES)
      .create(),
  );
  ensure(RECORDING_TRIGGERS.purge, () =>
    s.ScriptApp.newTrigger(RECORDING_TRIGGERS.purge)
      .timeBased()
      .everyHours(PURGE_EVERY_HOURS)
      .create(),
  );
  lines.push(
    'Triggers: minute monitor, hourly housekeeping, recording collection and the hourly purge installed (one of each).',
  );

  writeConfig(props, config);
  lines.push(
    config.delegation
      ? `Delegation: configured for ${config.delegation.serviceAccount}. Grant its client id these scopes in the Admin console: ${DELEGATED_SCOPES.join(', ')}.`
      : 'Delegation: NOT configured. Teacher-driven mode: links are shared and withdrawn only when teachers use the sidebar or their hourly check runs, so a link can stay on Classroom after a lesson if a teacher forgets to end it. Set the script property delegationServiceAccount and run setup again to guarantee it.',
  );
  if (!config.delegation) ok = false;
  for (const line of lines) s.console.info(line);
  return { ok, lines, spreadsheetId: book.getId() };
}

function ensureSheet(
  book: GoogleAppsScript.Spreadsheet.Spreadsheet,
  name: string,
  headers: string[],
  protect = true,
) {
  const sheet = book.getSheetByName(name) ?? book.insertSheet(name);
  // A new sheet has 26 columns; writing past the last one fails, so grow it first.
  const columns = sheet.getMaxColumns();
  if (headers.length > columns) sheet.insertColumnsAfter(columns, headers.length - columns);
  if (sheet.getLastRow() === 0) {
    sheet.getRange(1, 1, 1, headers.length).setValues([headers]).setFontWeight('bold');
    sheet.setFrozenRows(1);
  }
  if (protect && sheet.getProtections(SpreadsheetAppProtectionType.SHEET).length === 0) {
    // The automation writes these sheets; SLT read them. A warning stops accidental edits.
    sheet.protect().setDescription('Written by Safe Live Lessons').setWarningOnly(true);
  }
  return sheet;
}

/** SpreadsheetApp.ProtectionType.SHEET, without reaching for the global here. */
const SpreadsheetAppProtectionType = {
  SHEET: 'SHEET',
} as unknown as typeof GoogleAppsScript.Spreadsheet.ProtectionType;
