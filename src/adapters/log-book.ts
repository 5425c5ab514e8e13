// The log spreadsheet as every adapter that writes it (sessions, recordings, dashboard) opens
// it: once per execution, with ranges addressed as "Sessions!A5:AB5" from the spreadsheet, so
// a read or write is one call and a sheet is looked up only to grow it or draw its chart. A
// missing sheet says what to do.
//
// Where the automation writes next in each sheet, and where each lesson's rows are, is kept
// in script properties (LogPlaces), so a write needs no read to find its place (issue 8: a
// lesson's whole life costs a handful of Sheets calls, not one search per write). Only one
// log-writing run works at a time (the monitor's and the recordings jobs' run leases), and a
// place is saved before the write that uses it, so a retry after a lost answer writes the
// same cells again instead of adding a row.

import { ServiceFailure } from '../core/errors';
import type { Deadline } from '../core/ports';
import { failureFromException, guarded } from './google-failure';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

/** The log's sheets that the product writes by name. */
export const SHEETS = {
  sessions: 'Sessions',
  attendance: 'Attendance',
  consent: 'Consent',
  incidents: 'Incidents',
  dashboard: 'Dashboard',
} as const;

/** Rows are added in steps, so a busy day does not grow a sheet one call at a time. */
export const GROW_ROWS = 500;

