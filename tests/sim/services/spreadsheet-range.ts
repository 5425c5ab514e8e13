// Range: reading and writing cells. Writes go through "user entered" parsing (formulas,
// apostrophes, numbers...), exact dimension checks and protections; reads return typed
// values ('' for empty cells, Dates as Date objects).
// doc: https://developers.google.com/apps-script/reference/spreadsheet/range

import { type GridRect, rectToA1 } from './spreadsheet-a1';
import { SimFilter } from './spreadsheet-builders';
import type { SheetsContext, Subset } from './spreadsheet-context';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import {
  type DocState,
  getCell,
  patchCell,
  protectionsOver,
  readCells,
  readValues,
  type SheetState,
  setCell,
} from './spreadsheet-model';
import { assertUnprotected, protectionAllows, SimProtection } from './spreadsheet-protection';
import { newProtectionEditors, SimSheet } from './spreadsheet-sheet';
import { copyValidation, SimDataValidation } from './spreadsheet-validation';
import { type Cell, type CellValue, userEntered } from './spreadsheet-values';

type Real = GoogleAppsScript.Spreadsheet.Range;

/** What getNumberFormat reports for a cell never formatted (Sheets' "Automatic"). */
export const DEFAULT_NUMBER_FORMAT = '0.###############';
const DEFAULT_BACKGROUND = '#ffffff';

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'Object[]';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'Boolean';
  return 'Object';
}

/** Writes parsed cells over `rect`, keeping each cell's formatting. */
export function writeCells(
  sheet: SheetState,
  rect: GridRect,
  make: (r: number, c: number, old: Cell | undefined) => Cell,
): void {
  // Parse everything first: one bad cell rejects the whole call, as in Sheets.
  const parsed: Cell[][] = [];
  for (let r = 0; r < rect.numRows; r += 1) {
    const line: Cell[] = [];
    for (let c = 0; c < rect.numCols; c += 1)
      line.push(make(r, c, getCell(sheet, rect.row + r, rect.col + c)));
    parsed.push(line);
  }
  parsed.forEach((line, r) => {
    line.forEach((cell, c) => {
      const old = getCell(sheet, rect.row + r, rect.col + c);
      const { value: _value, formula: _formula, ...format } = old ?? { value: '' };
      setCell(sheet, rect.row + r, rect.col + c, { ...format, ...cell });
    });
  });
}

