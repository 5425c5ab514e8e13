// One setup function, run by an administrator from the script project (as the
// school's automation account). It creates or adopts the log spreadsheet, shares it
// only with SLT and the DSL, installs the automation's triggers idempotently (running
// it twice leaves one of each), and prints a health check in plain words.

import { readConfig, settingsSaved, writeConfig, writeSettings } from '../adapters/config';
import { Credentials, DELEGATED_SCOPES } from '../adapters/credentials';
import { SheetDashboard } from '../adapters/dashboard-sheet';
import { ALL_DRIVES, DRIVE } from '../adapters/drive-rest';
import {
  columnLetter,
  gridCells,
  LogPlaces,
  SHEETS,
  type SheetPlace,
  trimColumns,
} from '../adapters/log-book';
import { installTrigger } from '../adapters/plumbing';
import { RECORDING_SHEETS } from '../adapters/recordings-sheet';
import { query, RestClient } from '../adapters/rest-client';
import { sharingDrift } from '../adapters/safeguarding-drive';
import { dropdownRule } from '../adapters/sheet-log';
import { SheetStatus, STATUS_SHEET } from '../adapters/status-sheet';
import { refreshDashboard } from '../app/digest';
import { isFailure } from '../core/errors';
import {
  emptyHealth,
  JOB_NAMES,
  noteInstalled,
  noteLogCells,
  URLFETCH_PER_DAY,
} from '../core/health';
import { thousands } from '../core/health-problems';
import { INCIDENT_COLUMNS, INCIDENT_STAFF_COLUMNS } from '../core/incident';
import { ATTENDANCE_COLUMNS, SESSION_COLUMNS, SESSION_RECORDING_COLUMNS } from '../core/log-rows';
import { MAIL_COLUMNS, MAIL_SHEET } from '../core/mail-ledger';
import { AUDIT_COLUMNS, RECORDINGS_COLUMNS } from '../core/recording';
import { DEFAULT_SETTINGS, formatSettings, type SchoolSettings } from '../core/settings';
import { STATUS_HEADERS, statusRows } from '../core/status-rows';
import { JOB_TRIGGERS } from './automation';
import type { Composed } from './composition';
import { carryInto, type EndedLog, endFullLog } from './log-rollover';
import { setupRecordings } from './recordings-jobs';
import { checkSettingsSheet, SETTINGS_HEADERS, SETTINGS_SHEET } from './settings-sheet';

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
  /** The log this run ended (kept as the record under its new name), if it ended one. */
  ended: { name: string; cells: number } | null;
}

