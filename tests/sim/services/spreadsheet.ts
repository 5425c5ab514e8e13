// The simulated Spreadsheet service: the `SpreadsheetApp` global (create, openById...)
// and a world API for tests (tables, formula cells, protections, outages).
//
// Sharing: DriveWorld has no sharing port, so editors/viewers added through
// SpreadsheetApp are kept here and combined with Drive's answer: a user can read/edit when
// Drive says so OR the spreadsheet's own list says so. The owner is the creating user.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app

import type { SimKernel } from '../kernel/kernel';
import type { DriveWorld } from '../kernel/world-ports';
import { parseA1, rectToA1, splitSheetPrefix } from './spreadsheet-a1';
import {
  CHART_TYPES,
  copyChart,
  copyRule,
  SimConditionalFormatRuleBuilder,
} from './spreadsheet-builders';
import { SheetsContext, type Subset } from './spreadsheet-context';
import { SimSpreadsheet, SPREADSHEET_MIME_TYPE, spreadsheetUrl } from './spreadsheet-doc';
import { MAX_CELLS, SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import {
  cellCount,
  DEFAULT_COLUMNS,
  DEFAULT_ROWS,
  type DocState,
  lastColumn,
  lastRow,
  newSheet,
  protectionsOver,
  readValues,
} from './spreadsheet-model';
import { assertUnprotected, describeProtection } from './spreadsheet-protection';
import { writeCells } from './spreadsheet-range';
import {
  acceptsInput,
  DATA_VALIDATION_CRITERIA,
  SimDataValidationBuilder,
} from './spreadsheet-validation';
import { type Cell, type CellValue, copyCell, userEntered } from './spreadsheet-values';

type App = GoogleAppsScript.Spreadsheet.SpreadsheetApp;

/** Enum values print as their names in Apps Script. */
function enumOf<K extends keyof App>(_key: K, names: readonly string[]): App[K] {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, n]))) as unknown as App[K];
}

const PROTECTION_TYPE = enumOf('ProtectionType', ['RANGE', 'SHEET']);
const BOOLEAN_CRITERIA = enumOf('BooleanCriteria', [
  'CELL_EMPTY',
  'CELL_NOT_EMPTY',
  'DATE_AFTER',
  'DATE_BEFORE',
  'DATE_EQUAL_TO',
  'NUMBER_BETWEEN',
  'NUMBER_EQUAL_TO',
  'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO',
  'NUMBER_LESS_THAN',
  'NUMBER_LESS_THAN_OR_EQUAL_TO',
  'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO',
  'TEXT_CONTAINS',
  'TEXT_DOES_NOT_CONTAIN',
  'TEXT_EQUAL_TO',
  'TEXT_STARTS_WITH',
  'TEXT_ENDS_WITH',
  'CUSTOM_FORMULA',
]);

const URL_ID = /\/spreadsheets\/d\/([a-zA-Z0-9_-]+)/;

class SimSpreadsheetApp
  implements
    Subset<
      App,
      | 'create'
      | 'openById'
      | 'openByUrl'
      | 'flush'
      | 'newConditionalFormatRule'
      | 'getActiveSpreadsheet'
      | 'ProtectionType'
      | 'BooleanCriteria'
      | 'DataValidationCriteria'
    >
{
  readonly ProtectionType = PROTECTION_TYPE;
  readonly BooleanCriteria = BOOLEAN_CRITERIA;
  readonly DataValidationCriteria = DATA_VALIDATION_CRITERIA;

  constructor(private readonly ctx: SheetsContext) {}

  /** A new spreadsheet in the effective user's My Drive, with one sheet "Sheet1". */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#createname,-rows,-columns
  create(
    name: string,
    rows: number = DEFAULT_ROWS,
    columns: number = DEFAULT_COLUMNS,
  ): SimSpreadsheet {
    return this.ctx.call('sheets.SpreadsheetApp.create', undefined, 'none', () => {
      if (rows * columns > MAX_CELLS) throw sheetsException(SHEETS_MESSAGES.cellLimit);
      const owner = this.ctx.user();
      const { id } = this.ctx.drive.createFile({ name, mimeType: SPREADSHEET_MIME_TYPE, owner });
      let seed = 7;
      for (const ch of id) seed = (seed * 31 + ch.charCodeAt(0)) % 2_147_483_647;
      const doc: DocState = {
        id,
        name,
        owner,
        sheets: [newSheet(0, 'Sheet1', rows, columns)],
        editors: [],
        viewers: [],
        protections: [],
        nextSheetId: seed || 1,
        nextProtectionId: 0,
        nextChartId: 0,
      };
      this.ctx.docs.set(id, doc);
      return new SimSpreadsheet(this.ctx, doc);
    });
  }

  openById(id: string): SimSpreadsheet {
    return this.open('sheets.SpreadsheetApp.openById', id, SHEETS_MESSAGES.openByIdUnknown);
  }

  openByUrl(url: string): SimSpreadsheet {
    const id = URL_ID.exec(url)?.[1] ?? '';
    return this.open('sheets.SpreadsheetApp.openByUrl', id, SHEETS_MESSAGES.openByUrlUnknown);
  }

  private open(key: string, id: string, unknownMessage: string): SimSpreadsheet {
    return this.ctx.call(
      key,
      undefined,
      'none',
      () => {
        const doc = this.ctx.docs.get(id);
        if (!doc || !this.ctx.drive.exists(id)) throw sheetsException(unknownMessage);
        if (!this.ctx.canRead(doc, this.ctx.user()))
          throw sheetsException(SHEETS_MESSAGES.noAccess);
        return new SimSpreadsheet(this.ctx, doc);
      },
      id,
    );
  }

  /** Writes are applied at once in the simulation; flush is still a (counted) call. */
  flush(): void {
    this.ctx.call('sheets.SpreadsheetApp.flush', undefined, 'none', () => undefined);
  }

  newConditionalFormatRule(): SimConditionalFormatRuleBuilder {
    return new SimConditionalFormatRuleBuilder(this.ctx);
  }

  /** A local builder; only Range.setDataValidation talks to Sheets. */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#newDataValidation()
  newDataValidation(): SimDataValidationBuilder {
    return new SimDataValidationBuilder();
  }

  /** A Workspace add-on is not bound to a spreadsheet: "null if there is none". */
  getActiveSpreadsheet(): null {
    return null;
  }
}