export class SimRange
  implements
    Subset<
      Real,
      | 'getA1Notation'
      | 'getRow'
      | 'getColumn'
      | 'getNumRows'
      | 'getNumColumns'
      | 'getLastRow'
      | 'getLastColumn'
      | 'getSheet'
      | 'getCell'
      | 'offset'
      | 'getValues'
      | 'getValue'
      | 'setValues'
      | 'setValue'
      | 'getFormulas'
      | 'getFormula'
      | 'setFormula'
      | 'setFormulas'
      | 'clearContent'
      | 'clear'
      | 'isBlank'
      | 'setNumberFormat'
      | 'setNumberFormats'
      | 'getNumberFormat'
      | 'getNumberFormats'
      | 'setFontWeight'
      | 'setFontWeights'
      | 'getFontWeight'
      | 'getFontWeights'
      | 'setFontColor'
      | 'setBackground'
      | 'getBackground'
      | 'getBackgrounds'
      | 'getDataValidation'
      | 'getDataValidations'
      | 'clearDataValidations'
      | 'protect'
      | 'createFilter'
      | 'getFilter'
      | 'canEdit'
    >
{
  private readonly rect: GridRect;

  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    private readonly sheetId: number,
    rect: GridRect,
  ) {
    this.rect = { ...rect };
  }

  /** The rectangle, for builders (conditional formats, charts) that keep ranges as specs. */
  gridRef(): { sheetId: number; rect: GridRect } {
    return { sheetId: this.sheetId, rect: { ...this.rect } };
  }

  docState(): DocState {
    return this.doc;
  }

  private sheet(): SheetState {
    const sheet = this.doc.sheets.find((s) => s.sheetId === this.sheetId);
    if (!sheet) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
    return sheet;
  }

  private read<T>(method: string, fn: (sheet: SheetState) => T): T {
    return this.ctx.call(`sheets.Range.${method}`, this.doc, 'read', () => fn(this.sheet()));
  }

  private write(method: string, fn: (sheet: SheetState) => void): this {
    return this.ctx.call(`sheets.Range.${method}`, this.doc, 'write', () => {
      const sheet = this.sheet();
      assertUnprotected(
        this.ctx,
        this.doc,
        protectionsOver(this.doc, sheet, this.rect),
        this.ctx.user(),
      );
      fn(sheet);
      return this;
    });
  }

  // ---- where the range is (no call: a Range object knows its own coordinates) ----

  getA1Notation(): string {
    return rectToA1(this.rect);
  }

  getRow(): number {
    return this.rect.row;
  }

  getColumn(): number {
    return this.rect.col;
  }

  getNumRows(): number {
    return this.rect.numRows;
  }

  getNumColumns(): number {
    return this.rect.numCols;
  }

  /** "Returns the end row position." */
  getLastRow(): number {
    return this.rect.row + this.rect.numRows - 1;
  }

  getLastColumn(): number {
    return this.rect.col + this.rect.numCols - 1;
  }

  getSheet(): SimSheet {
    return new SimSheet(this.ctx, this.doc, this.sheetId);
  }

  getCell(row: number, column: number): SimRange {
    if (row < 1 || column < 1 || row > this.rect.numRows || column > this.rect.numCols) {
      throw sheetsException(SHEETS_MESSAGES.outsideSheet);
    }
    return new SimRange(this.ctx, this.doc, this.sheetId, {
      row: this.rect.row + row - 1,
      col: this.rect.col + column - 1,
      numRows: 1,
      numCols: 1,
    });
  }

  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): SimRange {
    return this.getSheet().getRange(
      this.rect.row + rowOffset,
      this.rect.col + columnOffset,
      numRows ?? this.rect.numRows,
      numColumns ?? this.rect.numCols,
    );
  }

  // ---- values ----

  getValues(): CellValue[][] {
    return this.read('getValues', (sheet) => readValues(sheet, this.rect));
  }

  getValue(): CellValue {
    return this.read(
      'getValue',
      (sheet) => readValues(sheet, { ...this.rect, numRows: 1, numCols: 1 })[0]![0]!,
    );
  }

  // doc: https://developers.google.com/apps-script/reference/spreadsheet/range#setvaluesvalues
  // ("The size of the two-dimensional array must match the size of the range.")
  setValues(values: unknown[][]): SimRange {
    return this.write('setValues', (sheet) => {
      if (!Array.isArray(values)) {
        throw sheetsException(SHEETS_MESSAGES.badParameters(typeName(values), 'Range.setValues'));
      }
      if (values.length !== this.rect.numRows) {
        throw sheetsException(SHEETS_MESSAGES.rowsMismatch(values.length, this.rect.numRows));
      }
      for (const line of values) {
        const width = Array.isArray(line) ? line.length : 0;
        if (width !== this.rect.numCols) {
          throw sheetsException(SHEETS_MESSAGES.columnsMismatch(width, this.rect.numCols));
        }
      }
      writeCells(sheet, this.rect, (r, c, old) => userEntered(values[r]![c], old?.numberFormat));
    });
  }

  /** Sets every cell of the range to `value`. */
  setValue(value: unknown): SimRange {
    return this.write('setValue', (sheet) =>
      writeCells(sheet, this.rect, (_r, _c, old) => userEntered(value, old?.numberFormat)),
    );
  }

  getFormulas(): string[][] {
    return this.read('getFormulas', (sheet) =>
      readCells(sheet, this.rect, (cell) => cell?.formula ?? ''),
    );
  }

  getFormula(): string {
    return this.read(
      'getFormula',
      (sheet) => getCell(sheet, this.rect.row, this.rect.col)?.formula ?? '',
    );
  }

  /** A formula is always a formula here, whatever the number format. */
  setFormula(formula: string): SimRange {
    return this.write('setFormula', (sheet) =>
      writeCells(sheet, this.rect, (_r, _c, old) =>
        userEntered(formula, formula.startsWith('=') ? undefined : old?.numberFormat),
      ),
    );
  }

  setFormulas(formulas: string[][]): SimRange {
    return this.write('setFormulas', (sheet) => {
      if (formulas.length !== this.rect.numRows) {
        throw sheetsException(SHEETS_MESSAGES.rowsMismatch(formulas.length, this.rect.numRows));
      }
      for (const line of formulas) {
        if (line.length !== this.rect.numCols) {
          throw sheetsException(SHEETS_MESSAGES.columnsMismatch(line.length, this.rect.numCols));
        }
      }
      writeCells(sheet, this.rect, (r, c, old) => {
        const f = formulas[r]![c]!;
        return userEntered(f, f.startsWith('=') ? undefined : old?.numberFormat);
      });
    });
  }

  clearContent(): SimRange {
    return this.write('clearContent', (sheet) =>
      writeCells(sheet, this.rect, () => ({ value: '' })),
    );
  }

  /** Clears values and formatting. */
  clear(): SimRange {
    return this.write('clear', (sheet) => {
      for (let r = 0; r < this.rect.numRows; r += 1) {
        for (let c = 0; c < this.rect.numCols; c += 1)
          setCell(sheet, this.rect.row + r, this.rect.col + c, undefined);
      }
    });
  }

  isBlank(): boolean {
    return this.read('isBlank', (sheet) =>
      readCells(
        sheet,
        this.rect,
        (cell) => cell?.formula === undefined && (cell?.value ?? '') === '',
      ).every((l) => l.every(Boolean)),
    );
  }

  // ---- formats ----

  private format(method: string, patch: (r: number, c: number) => Partial<Cell>): this {
    return this.write(method, (sheet) => {
      for (let r = 0; r < this.rect.numRows; r += 1) {
        for (let c = 0; c < this.rect.numCols; c += 1)
          patchCell(sheet, this.rect.row + r, this.rect.col + c, patch(r, c));
      }
    });
  }

  /** '@' makes later writes plain text (no formulas, no number parsing). */
  setNumberFormat(numberFormat: string): SimRange {
    return this.format('setNumberFormat', () => ({ numberFormat }));
  }

  setNumberFormats(numberFormats: string[][]): SimRange {
    return this.format('setNumberFormats', (r, c) => ({
      numberFormat: numberFormats[r]?.[c] ?? DEFAULT_NUMBER_FORMAT,
    }));
  }

  getNumberFormat(): string {
    return this.read(
      'getNumberFormat',
      (sheet) =>
        getCell(sheet, this.rect.row, this.rect.col)?.numberFormat ?? DEFAULT_NUMBER_FORMAT,
    );
  }

  getNumberFormats(): string[][] {
    return this.read('getNumberFormats', (sheet) =>
      readCells(sheet, this.rect, (cell) => cell?.numberFormat ?? DEFAULT_NUMBER_FORMAT),
    );
  }

  setFontWeight(fontWeight: 'normal' | 'bold' | null): SimRange {
    return this.format('setFontWeight', () => ({ fontWeight: fontWeight ?? 'normal' }));
  }

  /** One call for a whole block: each cell gets its own weight (null: normal). */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/range#setFontWeights(Object)
  setFontWeights(fontWeights: (string | null)[][]): SimRange {
    if (
      fontWeights.length !== this.rect.numRows ||
      fontWeights.some((line) => line.length !== this.rect.numCols)
    ) {
      throw sheetsException(SHEETS_MESSAGES.rowsMismatch(fontWeights.length, this.rect.numRows));
    }
    return this.format('setFontWeights', (r, c) => ({
      fontWeight: fontWeights[r]![c] === 'bold' ? 'bold' : 'normal',
    }));
  }

  getFontWeight(): GoogleAppsScript.Spreadsheet.FontWeight {
    return this.read(
      'getFontWeight',
      (sheet) => getCell(sheet, this.rect.row, this.rect.col)?.fontWeight ?? 'normal',
    );
  }

  getFontWeights(): GoogleAppsScript.Spreadsheet.FontWeight[][] {
    return this.read('getFontWeights', (sheet) =>
      readCells(sheet, this.rect, (cell) => cell?.fontWeight ?? 'normal'),
    );
  }

  setFontColor(color: string | null): SimRange {
    return this.format('setFontColor', () => ({ fontColor: color ?? '#000000' }));
  }

  setBackground(color: string | null): SimRange {
    return this.format('setBackground', () => ({ background: color ?? DEFAULT_BACKGROUND }));
  }

  getBackground(): string {
    return this.read(
      'getBackground',
      (sheet) => getCell(sheet, this.rect.row, this.rect.col)?.background ?? DEFAULT_BACKGROUND,
    );
  }

  getBackgrounds(): string[][] {
    return this.read('getBackgrounds', (sheet) =>
      readCells(sheet, this.rect, (cell) => cell?.background ?? DEFAULT_BACKGROUND),
    );
  }

  // ---- data validation ----

  /**
   * "Sets one data validation rule for all cells in the range"; null removes it. Takes a
   * simulated rule, so it is outside the checked subset above.
   */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/range#setDataValidation(DataValidation)
  setDataValidation(rule: SimDataValidation | null): SimRange {
    return this.format('setDataValidation', () => ({
      validation: rule ? copyValidation(rule.spec) : undefined,
    }));
  }

  /** The rule of the top-left cell, or null. */
  getDataValidation(): SimDataValidation | null {
    return this.read('getDataValidation', (sheet) => {
      const spec = getCell(sheet, this.rect.row, this.rect.col)?.validation;
      return spec ? new SimDataValidation(copyValidation(spec)) : null;
    });
  }

  getDataValidations(): (SimDataValidation | null)[][] {
    return this.read('getDataValidations', (sheet) =>
      readCells(sheet, this.rect, (cell) =>
        cell?.validation ? new SimDataValidation(copyValidation(cell.validation)) : null,
      ),
    );
  }

  clearDataValidations(): SimRange {
    return this.format('clearDataValidations', () => ({ validation: undefined }));
  }

  // ---- protection, filter ----

  /**
   * A new protection lists the owner, the current user and the spreadsheet's editors, and
   * mirrors the spreadsheet's permissions until its editor list is changed.
   */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/range#protect
  protect(): SimProtection {
    return this.ctx.call('sheets.Range.protect', this.doc, 'write', () => {
      const sheet = this.sheet();
      const user = this.ctx.user();
      this.doc.nextProtectionId += 1;
      const id = this.doc.nextProtectionId;
      this.doc.protections.push({
        id,
        sheetId: sheet.sheetId,
        kind: 'RANGE',
        rect: { ...this.rect },
        description: '',
        editors: newProtectionEditors(this.doc, user),
        domainEdit: false,
        warningOnly: false,
        mirrorsSpreadsheet: true,
        unprotected: [],
      });
      return new SimProtection(this.ctx, this.doc, id);
    });
  }

  // doc: https://developers.google.com/apps-script/reference/spreadsheet/range#createfilter
  createFilter(): SimFilter {
    return this.write('createFilter', (sheet) => {
      if (sheet.filter) throw sheetsException(SHEETS_MESSAGES.filterExists);
      sheet.filter = { ...this.rect };
    }).getFilterUncounted();
  }

  getFilter(): SimFilter | null {
    return this.read('getFilter', (sheet) =>
      sheet.filter ? new SimFilter(this.ctx, this.doc, this.sheetId) : null,
    );
  }

  private getFilterUncounted(): SimFilter {
    return new SimFilter(this.ctx, this.doc, this.sheetId);
  }

  /** "Returns whether the user has permission to edit every cell in the range." */
  canEdit(): boolean {
    return this.read('canEdit', (sheet) => {
      const user = this.ctx.user();
      if (!this.ctx.canEdit(this.doc, user)) return false;
      return protectionsOver(this.doc, sheet, this.rect).every(
        (p) => p.warningOnly || protectionAllows(this.ctx, this.doc, p, user),
      );
    });
  }
}