export function runSetup(app: Composed): SetupReport {
  const s = app.services;
  const props = s.PropertiesService.getScriptProperties();
  const lines: string[] = [];
  let ok = true;
  const config = readConfig(props);
  // The automation role never moves by accident: once set, only that account may run setup,
  // before anything is created, shared or installed under someone else's name.
  const holder = config.automationAccount?.toLowerCase();
  if (holder && holder !== app.me) {
    throw new Error(
      `Setup was not run. This school's automation account is ${holder}, and only that account may run setup: running it as ${app.me} would move the minute monitor, the log and the recordings drive to your account. Sign in as ${holder} (your Google Workspace administrator can reset its password) and run setup again.`,
    );
  }
  config.automationAccount = app.me;
  const serviceAccount = props.getProperty('delegationServiceAccount');
  config.delegation = serviceAccount ? { serviceAccount, scopes: DELEGATED_SCOPES } : null;

  // The log spreadsheet: adopt the recorded one if it still opens and has room, else create it.
  let book: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  let ended: EndedLog | null = null;
  if (config.logSpreadsheetId) {
    try {
      book = s.SpreadsheetApp.openById(config.logSpreadsheetId);
    } catch {
      lines.push('Log spreadsheet: the recorded one could not be opened; a new one was made.');
    }
    if (book) {
      ended = endFullLog(book, LOG_TITLE, app.deps.clock.now(), app.deps.settings.timeZone);
      if (ended) {
        lines.push(
          `Log spreadsheet: the recorded one has used ${thousands(ended.cells)} of the 10,000,000 cells Google allows a spreadsheet. It stays as the record, renamed "${ended.name}", shared with SLT and the DSL as before, and is no longer written. A new one was made with the same settings, consent register, incidents and recordings not yet purged; lessons still running write their rows there.`,
        );
        book = null;
      } else lines.push('Log spreadsheet: adopted the existing one.');
    }
  }
  const fresh = !book;
  // A new log where one was recorded: places kept in the old one are no places in it.
  if (fresh && config.logSpreadsheetId) config.logGeneration = (config.logGeneration ?? 0) + 1;
  // A new log is put aside again if setup fails before it is recorded, so no copy of the
  // consent register or the incidents is left where nobody looks after it.
  let made: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  if (!book) {
    book = made = s.SpreadsheetApp.create(LOG_TITLE);
    lines.push('Log spreadsheet: created.');
  }
  let settings: SchoolSettings;
  try {
    // The first sheet SLT see when they open the log is the dashboard.
    if (made) made.getSheets()[0]!.setName(SHEETS.dashboard);
    config.logSpreadsheetId = book.getId();
    // R20, issue 12: only the automation account writes the log. Every sheet it writes is
    // protected with the automation as the only editor (the owner can always edit); SLT and
    // the DSL read and filter them, and write only their own incident columns, from dropdowns.
    const places: Record<string, SheetPlace> = {};
    const dashboard = ensureSheet(book, SHEETS.dashboard, ['Safe Live Lessons: dashboard']);
    const sessions = ensureSheet(book, SHEETS.sessions, [
      ...SESSION_COLUMNS,
      ...SESSION_RECORDING_COLUMNS,
    ]);
    const attendance = ensureSheet(book, SHEETS.attendance, [...ATTENDANCE_COLUMNS]);
    const incidents = ensureSheet(book, SHEETS.incidents, [...INCIDENT_COLUMNS]);
    const consent = ensureSheet(book, SHEETS.consent, CONSENT_COLUMNS);
    const recordingsSheet = ensureSheet(book, RECORDING_SHEETS.recordings, [...RECORDINGS_COLUMNS]);
    const audit = ensureSheet(book, RECORDING_SHEETS.audit, [...AUDIT_COLUMNS]);
    // Issue 9: every email the product sent (or could not), written by the mail queue.
    const mailSheet = ensureSheet(book, MAIL_SHEET, [...MAIL_COLUMNS]);
    // R28: the product's own health, rewritten every hour (app/health.ts).
    const statusSheet = ensureSheet(book, STATUS_SHEET, STATUS_HEADERS);
    const settingsSheet = ensureSheet(book, SETTINGS_SHEET, SETTINGS_HEADERS);
    if (ended) {
      carryInto(consent, ended.carried.consent, CONSENT_COLUMNS.length);
      carryInto(incidents, ended.carried.incidents, INCIDENT_COLUMNS.length);
      carryInto(recordingsSheet, ended.carried.recordings, RECORDINGS_COLUMNS.length);
    }
    const staffColumns = Object.keys(INCIDENT_STAFF_COLUMNS).map(
      (name) => INCIDENT_COLUMNS.indexOf(name as (typeof INCIDENT_COLUMNS)[number]) + 1,
    );
    for (const sheet of [
      dashboard,
      sessions,
      attendance,
      recordingsSheet,
      audit,
      mailSheet,
      statusSheet,
    ])
      writtenOnlyBy(app.me, sheet, []);
    writtenOnlyBy(app.me, incidents, staffColumns);
    for (const [name, values] of Object.entries(INCIDENT_STAFF_COLUMNS)) {
      if (!values) continue;
      const column = INCIDENT_COLUMNS.indexOf(name as (typeof INCIDENT_COLUMNS)[number]) + 1;
      dropdown(s.SpreadsheetApp, incidents, column, values);
    }
    dropdown(s.SpreadsheetApp, consent, 3, ['yes', 'no']);
    // Where the automation writes next in the sheets it appends to (see log-book.ts).
    for (const [name, sheet] of [
      [SHEETS.sessions, sessions],
      [SHEETS.attendance, attendance],
      [RECORDING_SHEETS.audit, audit],
    ] as const)
      places[name] = { next: Math.max(sheet.getLastRow(), 1) + 1, max: sheet.getMaxRows() };
    seedPlaces(new LogPlaces(props, config.logGeneration), places, fresh);
    if (settingsSheet.getLastRow() < 2) {
      // A new log of a school already set up shows the settings in force, not the defaults.
      const rows = Object.entries(
        formatSettings(
          settingsSaved(props)
            ? app.deps.settings
            : {
                ...DEFAULT_SETTINGS,
                staffDomain: app.me.split('@')[1] ?? DEFAULT_SETTINGS.staffDomain,
              },
        ),
      );
      settingsSheet.getRange(2, 1, rows.length, 2).setValues(rows);
    }
    // Each setting's row says OK or what is wrong, in the sheet itself.
    const parsed = checkSettingsSheet(settingsSheet);
    if (parsed.ok) {
      writeSettings(props, parsed.settings);
      lines.push('Settings: valid.');
    } else {
      ok = false;
      lines.push(`Settings: NOT applied: ${parsed.problems.map((p) => p.message).join(' ')}`);
    }
    settings = parsed.ok ? parsed.settings : app.deps.settings;

    // Shared only with SLT and the DSL (R20): teachers need no access.
    const wanted = new Set(
      [...settings.sltEmails, ...settings.dslEmails].map((e) => e.toLowerCase()),
    );
    for (const email of wanted) book.addEditor(email);
    // Viewers and the Share dialog's link or domain sharing count too, as for the recordings folder.
    const listed = [...book.getEditors(), ...book.getViewers()].map((u) =>
      u.getEmail().toLowerCase(),
    );
    const unexpected = [...new Set(listed.filter((e) => e !== app.me && !wanted.has(e)))];
    const drift = [
      ...unexpected.map((e) => `${e} is not SLT or the DSL`),
      ...logLinkSharing(app, book.getId(), [app.me, ...wanted, ...unexpected]),
    ];
    if (drift.length > 0) {
      ok = false;
      lines.push(
        `FLAG Log sharing: ${drift.join('; ')}. Only SLT and the DSL may open the log: remove these.`,
      );
    } else lines.push(`Log sharing: only SLT/DSL (${wanted.size}) and the automation account.`);

    // R16, R17: the safeguarding shared drive and folder, and who can open it.
    const recordings = setupRecordings(app, config, settings);
    lines.push(...recordings.lines);
    if (!recordings.ok) ok = false;

    // Triggers: exactly one of each, whatever ran before.
    const triggers = s.ScriptApp.getProjectTriggers();
    for (const spec of Object.values(JOB_TRIGGERS)) {
      const existing = triggers.filter((t) => t.getHandlerFunction() === spec.handler);
      for (const extra of existing.slice(1)) s.ScriptApp.deleteTrigger(extra);
      if (existing.length === 0) installTrigger(s.ScriptApp, spec, settings.timeZone);
    }
    // The sheets that grow a row per lesson, person or email keep only their own columns: every
    // cell of a grid counts against the spreadsheet's 10 million (log-book.ts, trimColumns). Done
    // once the triggers are in, so that a first setup installs them when it always did.
    for (const [sheet, width] of [
      [sessions, SESSION_COLUMNS.length + SESSION_RECORDING_COLUMNS.length],
      [attendance, ATTENDANCE_COLUMNS.length],
      [incidents, INCIDENT_COLUMNS.length],
      [consent, CONSENT_COLUMNS.length],
      [recordingsSheet, RECORDINGS_COLUMNS.length],
      [audit, AUDIT_COLUMNS.length],
      [mailSheet, MAIL_COLUMNS.length],
    ] as const)
      trimColumns(sheet, width);
    const rules = s.SpreadsheetApp;
    highlight(rules, sessions, SESSION_COLUMNS.indexOf('Serious') + 1, 'yes', '#f4cccc');
    highlight(rules, incidents, INCIDENT_COLUMNS.indexOf('Status') + 1, 'open', '#fce5cd');
    // The health check looks again rather than trusting what it just did.
    const installed = s.ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction());
    const wrong = Object.values(JOB_TRIGGERS)
      .map((spec) => spec.handler)
      .filter((name) => installed.filter((n) => n === name).length !== 1);
    if (wrong.length > 0) {
      ok = false;
      lines.push(`Triggers: NOT as expected for ${wrong.join(', ')}. Run setup again.`);
    } else {
      lines.push(
        'Triggers: minute monitor, hourly housekeeping and dashboard, recording collection, the hourly purge and the daily digest, one of each.',
      );
    }

    // A fresh log opens on a dashboard that already says something.
    try {
      refreshDashboard(
        { ...app.deps, settings },
        new SheetDashboard(s.SpreadsheetApp, book.getId(), settings.timeZone, s.Charts, props),
      );
      lines.push('Dashboard: written; it is refreshed every hour.');
    } catch {
      lines.push('Dashboard: could not be written now; the hourly housekeeping will write it.');
    }

    writeConfig(props, config);
  } catch (error) {
    if (made) discardLog(app, made.getId());
    throw error;
  }
  // The old log is renamed only once the new one is the log.
  if (ended) {
    try {
      ended.book.rename(ended.name);
    } catch (error) {
      if (!isFailure(error)) throw error;
      lines.push(
        `Log spreadsheet: the old one could not be renamed "${ended.name}" (${error.message}); rename it by hand.`,
      );
    }
  }
  // R28: delegation is tried, not assumed: a token for the automation account itself.
  const tried = config.delegation
    ? new Credentials(
        s.ScriptApp,
        s.UrlFetchApp,
        s.CacheService.getScriptCache(),
        app.me,
        config.delegation,
        () => app.deps.clock.now(),
      ).probe(app.me)
    : null;
  lines.push(
    !config.delegation
      ? 'Delegation: NOT configured. Teacher-driven mode: links are shared and withdrawn only when teachers use the sidebar or their hourly check runs, so a link can stay on Classroom after a lesson if a teacher forgets to end it. Set the script property delegationServiceAccount and run setup again to guarantee it.'
      : tried?.ok
        ? `Delegation: works (Google issued a token through ${config.delegation.serviceAccount}). The Admin console grant must be exactly these scopes: ${DELEGATED_SCOPES.join(', ')}.`
        : `Delegation: configured for ${config.delegation.serviceAccount}, but Google REFUSED it (${tried?.ok === false ? tried.detail : 'no answer'}). Grant its client id these scopes in the Admin console: ${DELEGATED_SCOPES.join(', ')}; give ${app.me} the Service Account Token Creator role on it; then run setup again.`,
  );
  if (!config.delegation || !tried?.ok) ok = false;
  // The log's size as the health check counts it; a new log's rate starts afresh.
  const cells = { cells: gridCells(book), fresh };
  lines.push(...healthLines(app, book.getId(), tried, settings, cells));
  for (const line of lines) s.console.info(line);
  return {
    ok,
    lines,
    spreadsheetId: book.getId(),
    ended: ended ? { name: ended.name, cells: ended.cells } : null,
  };
}