export class SimSpreadsheets {
  private readonly ctx: SheetsContext;
  private readonly app: SimSpreadsheetApp;

  constructor(kernel: SimKernel, drive: DriveWorld) {
    this.ctx = new SheetsContext(kernel, drive);
    this.app = new SimSpreadsheetApp(this.ctx);
  }

  /** The `SpreadsheetApp` global. */
  global(): SimSpreadsheetApp {
    return this.app;
  }

  /** The part of the `Charts` global the product uses with sheets (Charts.ChartType). */
  chartsGlobal(): Pick<GoogleAppsScript.Charts.Charts, 'ChartType'> {
    return { ChartType: CHART_TYPES };
  }

  // ---- world API (not counted, no execution needed) ----

  private doc(id: string): DocState {
    const doc = this.ctx.docs.get(id);
    if (!doc) throw new Error(`No simulated spreadsheet ${id}`);
    return doc;
  }

  private sheet(id: string, sheetName: string) {
    const sheet = this.doc(id).sheets.find((s) => s.name === sheetName);
    if (!sheet) throw new Error(`Spreadsheet ${id} has no sheet ${sheetName}`);
    return sheet;
  }

  spreadsheets(): { id: string; name: string; owner: string; url: string; sheets: string[] }[] {
    return [...this.ctx.docs.values()].map((d) => ({
      id: d.id,
      name: d.name,
      owner: d.owner,
      url: spreadsheetUrl(d.id),
      sheets: d.sheets.map((s) => s.name),
    }));
  }

  sheetNames(spreadsheetId: string): string[] {
    return this.doc(spreadsheetId).sheets.map((s) => s.name);
  }

  /** The sheet's data range values (what getDataRange().getValues() returns); [] when empty. */
  table(spreadsheetId: string, sheetName: string): CellValue[][] {
    const sheet = this.sheet(spreadsheetId, sheetName);
    const rows = lastRow(sheet);
    const cols = lastColumn(sheet);
    if (rows === 0) return [];
    return readValues(sheet, { row: 1, col: 1, numRows: rows, numCols: cols });
  }

  /** One cell in full (value, formula, formats), e.g. cell(id, 'Sessions', 'B2'). */
  cell(spreadsheetId: string, sheetName: string, a1: string): Cell | undefined {
    const sheet = this.sheet(spreadsheetId, sheetName);
    const rect = parseA1(a1, sheet.maxRows, sheet.maxCols);
    const cell = sheet.rows[rect.row - 1]?.[rect.col - 1];
    return cell ? copyCell(cell) : undefined;
  }

  /** Every cell holding a formula: the check that user data never became one. */
  formulaCells(spreadsheetId: string): { sheet: string; a1: string; formula: string }[] {
    const out: { sheet: string; a1: string; formula: string }[] = [];
    for (const sheet of this.doc(spreadsheetId).sheets) {
      sheet.rows.forEach((line, r) => {
        (line ?? []).forEach((cell, c) => {
          if (cell?.formula !== undefined) {
            out.push({
              sheet: sheet.name,
              a1: rectToA1({ row: r + 1, col: c + 1, numRows: 1, numCols: 1 }),
              formula: cell.formula,
            });
          }
        });
      });
    }
    return out;
  }

  protections(spreadsheetId: string): ReturnType<typeof describeProtection>[] {
    const doc = this.doc(spreadsheetId);
    return doc.protections.map((p) => describeProtection(doc, p));
  }

  conditionalFormats(spreadsheetId: string, sheetName: string) {
    return this.sheet(spreadsheetId, sheetName).rules.map((rule) => {
      const spec = copyRule(rule);
      return { ...spec, ranges: spec.ranges.map((r) => rectToA1(r.rect)) };
    });
  }

