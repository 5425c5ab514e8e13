// What a cell holds and how a written value becomes one. Range.setValue/setValues and
// Sheet.appendRow parse strings the way the Sheets UI parses typing ("user entered"):
// '=...' becomes a formula, "'..." stays literal text (the apostrophe is not stored),
// and number/boolean/date-looking strings become numbers/booleans/dates, unless the
// cell's number format is plain text '@'.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/range#setvaluevalue
//      ("If it begins with '=' it is interpreted as a formula.")
// doc: https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption
//      (USER_ENTERED: parsed as if typed into the UI; strings may become numbers, dates...)

import { MAX_CELL_CHARS, SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import { copyValidation, type ValidationSpec } from './spreadsheet-validation';

export type CellValue = string | number | boolean | Date;

export interface Cell {
  /** The typed value; for a formula cell, what the simulation shows as its result. */
  value: CellValue;
  /** Set for formula cells, with the leading '='. */
  formula?: string;
  numberFormat?: string;
  background?: string;
  fontWeight?: 'normal' | 'bold';
  fontColor?: string;
  /** A data validation rule (a dropdown of allowed values); kept when the value changes. */
  validation?: ValidationSpec;
}

export const PLAIN_TEXT_FORMAT = '@';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PERCENT = /^[+-]?(\d+\.?\d*|\.\d+)%$/;
const BOOLEAN = /^(true|false)$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Turns what the script wrote into what the cell stores. Parsed here: plain numbers
 * ('00123' → 123, '1e3', '-4.5'), percentages ('12%' → 0.12), TRUE/FALSE (any case), and ISO
 * dates 'YYYY-MM-DD' / 'YYYY-MM-DD HH:MM[:SS]'. Locale formats ('1/5/2024', '1,234',
 * '$5') are not parsed (we chose to stop there; the UI would). Dates are read as UTC: the
 * simulated spreadsheets are in time zone Etc/UTC.
 */
export function userEntered(input: unknown, numberFormat: string | undefined): Cell {
  const cell = writeValue(input, numberFormat);
  if (typeof cell.value === 'string' && cell.value.length > MAX_CELL_CHARS) {
    throw sheetsException(SHEETS_MESSAGES.cellTooLong);
  }
  if (cell.formula && cell.formula.length > MAX_CELL_CHARS) {
    throw sheetsException(SHEETS_MESSAGES.cellTooLong);
  }
  return cell;
}

function writeValue(input: unknown, numberFormat: string | undefined): Cell {
  if (input === null || input === undefined) return { value: '' };
  if (input instanceof Date) return { value: new Date(input.getTime()) };
  if (typeof input === 'number' || typeof input === 'boolean') return { value: input };
  const text = String(input);
  // A leading apostrophe forces text and is not part of the value.
  if (text.startsWith("'")) return { value: text.slice(1) };
  // Plain-text cells keep what was typed, formulas included (as in the UI; we chose this).
  if (numberFormat === PLAIN_TEXT_FORMAT) return { value: text };
  if (text.startsWith('=') && text.length > 1) {
    return { value: formulaResult(text), formula: text };
  }
  return { value: parseTyped(text) };
}

function parseTyped(text: string): CellValue {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  if (PERCENT.test(t)) return Number(t.slice(0, -1)) / 100;
  if (BOOLEAN.test(t)) return t.toLowerCase() === 'true';
  const d = ISO_DATE.exec(t);
  if (d) {
    const [, y, mo, da, h, mi, s] = d;
    const ms = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(da),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
    );
    const date = new Date(ms);
    // Only real calendar dates parse ('2024-02-30' stays text).
    if (date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(da)) return date;
  }
  return text;
}

const HYPERLINK = /^=HYPERLINK\(\s*"((?:[^"]|"")*)"\s*(?:,\s*"((?:[^"]|"")*)"\s*)?\)$/i;

/**
 * The simulation does not evaluate formulas. The one exception is HYPERLINK with literal
 * arguments (the product links to recordings), which shows its label, or its URL when there
 * is no label. Every other formula reads back as '#NAME?' from getValues (our choice: an
 * error value, so nothing mistakes it for data).
 */
export function formulaResult(formula: string): CellValue {
  const m = HYPERLINK.exec(formula.trim());
  if (m) return (m[2] ?? m[1] ?? '').replace(/""/g, '"');
  return '#NAME?';
}

export function hasContent(cell: Cell | undefined): boolean {
  return !!cell && (cell.formula !== undefined || cell.value !== '');
}

/** A copy safe to hand out (Dates are mutable). */
export function copyValue(value: CellValue): CellValue {
  return value instanceof Date ? new Date(value.getTime()) : value;
}

export function copyCell(cell: Cell): Cell {
  const copy: Cell = { ...cell, value: copyValue(cell.value) };
  if (cell.validation) copy.validation = copyValidation(cell.validation);
  return copy;
}
