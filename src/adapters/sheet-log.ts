// The log spreadsheet SLT open (R18), written only by the automation account (R20).
// Rows are found by lesson id and rewritten in place, never appended blindly, so a
// retry after a lost answer cannot duplicate a row. Teachers' Appendix A entries go
// into their own cells and are never overwritten by the system's columns.

import { INCIDENT_COLUMNS, type IncidentReport, incidentRow } from '../core/incident';
import type { Lesson } from '../core/lesson';
import {
  ATTENDANCE_COLUMNS,
  attendanceRows,
  type Cell,
  type RowCell,
  SESSION_COLUMNS,
  sessionRow,
} from '../core/log-rows';
import type { IncidentLog, SafeguardingLog } from '../core/ports';
import { type TeacherLogEntry, teacherLogCells } from '../core/teacher-log';
import { guarded } from './google-failure';
import { type LogBookCache, logSheet, newLogBookCache } from './log-book';

export const SHEETS = {
  sessions: 'Sessions',
  attendance: 'Attendance',
  consent: 'Consent',
  incidents: 'Incidents',
  dashboard: 'Dashboard',
} as const;
const INCIDENT_ID = INCIDENT_COLUMNS.indexOf('Incident ID');
const TECH = SESSION_COLUMNS.indexOf('Any Technology Issues');
const SLT = SESSION_COLUMNS.indexOf('Anything To Share With SLT?');

export class SheetSafeguardingLog implements SafeguardingLog, IncidentLog {
  private readonly logBook: LogBookCache = newLogBookCache();

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    private readonly timeZone: string,
  ) {}

  /**
   * Writes rows in as few calls as the sheet allows: consecutive rows go in one setValues.
   * `logged` hears of each lesson as soon as all of its rows are written, so a failure
   * part-way keeps what was done and the rest is retried on the next run.
   */
  record(lessons: readonly Lesson[], logged: (lessonIds: string[]) => void): void {
    if (lessons.length === 0) return;
    const sheet = this.sheet(SHEETS.sessions);
    const rows = this.rowsById(sheet, SESSION_COLUMNS.length);
    let next = Math.max(rows.lastRow, 1) + 1;
    const writes = lessons.map((lesson) => {
      const at = rows.index.get(lesson.id);
      const existing = at ? rows.values[at - 2]! : [];
      const merged: Cell[] = sessionRow(lesson, this.timeZone).map((cell: RowCell, i) =>
        cell === null ? ((existing[i] as Cell | undefined) ?? '') : cell,
      );
      const row = at ?? next++;
      rows.index.set(lesson.id, row);
      return { lesson, row, values: merged };
    });
    ensureRows(sheet, Math.max(...writes.map((w) => w.row)));
    const closedIds = new Set(lessons.filter((l) => l.status === 'closed').map((l) => l.id));
    for (const run of consecutiveRuns(writes)) {
      guarded('sheets', () =>
        sheet
          .getRange(run[0]!.row, 1, run.length, SESSION_COLUMNS.length)
          .setValues(run.map((w) => w.values)),
      );
      const done = run.map((w) => w.lesson.id).filter((id) => !closedIds.has(id));
      if (done.length > 0) logged(done);
    }
    const closed = lessons.filter((l) => closedIds.has(l.id));
    if (closed.length > 0) {
      this.recordAttendance(closed);
      logged(closed.map((l) => l.id));
    }
  }

  /** Returns the entries placed; an entry whose lesson has no row yet waits in the queue. */
  addTeacherEntries(entries: readonly TeacherLogEntry[]): TeacherLogEntry[] {
    const placed: TeacherLogEntry[] = [];
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
      placed.push(entry);
    }
    return placed;
  }

  /**
   * R15: one Appendix K row per incident, found again by its id so a retry after a lost
   * answer adds nothing twice. All new rows go in one call.
   */
  addIncidents(reports: readonly IncidentReport[]): IncidentReport[] {
    if (reports.length === 0) return [];
    const sheet = this.sheet(SHEETS.incidents);
    const lastRow = guarded('sheets', () => sheet.getLastRow());
    const known = new Set(
      lastRow >= 2
        ? guarded('sheets', () =>
            sheet.getRange(2, INCIDENT_ID + 1, lastRow - 1, 1).getValues(),
          ).map((r) => String(r[0]))
        : [],
    );
    const fresh = reports.filter((r, i) => !known.has(r.id) && reports.indexOf(r) === i);
    if (fresh.length > 0) {
      const start = Math.max(lastRow, 1) + 1;
      ensureRows(sheet, start + fresh.length - 1);
      guarded('sheets', () =>
        sheet
          .getRange(start, 1, fresh.length, INCIDENT_COLUMNS.length)
          .setValues(fresh.map((r) => incidentRow(r, this.timeZone))),
      );
    }
    return [...reports];
  }

  /** Attendance is written once per lesson, all new blocks in one call; a lesson already there is skipped. */
  private recordAttendance(closed: readonly Lesson[]): void {
    const sheet = this.sheet(SHEETS.attendance);
    const rows = this.rowsById(sheet, ATTENDANCE_COLUMNS.length);
    const block: Cell[][] = [];
    for (const lesson of closed) {
      if (!rows.index.has(lesson.id)) block.push(...attendanceRows(lesson, this.timeZone));
    }
    if (block.length === 0) return;
    const start = Math.max(rows.lastRow, 1) + 1;
    ensureRows(sheet, start + block.length - 1);
    guarded('sheets', () =>
      sheet.getRange(start, 1, block.length, ATTENDANCE_COLUMNS.length).setValues(block),
    );
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
    return logSheet(this.logBook, this.spreadsheetApp, this.spreadsheetId, name);
  }
}

/** A sheet has a fixed number of rows; writing below the last one fails, so grow it first. */
function ensureRows(sheet: GoogleAppsScript.Spreadsheet.Sheet, lastNeeded: number): void {
  const max = guarded('sheets', () => sheet.getMaxRows());
  // Grow in steps of 500 so a busy day does not add rows one call at a time.
  if (lastNeeded > max)
    guarded('sheets', () => sheet.insertRowsAfter(max, Math.max(500, lastNeeded - max)));
}

/** Groups writes into runs of consecutive rows (each run is one setValues). */
function consecutiveRuns<T extends { row: number }>(writes: T[]): T[][] {
  const sorted = [...writes].sort((x, y) => x.row - y.row);
  const runs: T[][] = [];
  for (const w of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]!.row + 1 === w.row) last.push(w);
    else runs.push([w]);
  }
  return runs;
}
