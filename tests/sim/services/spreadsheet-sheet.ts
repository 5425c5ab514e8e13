// Sheet: one tab of a spreadsheet: ranges, appending and deleting rows, frozen rows,
// conditional formats, protections, column widths and charts.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet

import { type GridRect, parseA1, splitSheetPrefix } from './spreadsheet-a1';
import {
  copyChart,
  copyRule,
  SimConditionalFormatRule,
  SimEmbeddedChart,
  SimEmbeddedChartBuilder,
  SimFilter,
} from './spreadsheet-builders';
import type { SheetsContext, Subset } from './spreadsheet-context';
import { SimSpreadsheet } from './spreadsheet-doc';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import {
  DEFAULT_COLUMN_WIDTH,
  type DocState,
  ensureRoom,
  lastColumn,
  lastRow,
  protectionsOver,
  type SheetState,
  setCell,
  shiftSheetRows,
} from './spreadsheet-model';
import { assertUnprotected, SimProtection } from './spreadsheet-protection';
import { SimRange } from './spreadsheet-range';
import { type Cell, userEntered } from './spreadsheet-values';

type Real = GoogleAppsScript.Spreadsheet.Sheet;

/** Sheet names are unique regardless of case (as the Sheets UI enforces). */
export function assertFreeName(doc: DocState, name: string, except?: SheetState): void {
  const taken = doc.sheets.some((s) => s !== except && s.name.toLowerCase() === name.toLowerCase());
  if (taken) throw sheetsException(SHEETS_MESSAGES.sheetExists(name));
}

export function newProtectionEditors(doc: DocState, user: string): string[] {
  return [...new Set([doc.owner, user, ...doc.editors])];
}