/**
 * R28: setup's part of the health record: every job is expected from now (a job that then never
 * runs is reported), delegation as just tried; the Status sheet written; the day's quotas so far.
 */
function healthLines(
  app: Composed,
  spreadsheetId: string,
  tried: { ok: true } | { ok: false; detail: string } | null,
  settings: SchoolSettings,
  log: { cells: number; fresh: boolean },
): string[] {
  const timeZone = settings.timeZone;
  const now = app.deps.clock.now();
  const done = app.deps.mutex.run(() => {
    let state = noteInstalled(app.health.read() ?? emptyHealth(now), JOB_NAMES, now);
    state = {
      ...state,
      logCells: noteLogCells(log.fresh ? null : (state.logCells ?? null), log.cells, now, false),
      delegation:
        tried === null
          ? { state: 'off' }
          : tried.ok
            ? { state: 'ok', at: now }
            : { state: 'failing', since: now, at: now, detail: tried.detail },
    };
    app.health.write(state);
    return state;
  }, 10_000);
  if (!done.ok) return ['Health: the record could not be written now (the script lock was busy).'];
  const state = done.value;
  try {
    new SheetStatus(app.services.SpreadsheetApp, spreadsheetId).write(
      statusRows(state, now, timeZone),
    );
  } catch {
    return ['Health: the Status sheet could not be written now; the hourly housekeeping will.'];
  }
  const store = app.storeUsage();
  return [
    `Health: the Status sheet of the log shows each job, delegation, the log, the shared drive and the quotas; problems are emailed to ${settings.adminEmails.length > 0 ? 'the admins (adminEmails)' : 'SLT (adminEmails is empty)'} within the hour.`,
    `Quotas: store ${Math.round(store.bytes / 1000)} KB of ${Math.round(store.limit / 1000)} KB; ${state.usage.urlFetch} of ${URLFETCH_PER_DAY} UrlFetch calls and ${Math.round(state.usage.runMs / 60_000)} of 360 trigger minutes used today.`,
  ];
}