export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * A spreadsheet holds at most 10 million cells, counting every cell of each sheet's grid,
 * filled or not (doc: https://support.google.com/drive/answer/37603, "Spreadsheets: Up to 10
 * million cells or 18,278 columns"), and a new sheet has 26 columns. An Attendance row of 10
 * columns in a 26-column grid costs 26 cells: a 100-teacher school (600 lessons a day, 27
 * Attendance rows each) filled its log in about 21 school days. Deletes the columns right of
 * `width` that hold nothing anywhere (a column SLT added for their own notes stays).
 * doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#deleteColumns(Integer,Integer)
 */
export function trimColumns(sheet: Sheet, width: number): void {
  const max = sheet.getMaxColumns();
  const keep = Math.max(width, sheet.getLastColumn());
  if (max > keep) sheet.deleteColumns(keep + 1, max - keep);
}

/** A spreadsheet's cells as Google counts them: every sheet's grid, filled or not (2 calls a sheet). */
export function gridCells(book: Spreadsheet): number {
  return book.getSheets().reduce((n, sheet) => n + sheet.getMaxRows() * sheet.getMaxColumns(), 0);
}

export class LogBook {
  private book?: Spreadsheet;
  private readonly sheets = new Map<string, Sheet>();

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    /** The run's budget: a Sheets call may wait a minute, so none starts once it is spent. */
    private readonly deadline?: Deadline,
  ) {}

  private inTime(): void {
    if (this.deadline && this.deadline.now() >= this.deadline.budget.stopAt)
      throw new ServiceFailure('transient', 'sheets', 'Not started: the run is out of time');
  }

  private open(): Spreadsheet {
    this.inTime();
    if (!this.book)
      this.book = guarded('sheets', () => this.spreadsheetApp.openById(this.spreadsheetId));
    return this.book;
  }

  /** A Range handle is local: only reading or writing it is a call. */
  range(name: string, row: number, column: number, numRows: number, numColumns: number): Range {
    const a1 = `${columnLetter(column)}${row}:${columnLetter(column + numColumns - 1)}${row + numRows - 1}`;
    return this.resolve(name, a1);
  }

  /** Columns 1..width from `fromRow` to the sheet's last row (its length tells the sheet's size). */
  rest(name: string, fromRow: number, width: number, fromColumn = 1): Range {
    return this.resolve(
      name,
      `${columnLetter(fromColumn)}${fromRow}:${columnLetter(fromColumn + width - 1)}`,
    );
  }

  private resolve(name: string, a1: string): Range {
    const book = this.open();
    try {
      return book.getRange(`${name}!${a1}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/Range not found/i.test(message)) throw missingSheet(name);
      throw failureFromException('sheets', error);
    }
  }

  /** The Sheet itself, for what only a Sheet does (grow, charts); a counted lookup. */
  sheet(name: string): Sheet {
    const known = this.sheets.get(name);
    if (known) return known;
    const book = this.open();
    const sheet = guarded('sheets', () => book.getSheetByName(name));
    if (!sheet) throw missingSheet(name);
    this.sheets.set(name, sheet);
    return sheet;
  }

  /** Grows the sheet so row `lastNeeded` exists; returns its new size. */
  grow(name: string, max: number, lastNeeded: number): number {
    if (lastNeeded <= max) return max;
    const sheet = this.sheet(name);
    this.inTime();
    const extra = Math.max(GROW_ROWS, lastNeeded - max);
    guarded('sheets', () => sheet.insertRowsAfter(max, extra));
    return max + extra;
  }
}

function missingSheet(name: string): ServiceFailure {
  return new ServiceFailure(
    'permanent',
    'sheets',
    `The log spreadsheet has no "${name}" sheet: run setup again.`,
  );
}

/** Where a sheet's next row goes, and how many rows it has. */
export interface SheetPlace {
  next: number;
  max: number;
}

/** Where a lesson's rows are: its Sessions row, its Attendance block, and whether staff wrote in it. */
export interface LessonPlace {
  row?: number;
  attendance?: number;
  /** How many Attendance rows were taken at `attendance`. */
  attendanceRows?: number;
  /** Staff entries were written into the row: its Appendix A cells must be read before a rewrite. */
  text?: boolean;
}

const SHEET_KEY = 'logpos:';
const LESSON_KEY = 'logrow:';

/**
 * The places above, in script properties (one read per execution, one write per save). Each is
 * kept with the generation of the log it is in (SchoolConfig.logGeneration: 0 for a school's
 * first log, one more for each log setup makes after it), so once setup has started a new log a
 * place in an old one (a lesson logged there, or kept by a run still writing it) is no place in
 * the new: its rows are found by reading, or taken afresh. The first log's places carry no mark
 * (nothing changes for a school that never needs a second log); a later one's cost 6 bytes each.
 */
export class LogPlaces {
  private cache: Record<string, string> | undefined;

  constructor(
    private readonly props: GoogleAppsScript.Properties.Properties,
    /** The generation of the log these places are for. */
    private readonly generation: number,
  ) {}

  private all(): Record<string, string> {
    this.cache ??= guarded('store', () => this.props.getProperties());
    return this.cache;
  }

  sheet(name: string): SheetPlace | null {
    const raw = this.all()[SHEET_KEY + name];
    if (!raw) return null;
    const [next, max, mark] = raw.split(',');
    if (Number(mark?.slice(1) ?? 0) !== this.generation) return null;
    return Number(next) && Number(max) ? { next: Number(next), max: Number(max) } : null;
  }

  lesson(id: string): LessonPlace {
    const raw = this.all()[LESSON_KEY + id];
    if (!raw) return {};
    try {
      const { g, ...place } = JSON.parse(raw) as LessonPlace & { g?: number };
      return (g ?? 0) === this.generation ? place : {};
    } catch {
      return {};
    }
  }

  /** Saves several places in one write, before the Sheets write that relies on them. */
  save(sheets: Record<string, SheetPlace>, lessons: Record<string, LessonPlace> = {}): void {
    const values: Record<string, string> = {};
    const mark = this.generation > 0 ? { g: this.generation } : {};
    for (const [name, p] of Object.entries(sheets))
      values[SHEET_KEY + name] =
        `${p.next},${p.max}${this.generation > 0 ? `,g${this.generation}` : ''}`;
    for (const [id, p] of Object.entries(lessons))
      values[LESSON_KEY + id] = JSON.stringify({ ...p, ...mark });
    if (Object.keys(values).length === 0) return;
    // A full store (500 KB) throws an Apps Script exception: as a ServiceFailure the log's
    // writes wait for the next run and the run goes on to send its mail.
    guarded('store', () => this.props.setProperties(values));
    Object.assign(this.all(), values);
  }

  /** Every lesson with a place kept. */
  lessons(): string[] {
    return Object.keys(this.all())
      .filter((k) => k.startsWith(LESSON_KEY))
      .map((k) => k.slice(LESSON_KEY.length));
  }

  /** Lessons that left the store: their places go too (a later write finds the row by reading). */
  forget(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.all()[LESSON_KEY + id] === undefined) continue;
      guarded('store', () => this.props.deleteProperty(LESSON_KEY + id));
      delete this.all()[LESSON_KEY + id];
    }
  }
}

/**
 * The next free row and the size of a sheet from a read of its first column from row 1 to
 * its end (the read's length is the sheet's size): for a sheet with no place saved yet.
 */
export function placeFromColumn(column: unknown[][]): SheetPlace {
  let last = 0;
  column.forEach((row, i) => {
    if (String(row[0] ?? '') !== '') last = i + 1;
  });
  return { next: Math.max(last, 1) + 1, max: column.length };
}