  charts(spreadsheetId: string, sheetName: string) {
    return this.sheet(spreadsheetId, sheetName).charts.map((chart) => {
      const spec = copyChart(chart);
      return { ...spec, ranges: spec.ranges.map((r) => rectToA1(r.rect)) };
    });
  }

  /** A sheet's grid (every cell of it counts against the 10 million, filled or not). */
  grid(spreadsheetId: string, sheetName: string): { rows: number; columns: number } {
    const sheet = this.sheet(spreadsheetId, sheetName);
    return { rows: sheet.maxRows, columns: sheet.maxCols };
  }

  /**
   * Grows a sheet's grid by empty rows (as months of a school's rows would: tests of a log near
   * Google's 10 million cells, without holding millions of values) and columns (a sheet as an
   * earlier version left it).
   */
  growGrid(spreadsheetId: string, sheetName: string, rows: number, columns = 0): void {
    const sheet = this.sheet(spreadsheetId, sheetName);
    sheet.maxRows += rows;
    sheet.maxCols += columns;
  }

  /** The spreadsheet's cells as Google counts them against its 10 million limit. */
  cellCount(spreadsheetId: string): number {
    return cellCount(this.doc(spreadsheetId));
  }

  frozenRows(spreadsheetId: string, sheetName: string): number {
    return this.sheet(spreadsheetId, sheetName).frozenRows;
  }

  filter(spreadsheetId: string, sheetName: string): string | null {
    const rect = this.sheet(spreadsheetId, sheetName).filter;
    return rect ? rectToA1(rect) : null;
  }

  columnWidth(spreadsheetId: string, sheetName: string, column: number): number | undefined {
    return this.sheet(spreadsheetId, sheetName).columnWidths.get(column);
  }

  sharing(spreadsheetId: string): { owner: string; editors: string[]; viewers: string[] } {
    const doc = this.doc(spreadsheetId);
    return { owner: doc.owner, editors: [...doc.editors], viewers: [...doc.viewers] };
  }

  /** Every write (setValues, appendRow, formats...) fails as a Sheets back-end error for `ms`. */
  failWritesFor(ms: number): void {
    this.ctx.writesFailUntil = this.ctx.kernel.now() + ms;
  }

  /**
   * A person typing into the sheet in the Sheets UI (not a script): needs edit access and
   * is stopped by protections like a script. 'Sessions!B2:C3' with a matching 2-D array.
   */
  editAsUser(user: string, spreadsheetId: string, a1: string, values: unknown[][]): void {
    const doc = this.doc(spreadsheetId);
    const email = user.toLowerCase();
    const { sheetName, range } = splitSheetPrefix(a1);
    const sheet = sheetName === undefined ? doc.sheets[0]! : this.sheet(spreadsheetId, sheetName);
    const rect = parseA1(range, sheet.maxRows, sheet.maxCols);
    if (!this.ctx.canEdit(doc, email)) throw sheetsException(SHEETS_MESSAGES.noAccess);
    assertUnprotected(this.ctx, doc, protectionsOver(doc, sheet, rect), email);
    if (values.length !== rect.numRows || values.some((l) => l.length !== rect.numCols)) {
      throw new Error(`editAsUser: values do not fit ${a1}`);
    }
    // A rule that rejects invalid input stops a person typing anything not on its list.
    // doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder#setAllowInvalid(Boolean)
    // assumption: the wording of the UI's refusal.
    values.forEach((line, r) => {
      line.forEach((value, c) => {
        const rule = sheet.rows[rect.row + r - 1]?.[rect.col + c - 1]?.validation;
        if (!acceptsInput(rule, value))
          throw new Error(
            `There was a problem: input must be an item on the specified list (${rule!.values.join(', ')}).`,
          );
      });
    });
    writeCells(sheet, rect, (r, c, old) => userEntered(values[r]![c], old?.numberFormat));
  }

  /**
   * A person narrowing a sheet in the Sheets UI with a temporary filter view: rows (with the
   * header first) whose `column` reads `value`. Filters "don't change the data values", and a
   * person without edit access can still make a temporary filter view only they see, so this
   * needs read access only and writes nothing.
   * doc: https://developers.google.com/workspace/sheets/api/guides/filters
   */
  filterViewAsUser(
    user: string,
    spreadsheetId: string,
    sheetName: string,
    column: string,
    value: string,
  ): CellValue[][] {
    const doc = this.doc(spreadsheetId);
    if (!this.ctx.canRead(doc, user.toLowerCase())) throw sheetsException(SHEETS_MESSAGES.noAccess);
    const [header, ...rows] = this.table(spreadsheetId, sheetName);
    if (!header) return [];
    const at = header.indexOf(column);
    if (at < 0) throw new Error(`filterViewAsUser: no column ${column} in ${sheetName}`);
    return [header, ...rows.filter((row) => String(row[at]) === value)];
  }

  /** The data validation rule of one cell, as plain data (null when none). */
  validation(spreadsheetId: string, sheetName: string, a1: string) {
    const cell = this.cell(spreadsheetId, sheetName, a1);
    return cell?.validation ?? null;
  }
}