function ensureSheet(
  book: GoogleAppsScript.Spreadsheet.Spreadsheet,
  name: string,
  headers: string[],
) {
  const sheet = book.getSheetByName(name) ?? book.insertSheet(name);
  // A new sheet has 26 columns; writing past the last one fails, so grow it first.
  const columns = sheet.getMaxColumns();
  if (headers.length > columns) sheet.insertColumnsAfter(columns, headers.length - columns);
  if (sheet.getLastRow() === 0) {
    sheet.getRange(1, 1, 1, headers.length).setValues([headers]).setFontWeight('bold');
    sheet.setFrozenRows(1);
  } else {
    // A log set up earlier: columns added since go at the end of its header (Incidents: Appendix I/J).
    const current = sheet.getRange(1, 1, 1, headers.length).getValues()[0]!.map(String);
    const prefix = current.findIndex((h, i) => h !== headers[i]);
    if (prefix >= 0 && current.slice(prefix).every((h) => h === ''))
      sheet.getRange(1, 1, 1, headers.length).setValues([headers]).setFontWeight('bold');
  }
  // A filter on the header row, so SLT can narrow by teacher, status or flag.
  if (name !== SHEETS.dashboard && name !== SETTINGS_SHEET && !sheet.getFilter())
    sheet.getRange(1, 1, sheet.getMaxRows(), headers.length).createFilter();
  return sheet;
}

