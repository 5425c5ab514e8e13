// The Recordings and Audit sheets of the log spreadsheet (R17, R18), and the Sessions row's
// Recording cells. Only the recordings jobs write these cells, one run at a time (they share
// a run lease), so a block read and written back cannot overwrite anyone else's change.
// Every write is a whole block: a purge of a thousand files is a handful of Sheets calls.

import { SESSION_COLUMNS, SESSION_RECORDING_COLUMNS } from '../core/log-rows';
import type { RecordingsLog } from '../core/ports';
import {
  AUDIT_COLUMNS,
  type AuditAction,
  type AuditEntry,
  auditRow,
  COL,
  type NewRecording,
  parseRecordingRow,
  RECORDINGS_COLUMNS,
  recordingRow,
} from '../core/recording';
import type { RegisteredRecording } from '../core/retention';
import { safeCell } from '../core/sheet-safe';
import { guarded } from './google-failure';
import { type LogBookCache, logSheet, newLogBookCache } from './log-book';

export const RECORDING_SHEETS = { recordings: 'Recordings', audit: 'Audit' } as const;
const SESSIONS = 'Sessions';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export class SheetRecordingsLog implements RecordingsLog {
  private readonly logBook: LogBookCache = newLogBookCache();
  /** The Recordings sheet as last read: rows (from row 2) and where each file is. */
  private rows: unknown[][] | undefined;
  private rowOf = new Map<string, number>();

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    private readonly timeZone: string,
  ) {}

  registry(): RegisteredRecording[] {
    return this.load()
      .map(parseRecordingRow)
      .filter((r): r is RegisteredRecording => r !== null);
  }

  register(recordings: readonly NewRecording[]): void {
    const rows = this.load();
    const fresh = recordings.filter(
      (r, i) =>
        !this.rowOf.has(r.fileId) && recordings.findIndex((x) => x.fileId === r.fileId) === i,
    );
    if (fresh.length === 0) return;
    const sheet = this.sheet(RECORDING_SHEETS.recordings);
    const start = rows.length + 2;
    const block = fresh.map((r) => recordingRow(r, this.timeZone));
    ensureRows(sheet, start + block.length - 1);
    guarded('sheets', () =>
      sheet.getRange(start, 1, block.length, RECORDINGS_COLUMNS.length).setValues(block),
    );
    block.forEach((row, i) => {
      rows.push(row);
      this.rowOf.set(fresh[i]!.fileId, start + i);
    });
  }

  markPurged(fileIds: readonly string[], text: string): void {
    this.writeColumn(COL.purgedAt, fileIds, () => text);
  }

  setHold(lessonId: string, text: string): void {
    const rows = this.load();
    const ids = rows
      .filter((r) => String(r[COL.lesson] ?? '') === lessonId)
      .map((r) => String(r[COL.file]));
    this.writeColumn(COL.hold, ids, () => safeCell(text));
  }

  audit(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) return;
    const sheet = this.sheet(RECORDING_SHEETS.audit);
    const last = guarded('sheets', () => sheet.getLastRow());
    const start = Math.max(last, 1) + 1;
    const block = entries.map((e) => auditRow(e, this.timeZone));
    ensureRows(sheet, start + block.length - 1);
    guarded('sheets', () =>
      sheet.getRange(start, 1, block.length, AUDIT_COLUMNS.length).setValues(block),
    );
  }

  audited(action: AuditAction): Set<string> {
    const sheet = this.sheet(RECORDING_SHEETS.audit);
    const last = guarded('sheets', () => sheet.getLastRow());
    if (last < 2) return new Set();
    // Columns B (action) to D (file id).
    const values = guarded('sheets', () => sheet.getRange(2, 2, last - 1, 3).getValues());
    return new Set(values.filter((r) => r[0] === action).map((r) => String(r[2])));
  }

  linkSessions(
    links: readonly { lessonId: string; recording: string; purgeDue: string }[],
  ): string[] {
    if (links.length === 0) return [];
    const sheet = this.sheet(SESSIONS);
    const last = guarded('sheets', () => sheet.getLastRow());
    if (last < 2) return [];
    const ids = guarded('sheets', () => sheet.getRange(2, 1, last - 1, 1).getValues());
    const rowOf = new Map<string, number>();
    ids.forEach((r, i) => {
      if (!rowOf.has(String(r[0]))) rowOf.set(String(r[0]), i + 2);
    });
    const column = SESSION_COLUMNS.length + 1;
    const done: string[] = [];
    for (const link of links) {
      const row = rowOf.get(link.lessonId);
      if (!row) continue;
      guarded('sheets', () =>
        sheet
          .getRange(row, column, 1, SESSION_RECORDING_COLUMNS.length)
          .setValues([[safeCell(link.recording), link.purgeDue]]),
      );
      done.push(link.lessonId);
    }
    return done;
  }

  /** Rewrites one column over the smallest block of rows holding `fileIds` (one call). */
  private writeColumn(column: number, fileIds: readonly string[], value: () => string): void {
    const rows = this.load();
    const targets = fileIds.map((id) => this.rowOf.get(id)).filter((r): r is number => !!r);
    if (targets.length === 0) return;
    const first = Math.min(...targets);
    const lastRow = Math.max(...targets);
    const wanted = new Set(targets);
    const block: unknown[][] = [];
    for (let row = first; row <= lastRow; row++) {
      const current = rows[row - 2]!;
      if (wanted.has(row)) current[column] = value();
      const cell = current[column] ?? '';
      // Text read back loses the apostrophe that kept it text: keep it text when written again.
      block.push([typeof cell === 'string' ? safeCell(cell) : cell]);
    }
    const sheet = this.sheet(RECORDING_SHEETS.recordings);
    guarded('sheets', () => sheet.getRange(first, column + 1, block.length, 1).setValues(block));
  }

  private load(): unknown[][] {
    if (this.rows) return this.rows;
    const sheet = this.sheet(RECORDING_SHEETS.recordings);
    const last = guarded('sheets', () => sheet.getLastRow());
    const rows =
      last >= 2
        ? guarded('sheets', () =>
            sheet.getRange(2, 1, last - 1, RECORDINGS_COLUMNS.length).getValues(),
          )
        : [];
    this.rowOf = new Map();
    rows.forEach((r, i) => {
      const id = String(r[COL.file] ?? '');
      if (id && !this.rowOf.has(id)) this.rowOf.set(id, i + 2);
    });
    this.rows = rows;
    return rows;
  }

  private sheet(name: string): GoogleAppsScript.Spreadsheet.Sheet {
    return logSheet(this.logBook, this.spreadsheetApp, this.spreadsheetId, name);
  }
}

/** A sheet has a fixed number of rows; writing below the last one fails, so grow it first. */
function ensureRows(sheet: Sheet, lastNeeded: number): void {
  const max = guarded('sheets', () => sheet.getMaxRows());
  if (lastNeeded > max)
    guarded('sheets', () => sheet.insertRowsAfter(max, Math.max(500, lastNeeded - max)));
}
