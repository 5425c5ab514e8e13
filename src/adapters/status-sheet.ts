// R28: the log's Status sheet, rewritten whole by the automation (hourly, and whenever it
// tells the admin something): each job's last success, the store's size, the day's UrlFetch,
// run time and mail counts, whether delegation works, and the problems still open. Setup makes
// it and protects it like the other sheets the automation writes.

import { ServiceFailure } from '../core/errors';
import type { Deadline, StatusSheet } from '../core/ports';
import { safeCell } from '../core/sheet-safe';
import { STATUS_HEADERS } from '../core/status-rows';
import { guarded } from './google-failure';

export const STATUS_SHEET = 'Status';

export class SheetStatus implements StatusSheet {
  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    /** The run's budget: the sheet is not written once it is spent (a call may wait a minute). */
    private readonly deadline?: Deadline,
  ) {}

  write(rows: readonly (readonly string[])[]): void {
    if (this.deadline && this.deadline.now() >= this.deadline.budget.stopAt)
      throw new ServiceFailure('transient', 'sheets', 'Not started: the run is out of time');
    const width = STATUS_HEADERS.length;
    const values = [STATUS_HEADERS, ...rows].map((r) =>
      Array.from({ length: width }, (_, i) => safeCell(String(r[i] ?? ''), 500)),
    );
    guarded('sheets', () => {
      const book = this.spreadsheetApp.openById(this.spreadsheetId);
      // A log set up before this version gets the sheet here; setup protects it on its next run.
      const sheet = book.getSheetByName(STATUS_SHEET) ?? book.insertSheet(STATUS_SHEET);
      const last = sheet.getLastRow();
      sheet.getRange(1, 1, values.length, width).setValues(values);
      if (last > values.length)
        sheet.getRange(values.length + 1, 1, last - values.length, width).clearContent();
    });
  }
}