const PROTECTED_BY = 'Written only by Safe Live Lessons (the automation account)';

/**
 * The whole sheet protected, the automation account its only editor (the spreadsheet's owner
 * can always edit, and is the automation account too), with holes for the given columns from
 * row 2 (SLT's own). Replaces the warning-only protections of earlier versions: a warning can
 * be clicked through, a protection cannot.
 * doc: https://developers.google.com/apps-script/reference/spreadsheet/protection
 */
function writtenOnlyBy(
  me: string,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  editableColumns: readonly number[],
): void {
  // Earlier versions' own warning-only column protections go; anyone else's stay.
  for (const old of sheet.getProtections(SpreadsheetAppProtectionType.RANGE))
    if (old.getDescription().startsWith('Written by Safe Live Lessons')) old.remove();
  const protection = sheet.getProtections(SpreadsheetAppProtectionType.SHEET)[0] ?? sheet.protect();
  protection.setDescription(PROTECTED_BY);
  if (protection.isWarningOnly()) protection.setWarningOnly(false);
  protection.addEditor(me);
  protection.removeEditors(protection.getEditors());
  if (protection.canDomainEdit()) protection.setDomainEdit(false);
  const rows = sheet.getMaxRows();
  protection.setUnprotectedRanges(
    editableColumns.map((c) => sheet.getRange(`${columnLetter(c)}2:${columnLetter(c)}${rows}`)),
  );
}

