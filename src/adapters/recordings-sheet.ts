// The Recordings and Audit sheets of the log spreadsheet (R17, R18), and the Sessions row's
// Recording cells. Only the recordings jobs write these cells, one run at a time (they share
// a run lease), so a block read and written back cannot overwrite anyone else's change.
// Every write is a whole block: a purge of a thousand files is a handful of Sheets calls.
// Audit rows go where LogPlaces says the sheet ends (taken before the write, so a lost answer
// leaves at worst an empty row, never an overwritten one), and a lesson's Sessions row is where
// the log put it: linking a recording needs no search (issue 8).

import { SESSION_COLUMNS, SESSION_RECORDING_COLUMNS } from '../core/log-rows';
import type { Deadline, RecordingsLog } from '../core/ports';
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
import { LogBook, type LogPlaces, placeFromColumn, type SheetPlace } from './log-book';

export const RECORDING_SHEETS = { recordings: 'Recordings', audit: 'Audit' } as const;
const SESSIONS = 'Sessions';

export class SheetRecordingsLog implements RecordingsLog {
  private readonly book: LogBook;
  /** The Recordings sheet as last read: rows (from row 2) and where each file is. */
  private rows: unknown[][] | undefined;
  private rowOf = new Map<string, number>();
  /** Row 1 of the Recordings sheet, as read with its rows. */
  private header: unknown[] | undefined;
  /** Rows the Recordings sheet has (known from its read). */
  private recordingsMax = 0;
  /** Sessions rows found by reading the id column, for lessons the log has no place for. */
  private sessionRows: Map<string, number> | undefined;

  constructor(
    spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    spreadsheetId: string,
    private readonly timeZone: string,
    private readonly places: LogPlaces,
    deadline?: Deadline,
  ) {
    this.book = new LogBook(spreadsheetApp, spreadsheetId, deadline);
  }

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
    this.nameNewColumns();
    const start = rows.length + 2;
    const block = fresh.map((r) => recordingRow(r, this.timeZone));
    this.recordingsMax = this.book.grow(
      RECORDING_SHEETS.recordings,
      this.recordingsMax,
      start + block.length - 1,
    );
    guarded('sheets', () =>
      this.book
        .range(RECORDING_SHEETS.recordings, start, 1, block.length, RECORDINGS_COLUMNS.length)
        .setValues(block),
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

  /**
   * Retention changed: the Purge Due cells are rewritten, each sheet's column in one block (read
   * once, so the rows between keep what they hold: only the recordings jobs write these cells).
   */
  showPurgeDue(byFile: ReadonlyMap<string, string>, byLesson: ReadonlyMap<string, string>): void {
    this.writeColumn(COL.purgeDue, [...byFile.keys()], (id) => byFile.get(id) ?? '');
    const rows = new Map<number, string>();
    for (const [lessonId, due] of byLesson) {
      const row = this.places.lesson(lessonId).row ?? this.findSession(lessonId);
      if (row) rows.set(row, due);
    }
    if (rows.size === 0) return;
    const first = Math.min(...rows.keys());
    const last = Math.max(...rows.keys());
    // Recording Purge Due: the second of the Sessions row's recording cells.
    const column = SESSION_COLUMNS.length + 2;
    const range = guarded('sheets', () =>
      this.book.range(SESSIONS, first, column, last - first + 1, 1),
    );
    const current = guarded('sheets', () => range.getValues());
    const block = current.map((cell, i) => {
      const kept = cell[0] ?? '';
      return [rows.get(first + i) ?? (typeof kept === 'string' ? safeCell(kept) : kept)];
    });
    guarded('sheets', () => range.setValues(block));
  }

  audit(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) return;
    const place = this.auditPlace();
    const start = place.next;
    const block = entries.map((e) => auditRow(e, this.timeZone));
    const max = this.book.grow(RECORDING_SHEETS.audit, place.max, start + block.length - 1);
    // Taken before the write: a retry after a lost answer goes below, never over, these rows.
    this.places.save({ [RECORDING_SHEETS.audit]: { next: start + block.length, max } });
    guarded('sheets', () =>
      this.book
        .range(RECORDING_SHEETS.audit, start, 1, block.length, AUDIT_COLUMNS.length)
        .setValues(block),
    );
  }

  audited(action: AuditAction): Set<string> {
    // Columns A (when, for where the sheet ends) to D (file id).
    const values = guarded('sheets', () =>
      this.book.rest(RECORDING_SHEETS.audit, 1, 4).getValues(),
    );
    const found = placeFromColumn(values);
    const saved = this.places.sheet(RECORDING_SHEETS.audit);
    if (!saved || saved.next < found.next || saved.max !== found.max)
      this.places.save({
        [RECORDING_SHEETS.audit]: { next: Math.max(saved?.next ?? 0, found.next), max: found.max },
      });
    return new Set(
      values
        .slice(1)
        .filter((r) => r[1] === action)
        .map((r) => String(r[3])),
    );
  }

