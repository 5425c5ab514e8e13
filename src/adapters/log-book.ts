// The log spreadsheet's sheets, opened once per execution: every adapter that writes
// the log (sessions, recordings, dashboard) finds its sheet the same way, and a missing
// sheet says what to do.

import { guarded } from './google-failure';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface LogBookCache {
  book?: Spreadsheet;
  sheets: Map<string, Sheet>;
}

export function newLogBookCache(): LogBookCache {
  return { sheets: new Map() };
}

export function logSheet(
  cache: LogBookCache,
  spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  spreadsheetId: string,
  name: string,
): Sheet {
  const known = cache.sheets.get(name);
  if (known) return known;
  if (!cache.book) cache.book = guarded('sheets', () => spreadsheetApp.openById(spreadsheetId));
  const book = cache.book;
  const sheet = guarded('sheets', () => book.getSheetByName(name));
  if (!sheet) throw new Error(`The log spreadsheet has no "${name}" sheet: run setup again.`);
  cache.sheets.set(name, sheet);
  return sheet;
}