/** R20: the log's Drive sharing beyond `known` (a link, a domain, anyone else); one request. */
function logLinkSharing(app: Composed, fileId: string, known: string[]): string[] {
  try {
    const rest = new RestClient(app.services.UrlFetchApp, 'drive');
    return sharingDrift(rest, app.services.ScriptApp.getOAuthToken(), fileId, known);
  } catch (error) {
    if (!isFailure(error)) throw error;
    return [`its sharing could not be read (${error.message}); run setup again`];
  }
}

/** SLT choose from the list in the sheet; anything else typed is refused (Status, consent...). */
function dropdown(
  app: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  column: number,
  values: readonly string[],
): void {
  sheet.getRange(2, column, sheet.getMaxRows() - 1, 1).setDataValidation(dropdownRule(app, values));
}

/**
 * A place in the log is only ever moved on: a run that wrote since setup read the sheet keeps
 * its own. In a new log the places start at its first rows (a lesson's place in the old log is
 * no place in it: log-book.ts).
 */
function seedPlaces(places: LogPlaces, found: Record<string, SheetPlace>, fresh: boolean): void {
  const seeds: Record<string, SheetPlace> = {};
  for (const [name, p] of Object.entries(found)) {
    const saved = fresh ? null : places.sheet(name);
    seeds[name] = { next: Math.max(p.next, saved?.next ?? 0), max: p.max };
  }
  places.save(seeds);
}

/** Rows whose `column` reads `value` stand out (Serious = yes; an open incident). Replaces any rule. */
function highlight(
  app: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  column: number,
  value: string,
  colour: string,
): void {
  const letter = columnLetter(column);
  const last = columnLetter(sheet.getMaxColumns());
  const rule = app
    .newConditionalFormatRule()
    .whenFormulaSatisfied(`=$${letter}2="${value}"`)
    .setBackground(colour)
    .setRanges([sheet.getRange(`A2:${last}`)])
    .build();
  sheet.setConditionalFormatRules([rule]);
}

/** SpreadsheetApp.ProtectionType.SHEET, without reaching for the global here. */
const SpreadsheetAppProtectionType = {
  SHEET: 'SHEET',
  RANGE: 'RANGE',
} as unknown as typeof GoogleAppsScript.Spreadsheet.ProtectionType;

/**
 * A log setup made and could not finish goes to Drive's bin (emptied by Google after 30 days),
 * so no copy of pupils' names is left beside the log in use. Best effort: setup's own error is
 * the one the admin sees.
 * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update (trashed)
 * doc: https://support.google.com/drive/answer/2375102 (items in the bin are deleted after 30 days)
 */
function discardLog(app: Composed, fileId: string): void {
  try {
    new RestClient(app.services.UrlFetchApp, 'drive').json({
      method: 'patch',
      url: `${DRIVE}/files/${fileId}${query(ALL_DRIVES)}`,
      token: app.services.ScriptApp.getOAuthToken(),
      body: { trashed: true },
    });
  } catch (error) {
    if (!isFailure(error)) throw error;
    app.services.console.warn(`setup: the unfinished log could not be binned: ${error.kind}`);
  }
}