export class SimSheet
  implements
    Subset<
      Real,
      | 'getName'
      | 'setName'
      | 'getSheetId'
      | 'getIndex'
      | 'getParent'
      | 'getRange'
      | 'getDataRange'
      | 'getLastRow'
      | 'getLastColumn'
      | 'getMaxRows'
      | 'getMaxColumns'
      | 'appendRow'
      | 'deleteRow'
      | 'deleteRows'
      | 'insertRowsAfter'
      | 'insertColumnsAfter'
      | 'deleteColumns'
      | 'insertRowsBefore'
      | 'setFrozenRows'
      | 'getFrozenRows'
      | 'setFrozenColumns'
      | 'getFrozenColumns'
      | 'getFilter'
      | 'getConditionalFormatRules'
      | 'clearConditionalFormatRules'
      | 'protect'
      | 'getProtections'
      | 'autoResizeColumn'
      | 'autoResizeColumns'
      | 'setColumnWidth'
      | 'getColumnWidth'
      | 'newChart'
      | 'getCharts'
      | 'clear'
      | 'clearContents'
    >
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    private readonly sheetId: number,
  ) {}

  private state(): SheetState {
    const sheet = this.doc.sheets.find((s) => s.sheetId === this.sheetId);
    if (!sheet) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
    return sheet;
  }

  private read<T>(method: string, fn: (sheet: SheetState) => T): T {
    return this.ctx.call(`sheets.Sheet.${method}`, this.doc, 'read', () => fn(this.state()));
  }

  private write<T>(method: string, fn: (sheet: SheetState) => T): T {
    return this.ctx.call(`sheets.Sheet.${method}`, this.doc, 'write', () => fn(this.state()));
  }

  private guard(sheet: SheetState, rect: GridRect): void {
    assertUnprotected(this.ctx, this.doc, protectionsOver(this.doc, sheet, rect), this.ctx.user());
  }

  // ---- identity (no call) ----

  getName(): string {
    return this.state().name;
  }

  getSheetId(): number {
    return this.sheetId;
  }

  getIndex(): number {
    return this.doc.sheets.indexOf(this.state()) + 1;
  }

  getParent(): SimSpreadsheet {
    return new SimSpreadsheet(this.ctx, this.doc);
  }

  setName(name: string): SimSheet {
    return this.write('setName', (sheet) => {
      assertFreeName(this.doc, name, sheet);
      sheet.name = name;
      return this;
    });
  }

  // ---- ranges ----

  /**
   * getRange(row, column[, numRows[, numColumns]]) or getRange(a1Notation). A Range is a
   * local handle in Apps Script, so this is not counted as a call.
   */
  getRange(a: number | string, column?: number, numRows?: number, numColumns?: number): SimRange {
    const sheet = this.state();
    if (typeof a === 'string') {
      const { sheetName, range } = splitSheetPrefix(a);
      if (sheetName !== undefined && sheetName !== sheet.name) {
        throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
      }
      const rect = parseA1(range, sheet.maxRows, sheet.maxCols);
      return this.rangeAt(sheet, rect);
    }
    const rect = { row: a, col: column ?? 1, numRows: numRows ?? 1, numCols: numColumns ?? 1 };
    if (![rect.row, rect.col, rect.numRows, rect.numCols].every(Number.isFinite)) {
      const types = [a, column, numRows, numColumns]
        .filter((x) => x !== undefined)
        .map(() => 'number');
      throw sheetsException(SHEETS_MESSAGES.badParameters(types.join(','), 'Sheet.getRange'));
    }
    if (rect.row < 1) throw sheetsException(SHEETS_MESSAGES.startRowTooSmall);
    if (rect.col < 1) throw sheetsException(SHEETS_MESSAGES.startColumnTooSmall);
    if (rect.numRows < 1) throw sheetsException(SHEETS_MESSAGES.rowsAtLeastOne);
    if (rect.numCols < 1) throw sheetsException(SHEETS_MESSAGES.columnsAtLeastOne);
    return this.rangeAt(sheet, rect);
  }

  private rangeAt(sheet: SheetState, rect: GridRect): SimRange {
    if (
      rect.row + rect.numRows - 1 > sheet.maxRows ||
      rect.col + rect.numCols - 1 > sheet.maxCols
    ) {
      throw sheetsException(SHEETS_MESSAGES.outsideSheet);
    }
    return new SimRange(this.ctx, this.doc, this.sheetId, rect);
  }

  /** "Returns a Range corresponding to the dimensions in which data is present." */
  getDataRange(): SimRange {
    return this.read('getDataRange', (sheet) => {
      const rect = {
        row: 1,
        col: 1,
        numRows: Math.max(lastRow(sheet), 1),
        numCols: Math.max(lastColumn(sheet), 1),
      };
      return new SimRange(this.ctx, this.doc, this.sheetId, rect);
    });
  }

  /** "Returns the position of the last row that has content." (0 on an empty sheet) */
  getLastRow(): number {
    return this.read('getLastRow', (sheet) => lastRow(sheet));
  }

  getLastColumn(): number {
    return this.read('getLastColumn', (sheet) => lastColumn(sheet));
  }

  getMaxRows(): number {
    return this.read('getMaxRows', (sheet) => sheet.maxRows);
  }

  getMaxColumns(): number {
    return this.read('getMaxColumns', (sheet) => sheet.maxCols);
  }

  // ---- rows ----

  /**
   * Appends after the last row with content, parsing values like setValue (so '=...'
   * becomes a formula); the grid grows when the row falls past its edge.
   */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#appendrowrowcontents
  appendRow(rowContents: unknown[]): SimSheet {
    return this.write('appendRow', (sheet) => {
      if (!Array.isArray(rowContents)) {
        throw sheetsException(SHEETS_MESSAGES.badParameters('String', 'Sheet.appendRow'));
      }
      if (rowContents.length === 0) return this;
      const row = lastRow(sheet) + 1;
      const rect = { row, col: 1, numRows: 1, numCols: rowContents.length };
      const growRows = Math.max(0, row - sheet.maxRows);
      const growCols = Math.max(0, rowContents.length - sheet.maxCols);
      ensureRoom(
        this.doc,
        (sheet.maxRows + growRows) * (sheet.maxCols + growCols) - sheet.maxRows * sheet.maxCols,
      );
      this.guard(sheet, rect);
      const cells: Cell[] = rowContents.map((v, i) =>
        userEntered(v, sheet.rows[row - 1]?.[i]?.numberFormat),
      );
      sheet.maxRows += growRows;
      sheet.maxCols += growCols;
      cells.forEach((cell, i) => {
        const { value: _v, formula: _f, ...format } = sheet.rows[row - 1]?.[i] ?? { value: '' };
        setCell(sheet, row, i + 1, { ...format, ...cell });
      });
      return this;
    });
  }

  deleteRow(rowPosition: number): SimSheet {
    this.removeRows('deleteRow', rowPosition, 1);
    return this;
  }

  deleteRows(rowPosition: number, howMany: number): void {
    this.removeRows('deleteRows', rowPosition, howMany);
  }

  private removeRows(method: string, at: number, count: number): void {
    this.write(method, (sheet) => {
      if (at < 1 || count < 1 || at + count - 1 > sheet.maxRows) {
        throw sheetsException(SHEETS_MESSAGES.rowsOutOfBounds);
      }
      if (sheet.maxRows - count <= sheet.frozenRows)
        throw sheetsException(SHEETS_MESSAGES.deleteAllRows);
      this.guard(sheet, { row: at, col: 1, numRows: count, numCols: sheet.maxCols });
      sheet.rows.splice(at - 1, count);
      sheet.maxRows -= count;
      shiftSheetRows(this.doc, sheet, at, -count);
    });
  }

  insertRowsAfter(afterPosition: number, howMany: number): SimSheet {
    return this.addRows('insertRowsAfter', afterPosition + 1, howMany);
  }

  /**
   * doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#insertColumnsAfter(Integer,Integer)
   * Cells right of the position move right. Protections and formats are not shifted by
   * columns in this simulation (rows are): the product only appends columns at the end.
   */
  insertColumnsAfter(afterPosition: number, howMany: number): SimSheet {
    return this.write('insertColumnsAfter', (sheet) => {
      if (afterPosition < 0 || afterPosition > sheet.maxCols || howMany < 1)
        throw sheetsException(SHEETS_MESSAGES.rowsOutOfBounds.replace('rows', 'columns'));
      ensureRoom(this.doc, howMany * sheet.maxRows);
      for (const line of sheet.rows) {
        if (line && line.length > afterPosition)
          line.splice(
            afterPosition,
            0,
            ...Array.from({ length: howMany }, () => undefined as never),
          );
      }
      sheet.maxCols += howMany;
      return this;
    });
  }

  /**
   * doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#deleteColumns(Integer,Integer)
   * ("Deletes a number of columns starting at the given column position"). Cells right of them
   * move left. As with insertColumnsAfter, protections and formats are not shifted by columns in
   * this simulation: the product only deletes empty columns at the end. Assumption (Google does
   * not document it for columns): deleting every non-frozen column fails as it does for rows.
   */
  deleteColumns(columnPosition: number, howMany: number): void {
    this.write('deleteColumns', (sheet) => {
      if (columnPosition < 1 || howMany < 1 || columnPosition + howMany - 1 > sheet.maxCols)
        throw sheetsException(SHEETS_MESSAGES.rowsOutOfBounds.replace('rows', 'columns'));
      if (sheet.maxCols - howMany <= sheet.frozenColumns)
        throw sheetsException(SHEETS_MESSAGES.deleteAllColumns);
      this.guard(sheet, { row: 1, col: columnPosition, numRows: sheet.maxRows, numCols: howMany });
      for (const line of sheet.rows) if (line) line.splice(columnPosition - 1, howMany);
      sheet.maxCols -= howMany;
    });
  }

  insertRowsBefore(beforePosition: number, howMany: number): SimSheet {
    return this.addRows('insertRowsBefore', beforePosition, howMany);
  }

  /** Inserts `count` empty rows so the first new row is `at`. */
  private addRows(method: string, at: number, count: number): SimSheet {
    return this.write(method, (sheet) => {
      if (at < 1 || at > sheet.maxRows + 1 || count < 1)
        throw sheetsException(SHEETS_MESSAGES.rowsOutOfBounds);
      ensureRoom(this.doc, count * sheet.maxCols);
      if (sheet.rows.length >= at)
        sheet.rows.splice(at - 1, 0, ...Array.from({ length: count }, () => []));
      sheet.maxRows += count;
      shiftSheetRows(this.doc, sheet, at, count);
      return this;
    });
  }

  clear(): SimSheet {
    return this.write('clear', (sheet) => {
      this.guard(sheet, { row: 1, col: 1, numRows: sheet.maxRows, numCols: sheet.maxCols });
      sheet.rows = [];
      return this;
    });
  }

  clearContents(): SimSheet {
    return this.write('clearContents', (sheet) => {
      this.guard(sheet, { row: 1, col: 1, numRows: sheet.maxRows, numCols: sheet.maxCols });
      sheet.rows = sheet.rows.map((line) =>
        (line ?? []).map((cell) => {
          if (!cell) return cell;
          const { value: _v, formula: _f, ...format } = cell;
          return { ...format, value: '' };
        }),
      );
      return this;
    });
  }

  // ---- view ----

  setFrozenRows(rows: number): void {
    this.write('setFrozenRows', (sheet) => {
      sheet.frozenRows = rows;
    });
  }

  getFrozenRows(): number {
    return this.read('getFrozenRows', (sheet) => sheet.frozenRows);
  }

  setFrozenColumns(columns: number): void {
    this.write('setFrozenColumns', (sheet) => {
      sheet.frozenColumns = columns;
    });
  }

  getFrozenColumns(): number {
    return this.read('getFrozenColumns', (sheet) => sheet.frozenColumns);
  }

  getFilter(): SimFilter | null {
    return this.read('getFilter', (sheet) =>
      sheet.filter ? new SimFilter(this.ctx, this.doc, this.sheetId) : null,
    );
  }

  setColumnWidth(columnPosition: number, width: number): SimSheet {
    return this.write('setColumnWidth', (sheet) => {
      sheet.columnWidths.set(columnPosition, width);
      return this;
    });
  }

  getColumnWidth(columnPosition: number): number {
    return this.read(
      'getColumnWidth',
      (sheet) => sheet.columnWidths.get(columnPosition) ?? DEFAULT_COLUMN_WIDTH,
    );
  }

  autoResizeColumn(columnPosition: number): SimSheet {
    return this.autoResizeColumns(columnPosition, 1);
  }

  /** Fits columns to their content; the width is an estimate (7 px a character). */
  autoResizeColumns(startColumn: number, numColumns: number): SimSheet {
    return this.write('autoResizeColumns', (sheet) => {
      for (let c = startColumn; c < startColumn + numColumns; c += 1) {
        let chars = 0;
        for (const line of sheet.rows)
          chars = Math.max(chars, String(line?.[c - 1]?.value ?? '').length);
        sheet.columnWidths.set(c, Math.max(20, chars * 7 + 10));
      }
      return this;
    });
  }

  // ---- conditional formats ----

  /** Takes simulated rules, so this and the chart methods below are outside the checked subset. */
  setConditionalFormatRules(rules: SimConditionalFormatRule[]): void {
    this.write('setConditionalFormatRules', (sheet) => {
      sheet.rules = rules.map((r) => copyRule(r.spec));
    });
  }

  getConditionalFormatRules(): SimConditionalFormatRule[] {
    return this.read('getConditionalFormatRules', (sheet) =>
      sheet.rules.map((spec) => new SimConditionalFormatRule(this.ctx, this.doc, copyRule(spec))),
    );
  }

  clearConditionalFormatRules(): void {
    this.write('clearConditionalFormatRules', (sheet) => {
      sheet.rules = [];
    });
  }

  // ---- protection ----

  /** If the sheet is already protected, the existing protection is returned. */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#protect
  protect(): SimProtection {
    return this.write('protect', (sheet) => {
      const existing = this.doc.protections.find(
        (p) => p.sheetId === sheet.sheetId && p.kind === 'SHEET',
      );
      if (existing) return new SimProtection(this.ctx, this.doc, existing.id);
      this.doc.nextProtectionId += 1;
      const id = this.doc.nextProtectionId;
      this.doc.protections.push({
        id,
        sheetId: sheet.sheetId,
        kind: 'SHEET',
        description: '',
        editors: newProtectionEditors(this.doc, this.ctx.user()),
        domainEdit: false,
        warningOnly: false,
        mirrorsSpreadsheet: true,
        unprotected: [],
      });
      return new SimProtection(this.ctx, this.doc, id);
    });
  }

  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType): SimProtection[] {
    return this.read('getProtections', (sheet) =>
      this.doc.protections
        .filter((p) => p.sheetId === sheet.sheetId && p.kind === String(type))
        .map((p) => new SimProtection(this.ctx, this.doc, p.id)),
    );
  }

  // ---- charts ----

  /** A local builder; only insertChart talks to Sheets. */
  newChart(): SimEmbeddedChartBuilder {
    return new SimEmbeddedChartBuilder(this.ctx, this.doc);
  }

  insertChart(chart: SimEmbeddedChart): void {
    this.write('insertChart', (sheet) => {
      this.doc.nextChartId += 1;
      chart.spec.chartId = this.doc.nextChartId;
      sheet.charts.push(copyChart(chart.spec));
    });
  }

  getCharts(): SimEmbeddedChart[] {
    return this.read('getCharts', (sheet) =>
      sheet.charts.map((c) => new SimEmbeddedChart(this.ctx, this.doc, copyChart(c))),
    );
  }

  /** "Updates the chart on this sheet" (a chart built from chart.modify(), same id). */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/sheet#updateChart(EmbeddedChart)
  // assumption: updating a chart that is not on the sheet fails like other missing objects.
  updateChart(chart: SimEmbeddedChart): void {
    this.write('updateChart', (sheet) => {
      const at = sheet.charts.findIndex((c) => c.chartId === chart.spec.chartId);
      if (at < 0) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
      sheet.charts[at] = copyChart(chart.spec);
    });
  }

  removeChart(chart: SimEmbeddedChart): void {
    this.write('removeChart', (sheet) => {
      sheet.charts = sheet.charts.filter((c) => c.chartId !== chart.spec.chartId);
    });
  }
}
