// The stored state of simulated spreadsheets (documents, sheets, cells, protections,
// rules, charts) and the grid operations on it. No access checks or call counting here:
// the Apps Script objects (spreadsheet-range.ts, -sheet.ts, -doc.ts) add those.

import { type GridRect, intersects } from './spreadsheet-a1';
import { MAX_CELLS, SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import { type Cell, type CellValue, copyValue, hasContent } from './spreadsheet-values';

/** A new sheet is 1000 rows by 26 columns. */
// doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#createname
export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLUMNS = 26;
export const DEFAULT_COLUMN_WIDTH = 100;

export type ProtectionKind = 'RANGE' | 'SHEET';

export interface ProtectionState {
  id: number;
  sheetId: number;
  kind: ProtectionKind;
  /** The protected cells; a SHEET protection covers the whole sheet. */
  rect?: GridRect;
  description: string;
  editors: string[];
  domainEdit: boolean;
  warningOnly: boolean;
  /**
   * Until the script changes the editor list (or domain edit), a new protection mirrors the
   * spreadsheet's own permissions, so it protects nothing.
   * doc: https://developers.google.com/apps-script/reference/spreadsheet/range#protect
   */
  mirrorsSpreadsheet: boolean;
  /**
   * Holes in a protected sheet that anyone who can edit the spreadsheet may edit
   * ("A protected sheet may include unprotected regions"); always empty for a RANGE.
   * doc: https://developers.google.com/apps-script/reference/spreadsheet/protection
   */
  unprotected: GridRect[];
}

export interface ConditionalRuleSpec {
  criteria: string;
  values: unknown[];
  background?: string;
  fontColor?: string;
  bold?: boolean;
  ranges: { sheetId: number; rect: GridRect }[];
}

export interface ChartSpec {
  chartId: number;
  chartType: string;
  ranges: { sheetId: number; rect: GridRect }[];
  position: { anchorRow: number; anchorColumn: number; offsetX: number; offsetY: number };
  options: Record<string, unknown>;
}

export interface SheetState {
  sheetId: number;
  name: string;
  /** rows[r-1][c-1]; missing entries are empty cells. */
  rows: (Cell | undefined)[][];
  maxRows: number;
  maxCols: number;
  frozenRows: number;
  frozenColumns: number;
  filter?: GridRect;
  rules: ConditionalRuleSpec[];
  charts: ChartSpec[];
  columnWidths: Map<number, number>;
}

export interface DocState {
  id: string;
  name: string;
  owner: string;
  sheets: SheetState[];
  /** Sharing done through SpreadsheetApp (see spreadsheet.ts on how it meets Drive's). */
  editors: string[];
  viewers: string[];
  protections: ProtectionState[];
  nextSheetId: number;
  nextProtectionId: number;
  nextChartId: number;
}

export function newSheet(
  sheetId: number,
  name: string,
  rows = DEFAULT_ROWS,
  cols = DEFAULT_COLUMNS,
): SheetState {
  return {
    sheetId,
    name,
    rows: [],
    maxRows: rows,
    maxCols: cols,
    frozenRows: 0,
    frozenColumns: 0,
    rules: [],
    charts: [],
    columnWidths: new Map(),
  };
}

export function cellCount(doc: DocState): number {
  return doc.sheets.reduce((n, s) => n + s.maxRows * s.maxCols, 0);
}

/** Throws the workbook-size error if growing by `extra` cells would pass the limit. */
export function ensureRoom(doc: DocState, extra: number): void {
  if (cellCount(doc) + extra > MAX_CELLS) throw sheetsException(SHEETS_MESSAGES.cellLimit);
}

export function getCell(sheet: SheetState, row: number, col: number): Cell | undefined {
  return sheet.rows[row - 1]?.[col - 1];
}

export function setCell(sheet: SheetState, row: number, col: number, cell: Cell | undefined): void {
  let line = sheet.rows[row - 1];
  if (!line) {
    line = [];
    sheet.rows[row - 1] = line;
  }
  line[col - 1] = cell;
}

/** Changes one cell, keeping its formatting unless `patch` replaces it. */
export function patchCell(sheet: SheetState, row: number, col: number, patch: Partial<Cell>): void {
  const old = getCell(sheet, row, col) ?? { value: '' };
  setCell(sheet, row, col, { ...old, ...patch });
}

export function lastRow(sheet: SheetState): number {
  for (let r = sheet.rows.length; r >= 1; r -= 1) {
    if ((sheet.rows[r - 1] ?? []).some((cell) => hasContent(cell))) return r;
  }
  return 0;
}

export function lastColumn(sheet: SheetState): number {
  let last = 0;
  for (const line of sheet.rows) {
    if (!line) continue;
    for (let c = line.length; c > last; c -= 1) {
      if (hasContent(line[c - 1])) {
        last = c;
        break;
      }
    }
  }
  return last;
}

export function readValues(sheet: SheetState, rect: GridRect): CellValue[][] {
  const out: CellValue[][] = [];
  for (let r = 0; r < rect.numRows; r += 1) {
    const line: CellValue[] = [];
    for (let c = 0; c < rect.numCols; c += 1) {
      const cell = getCell(sheet, rect.row + r, rect.col + c);
      line.push(cell ? copyValue(cell.value) : '');
    }
    out.push(line);
  }
  return out;
}

export function readCells<T>(
  sheet: SheetState,
  rect: GridRect,
  pick: (cell: Cell | undefined) => T,
): T[][] {
  const out: T[][] = [];
  for (let r = 0; r < rect.numRows; r += 1) {
    const line: T[] = [];
    for (let c = 0; c < rect.numCols; c += 1)
      line.push(pick(getCell(sheet, rect.row + r, rect.col + c)));
    out.push(line);
  }
  return out;
}

/** Shifts a rectangle's rows after inserting (delta > 0) or deleting (delta < 0) rows at `at`. */
export function shiftRows(rect: GridRect, at: number, delta: number): GridRect | undefined {
  const end = rect.row + rect.numRows - 1;
  if (delta > 0) {
    if (at > end) return rect;
    if (at <= rect.row) return { ...rect, row: rect.row + delta };
    return { ...rect, numRows: rect.numRows + delta };
  }
  const count = -delta;
  const delEnd = at + count - 1;
  if (delEnd < rect.row) return { ...rect, row: rect.row - count };
  if (at > end) return rect;
  const keptBefore = Math.max(0, at - rect.row);
  const keptAfter = Math.max(0, end - delEnd);
  const numRows = keptBefore + keptAfter;
  if (numRows === 0) return undefined;
  return { ...rect, row: Math.min(rect.row, at), numRows };
}

/** Moves every row-anchored thing on the sheet (protections, filter, rules, charts) with the rows. */
export function shiftSheetRows(doc: DocState, sheet: SheetState, at: number, delta: number): void {
  doc.protections = doc.protections.flatMap((p) => {
    if (p.sheetId !== sheet.sheetId) return [p];
    const unprotected = p.unprotected.flatMap((h) => shiftRows(h, at, delta) ?? []);
    if (!p.rect) return [{ ...p, unprotected }];
    const rect = shiftRows(p.rect, at, delta);
    return rect ? [{ ...p, rect, unprotected }] : [];
  });
  if (sheet.filter) sheet.filter = shiftRows(sheet.filter, at, delta);
  for (const rule of sheet.rules) {
    rule.ranges = rule.ranges.flatMap((r) => {
      if (r.sheetId !== sheet.sheetId) return [r];
      const rect = shiftRows(r.rect, at, delta);
      return rect ? [{ ...r, rect }] : [];
    });
  }
}

/**
 * The protections covering any cell of `rect`. A sheet protection does not cover cells that
 * lie in one of its unprotected ranges.
 */
export function protectionsOver(
  doc: DocState,
  sheet: SheetState,
  rect: GridRect,
): ProtectionState[] {
  return doc.protections.filter((p) => {
    if (p.sheetId !== sheet.sheetId) return false;
    if (p.kind === 'RANGE') return !!p.rect && intersects(p.rect, rect);
    return !withinHoles(rect, p.unprotected);
  });
}

/** True when every cell of `rect` lies in one of `holes`. */
function withinHoles(rect: GridRect, holes: readonly GridRect[]): boolean {
  if (holes.length === 0) return false;
  for (let r = rect.row; r < rect.row + rect.numRows; r += 1) {
    for (let c = rect.col; c < rect.col + rect.numCols; c += 1) {
      const cell = { row: r, col: c, numRows: 1, numCols: 1 };
      if (!holes.some((h) => intersects(h, cell))) return false;
    }
  }
  return true;
}
