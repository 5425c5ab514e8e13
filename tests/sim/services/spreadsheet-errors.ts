// The exact messages SpreadsheetApp throws, in one place, so tests and the product's
// error handling can match Google's wording. Each is an Apps Script `Exception`.
//
// Sources: Apps Script executions as reported in public issue threads and in code that
// matches on these strings (e.g. github.com/alpatania/sassafras/issues/8 for the dimension
// message, github.com/theoephraim/node-google-spreadsheet/pull/20 for the protected-cell
// message); the 10M-cell limit: https://support.google.com/drive/answer/37603.

import { appsScriptException } from '../kernel/google-error';

export const SHEETS_MESSAGES = {
  rowsMismatch: (data: number, range: number) =>
    `The number of rows in the data does not match the number of rows in the range. The data has ${data} but the range has ${range}.`,
  columnsMismatch: (data: number, range: number) =>
    `The number of columns in the data does not match the number of columns in the range. The data has ${data} but the range has ${range}.`,
  protectedCell:
    'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
  noAccess: 'You do not have permission to access the requested document.',
  openByIdUnknown:
    'Unexpected error while getting the method or property openById on object SpreadsheetApp.',
  openByUrlUnknown:
    'Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.',
  sheetExists: (name: string) =>
    `A sheet with the name "${name}" already exists. Please enter another name.`,
  cellLimit:
    'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
  cellTooLong: 'Your input contains more than the maximum of 50000 characters in a single cell.',
  rangeNotFound: 'Range not found',
  outsideSheet: 'The coordinates of the range are outside the dimensions of the sheet.',
  startRowTooSmall: 'The starting row of the range is too small.',
  startColumnTooSmall: 'The starting column of the range is too small.',
  rowsAtLeastOne: 'The number of rows in the range must be at least 1.',
  columnsAtLeastOne: 'The number of columns in the range must be at least 1.',
  rowsOutOfBounds: 'Those rows are out of bounds.',
  deleteAllRows: 'Sorry, it is not possible to delete all non-frozen rows.',
  deleteAllColumns: 'Sorry, it is not possible to delete all non-frozen columns.',
  filterExists: "You can't create a filter in a sheet that already has a filter.",
  badParameters: (types: string, method: string) =>
    `The parameters (${types}) don't match the method signature for SpreadsheetApp.${method}.`,
  // Service failures (observed wording; Google documents no list). The 429 text is the
  // Apps Script short-term rate-limit message.
  serviceFailed: (id: string) =>
    `Service Spreadsheets failed while accessing document with id ${id}.`,
  serviceTimedOut: (id: string) =>
    `Service Spreadsheets timed out while accessing document with id ${id}.`,
  serviceError: 'Service error: Spreadsheets',
  tooManyCalls:
    'Service invoked too many times in a short time: spreadsheets. Try Utilities.sleep(1000) between calls.',
} as const;

/** Google Sheets holds at most 10 million cells per spreadsheet (all sheets together). */
// doc: https://support.google.com/drive/answer/37603
export const MAX_CELLS = 10_000_000;
/** A cell holds at most 50,000 characters (the limit the message above reports). */
export const MAX_CELL_CHARS = 50_000;

export function sheetsException(message: string): Error {
  return appsScriptException(message);
}