  linkSessions(
    links: readonly { lessonId: string; recording: string; purgeDue: string }[],
  ): string[] {
    if (links.length === 0) return [];
    const column = SESSION_COLUMNS.length + 1;
    const done: string[] = [];
    for (const link of links) {
      const row = this.places.lesson(link.lessonId).row ?? this.findSession(link.lessonId);
      if (!row) continue;
      guarded('sheets', () =>
        this.book
          .range(SESSIONS, row, column, 1, SESSION_RECORDING_COLUMNS.length)
          .setValues([[safeCell(link.recording), link.purgeDue]]),
      );
      done.push(link.lessonId);
    }
    return done;
  }

  /** A lesson the log kept no place for (it left the store): found by reading the id column once. */
  private findSession(lessonId: string): number | undefined {
    if (!this.sessionRows) {
      const ids = guarded('sheets', () => this.book.rest(SESSIONS, 1, 1).getValues());
      this.sessionRows = new Map();
      ids.forEach((r, i) => {
        const id = String(r[0] ?? '');
        if (i > 0 && id && !this.sessionRows!.has(id)) this.sessionRows!.set(id, i + 1);
      });
    }
    return this.sessionRows.get(lessonId);
  }

  private auditPlace(): SheetPlace {
    const saved = this.places.sheet(RECORDING_SHEETS.audit);
    if (saved) return saved;
    const column = guarded('sheets', () =>
      this.book.rest(RECORDING_SHEETS.audit, 1, 1).getValues(),
    );
    return placeFromColumn(column);
  }

  /** Rewrites one column over the smallest block of rows holding `fileIds` (one call). */
  private writeColumn(
    column: number,
    fileIds: readonly string[],
    value: (fileId: string) => string,
  ): void {
    const rows = this.load();
    const targets = fileIds.map((id) => this.rowOf.get(id)).filter((r): r is number => !!r);
    if (targets.length === 0) return;
    const first = Math.min(...targets);
    const lastRow = Math.max(...targets);
    const wanted = new Map(fileIds.map((id) => [this.rowOf.get(id), id] as const));
    const block: unknown[][] = [];
    for (let row = first; row <= lastRow; row++) {
      const current = rows[row - 2]!;
      const id = wanted.get(row);
      if (id !== undefined) current[column] = value(id);
      const cell = current[column] ?? '';
      // Text read back loses the apostrophe that kept it text: keep it text when written again.
      block.push([typeof cell === 'string' ? safeCell(cell) : cell]);
    }
    guarded('sheets', () =>
      this.book
        .range(RECORDING_SHEETS.recordings, first, column + 1, block.length, 1)
        .setValues(block),
    );
  }

  /**
   * A log set up by an older version lacks the header of a column added since (its values are
   * written all the same): the blank header cells at the end are named with the first rows
   * written, once, so SLT never read a value under no name. Named ones are left as they are.
   */
  private nameNewColumns(): void {
    const header = this.header ?? [];
    const first = RECORDINGS_COLUMNS.findIndex((_, i) => String(header[i] ?? '') === '');
    if (first < 0 || RECORDINGS_COLUMNS.slice(first).some((_, i) => header[first + i])) return;
    const names = RECORDINGS_COLUMNS.slice(first);
    guarded('sheets', () =>
      this.book
        .range(RECORDING_SHEETS.recordings, 1, first + 1, 1, names.length)
        .setValues([[...names]]),
    );
    this.header = [...RECORDINGS_COLUMNS];
  }

  /** The Recordings sheet, read once with its header (to its end: the read's length is the sheet's size). */
  private load(): unknown[][] {
    if (this.rows) return this.rows;
    const [header = [], ...all] = guarded('sheets', () =>
      this.book.rest(RECORDING_SHEETS.recordings, 1, RECORDINGS_COLUMNS.length).getValues(),
    );
    this.header = header;
    this.recordingsMax = all.length + 1;
    let last = 0;
    all.forEach((r, i) => {
      if (String(r[COL.file] ?? '') !== '' || String(r[COL.lesson] ?? '') !== '') last = i + 1;
    });
    const rows = all.slice(0, last);
    this.rowOf = new Map();
    rows.forEach((r, i) => {
      const id = String(r[COL.file] ?? '');
      if (id && !this.rowOf.has(id)) this.rowOf.set(id, i + 2);
    });
    this.rows = rows;
    return rows;
  }
}
