// The log spreadsheet SLT open (R18), written only by the automation account (R20).
// Rows are found by lesson id and rewritten in place, never appended blindly, so a
// retry after a lost answer cannot duplicate a row. Teachers' Appendix A entries go
// into their own cells and are never overwritten by the system's columns.

import type { Lesson } from '../core/lesson';
import {
  ATTENDANCE_COLUMNS,
  attendanceRows,
  type Cell,
  type RowCell,
  SESSION_COLUMNS,
  sessionRow,
} from '../core/log-rows';
import type { SafeguardingLog } from '../core/ports';
import { type TeacherLogEntry, teacherLogCells } from '../core/teacher-log';
import { guarded } from './google-failure';

export const SHEETS = {
  sessions: 'Sessions',
  attendance: 'Attendance',
  consent: 'Consent',
} as const;
const TECH = SESSION_COLUMNS.indexOf('Any Technology Issues');
const SLT = SESSION_COLUMNS.indexOf('Anything To Share With SLT?');

export class SheetSafeguardingLog implements SafeguardingLog {
  private book: GoogleAppsScript.Spreadsheet.Spreadsheet | undefined;

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    private readonly timeZone: string,
  ) {}

  record(lessons: readonly Lesson[]): void {
    if (lessons.length === 0) return;
    const sheet = this.sheet(SHEETS.sessions);
    const rows = this.rowsById(sheet, SESSION_COLUMNS.length);
    let next = Math.max(rows.lastRow, 1) + 1;
    for (const lesson of lessons) {
      const fresh = sessionRow(lesson, this.timeZone);
      const at = rows.index.get(lesson.id);
      const existing = at ? rows.values[at - 2]! : [];
      const merged: Cell[] = fresh.map((cell: RowCell, i) =>
        cell === null ? ((existing[i] as Cell | undefined) ?? '') : cell,
      );
      const row = at ?? next++;
      ensureRows(sheet, row);
      guarded('sheets', () => sheet.getRange(row, 1, 1, merged.length).setValues([merged]));
      rows.index.set(lesson.id, row);
    }
    const closed = lessons.filter((l) => l.status === 'closed');
    if (closed.length > 0) this.recordAttendance(closed);
  }

  addTeacherEntries(entries: readonly TeacherLogEntry[]): void {
    const sheet = this.sheet(SHEETS.sessions);
    const rows = this.rowsById(sheet, SESSION_COLUMNS.length);
    for (const entry of entries) {
      const row = rows.index.get(entry.lessonId);
      if (!row) continue;
      const cells = teacherLogCells(entry);
      const current = rows.values[row - 2]!;
      // Columns 4-7 hold: technology issues, behaviour, other staff (the system's), share with SLT.
      const block = [
        cells.technologyIssues,
        cells.inappropriateBehaviour,
        (current[TECH + 2] as Cell) ?? '',
        cells.shareWithSlt,
      ];
      guarded('sheets', () => sheet.getRange(row, TECH + 1, 1, SLT - TECH + 1).setValues([block]));
    }
  }

  /** Consent register rows (R13): pupil email, name, consent given (yes/no), date, by whom. */
  consentKeys(): string[] {
    const sheet = this.sheet(SHEETS.consent);
    const last = guarded('sheets', () => sheet.getLastRow());
    if (last < 2) return [];
    const values = guarded('sheets', () => sheet.getRange(2, 1, last - 1, 3).getValues());
    return values
      .filter((r) => /^(yes|y|true)$/i.test(String(r[2]).trim()))
      .map((r) => String(r[0]).trim().toLowerCase())
      .filter(Boolean);
  }

  private recordAttendance(closed: readonly Lesson[]): void {
    const sheet = this.sheet(SHEETS.attendance);
    const rows = this.rowsById(sheet, ATTENDANCE_COLUMNS.length);
    let next = Math.max(rows.lastRow, 1) + 1;
    for (const lesson of closed) {
      // Attendance is written once per lesson; a lesson already there is not written twice.
      if (rows.index.has(lesson.id)) continue;
      const block = attendanceRows(lesson, this.timeZone);
      if (block.length === 0) continue;
      const start = next;
      ensureRows(sheet, start + block.length - 1);
      guarded('sheets', () =>
        sheet.getRange(start, 1, block.length, ATTENDANCE_COLUMNS.length).setValues(block),
      );
      rows.index.set(lesson.id, start);
      next += block.length;
    }
  }

  private rowsById(
    sheet: GoogleAppsScript.Spreadsheet.Sheet,
    width: number,
  ): { index: Map<string, number>; values: unknown[][]; lastRow: number } {
    const lastRow = guarded('sheets', () => sheet.getLastRow());
    const values =
      lastRow >= 2
        ? guarded('sheets', () => sheet.getRange(2, 1, lastRow - 1, width).getValues())
        : [];
    const index = new Map<string, number>();
    values.forEach((row, i) => {
      const id = String(row[0]);
      if (id && !index.has(id)) index.set(id, i + 2);
    });
    return { index, values, lastRow };
  }

  private sheet(name: string): GoogleAppsScript.Spreadsheet.Sheet {
    if (!this.book) {
      const id = this.spreadsheetId;
      this.book = guarded('sheets', () => this.spreadsheetApp.openById(id));
    }
    const book = this.book;
    const sheet = guarded('sheets', () => book.getSheetByName(name));
    if (!sheet) throw new Error(`The log spreadsheet has no "${name}" sheet: run setup again.`);
    return sheet;
  }
}

/** A sheet has a fixed number of rows; writing below the last one fails, so grow it first. */
function ensureRows(sheet: GoogleAppsScript.Spreadsheet.Sheet, lastNeeded: number): void {
  const max = guarded('sheets', () => sheet.getMaxRows());
  // Grow in steps of 500 so a busy day does not add rows one call at a time.
  if (lastNeeded > max)
    guarded('sheets', () => sheet.insertRowsAfter(max, Math.max(500, lastNeeded - max)));
}
