// R18, R28: a log spreadsheet that fills up is kept as the record and a new one started. Google
// counts every cell of every sheet's grid against a spreadsheet's 10 million (a 100-teacher
// school adds about 200,000 a school day, mostly Attendance rows), so a large school's log fills
// within a term. Setup, run by the admin when the health check says the log is filling, ends a
// log that has used the warning share of its cells: it is renamed with the date it ends, keeps
// its sharing (SLT and the DSL) and protections, and is never written again. The new log gets
// what SLT and the DSL work from, and what the purge needs: the settings in force, the consent
// register, the incidents (their status and follow-up columns included) and every recording not
// yet purged; follow-ups come from the script's store within the hour, and lessons still in the
// store write their rows to the new log as they change.
// doc: https://support.google.com/drive/answer/37603 (10 million cells a spreadsheet)
// doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#rename(String)

import { gridCells, SHEETS } from '../adapters/log-book';
import { RECORDING_SHEETS } from '../adapters/recordings-sheet';
import { LOG_CELL_LIMIT, QUOTA_WARN_SHARE } from '../core/health';
import { COL } from '../core/recording';
import { localDate } from '../core/time';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** What an ended log hands to the new one: rows people keep working from, below the header. */
export interface CarriedRows {
  consent: unknown[][];
  incidents: unknown[][];
  /**
   * Recordings not yet purged: the purge deletes only what the log's Recordings sheet registers
   * (purge-recordings.ts), so each must be registered in the new log to be deleted on its day.
   */
  recordings: unknown[][];
}

export interface EndedLog {
  /** The name it is kept under once a new log is made. */
  name: string;
  book: Spreadsheet;
  cells: number;
  carried: CarriedRows;
}

/** A log at this many cells is ended by setup: the share at which the admin is warned. */
export const END_LOG_AT_CELLS = QUOTA_WARN_SHARE * LOG_CELL_LIMIT;

/**
 * Ends `book` if it has used END_LOG_AT_CELLS or more: reads what the new log carries over, and
 * the name it is to be kept under. Null: it has room, and stays the log.
 */
export function endFullLog(book: Spreadsheet, title: string, now: number, timeZone: string) {
  const cells = gridCells(book);
  if (cells < END_LOG_AT_CELLS) return null;
  const carried: CarriedRows = {
    consent: rowsBelowHeader(book.getSheetByName(SHEETS.consent)),
    incidents: rowsBelowHeader(book.getSheetByName(SHEETS.incidents)),
    recordings: rowsBelowHeader(book.getSheetByName(RECORDING_SHEETS.recordings)).filter(
      (row) => String(row[COL.file] ?? '') !== '' && String(row[COL.purgedAt] ?? '') === '',
    ),
  };
  // Renamed by the caller once the new log exists: a log that could not be replaced stays the
  // log, under its own name.
  const name = `${title} (ended ${localDate(now, timeZone)})`;
  return { name, cells, carried, book } satisfies EndedLog;
}

/** Writes carried rows under the header of a new, empty sheet, growing it first if it must. */
export function carryInto(sheet: Sheet, rows: readonly unknown[][], width: number): void {
  if (rows.length === 0) return;
  const max = sheet.getMaxRows();
  if (rows.length + 1 > max) sheet.insertRowsAfter(max, rows.length + 1 - max);
  const values = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
  sheet.getRange(2, 1, values.length, width).setValues(values);
}

function rowsBelowHeader(sheet: Sheet | null): unknown[][] {
  if (!sheet || sheet.getLastRow() < 2) return [];
  return sheet
    .getRange(2, 1, sheet.getLastRow() - 1, Math.max(1, sheet.getLastColumn()))
    .getValues()
    .filter((row) => row.some((cell) => String(cell ?? '') !== ''));
}
