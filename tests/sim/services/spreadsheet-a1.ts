// A1 notation, as SpreadsheetApp reads and writes it: 'B3', 'A1:F10', 'A:F' (whole
// columns), '2:5' (whole rows), 'A2:F' (open-ended), with an optional sheet prefix
// 'Sessions!A1:B2' or "'My sheet'!A1".
// doc: https://developers.google.com/workspace/sheets/api/guides/concepts#cell

import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';

/** A rectangle of cells, 1-based like the Apps Script API. */
export interface GridRect {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

export function columnLetters(col: number): string {
  let n = col;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function rectToA1(rect: GridRect): string {
  const start = `${columnLetters(rect.col)}${rect.row}`;
  if (rect.numRows === 1 && rect.numCols === 1) return start;
  const end = `${columnLetters(rect.col + rect.numCols - 1)}${rect.row + rect.numRows - 1}`;
  return `${start}:${end}`;
}

/** Splits "Sheet!A1:B2" into the sheet name (unquoted) and the range part. */
export function splitSheetPrefix(a1: string): { sheetName?: string; range: string } {
  const bang = a1.lastIndexOf('!');
  if (bang < 0) return { range: a1 };
  let name = a1.slice(0, bang);
  if (name.startsWith("'") && name.endsWith("'") && name.length >= 2) {
    name = name.slice(1, -1).replace(/''/g, "'");
  }
  return { sheetName: name, range: a1.slice(bang + 1) };
}

const PART = /^([A-Za-z]{0,3})(\d*)$/;

/**
 * Parses the range part against a sheet of `maxRows` x `maxCols`; open ends run to the
 * sheet's edge. Throws Apps Script's "Range not found" for anything else.
 */
export function parseA1(range: string, maxRows: number, maxCols: number): GridRect {
  const [first, second, extra] = range.trim().split(':');
  if (first === undefined || extra !== undefined)
    throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
  const a = PART.exec(first);
  const b = second === undefined ? a : PART.exec(second);
  if (!a || !b || (a[1] === '' && a[2] === '') || (b[1] === '' && b[2] === '')) {
    throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
  }
  // A lone part must be a cell ('B3'); 'B' or '3' alone is not a range.
  if (second === undefined && (a[1] === '' || a[2] === '')) {
    throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
  }
  const c1 = a[1] ? columnNumber(a[1]) : 1;
  const c2 = b[1] ? columnNumber(b[1]) : maxCols;
  const r1 = a[2] ? Number(a[2]) : 1;
  const r2 = b[2] ? Number(b[2]) : maxRows;
  if (r1 < 1 || r2 < 1) throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
  // Sheets normalises reversed corners ('F10:A1' is 'A1:F10').
  const row = Math.min(r1, r2);
  const col = Math.min(c1, c2);
  return {
    row,
    col,
    numRows: Math.max(r1, r2) - row + 1,
    numCols: Math.max(c1, c2) - col + 1,
  };
}

export function intersects(a: GridRect, b: GridRect): boolean {
  return (
    a.row < b.row + b.numRows &&
    b.row < a.row + a.numRows &&
    a.col < b.col + b.numCols &&
    b.col < a.col + a.numCols
  );
}
