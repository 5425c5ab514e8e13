// The log's Mail sheet (issue 9): one row for every notice that left or was refused, and for
// what happened to mail itself, written only by the automation (R20). A row already there
// (an earlier write whose answer was lost) is not written again.

import { MAIL_COLUMNS, MAIL_SHEET, type MailRecord, mailRow } from '../core/mail-ledger';
import { guarded } from './google-failure';
import { trimColumns } from './log-book';

/** Rows looked at for ids already written: more than one run ever appends. */
const RECENT_ROWS = 500;
const ID_COLUMN = MAIL_COLUMNS.indexOf('Notice ID') + 1;

export interface MailLedgerSheet {
  /** Appends rows for records not yet in the sheet; returns the ids now in it. Throws a ServiceFailure. */
  append(records: readonly MailRecord[]): string[];
}

export class SheetMailLedger implements MailLedgerSheet {
  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    private readonly timeZone: string,
  ) {}

  append(records: readonly MailRecord[]): string[] {
    if (records.length === 0) return [];
    const sheet = guarded('sheets', () => this.sheet());
    const last = guarded('sheets', () => sheet.getLastRow());
    const from = Math.max(2, last - RECENT_ROWS + 1);
    const present = new Set(
      last >= from
        ? guarded('sheets', () =>
            sheet.getRange(from, ID_COLUMN, last - from + 1, 1).getValues(),
          ).map((r) => String(r[0]))
        : [],
    );
    const fresh = [...records]
      .filter((r) => !present.has(r.id))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    if (fresh.length > 0) {
      const rows = fresh.map((r) => mailRow(r, this.timeZone));
      guarded('sheets', () => {
        const max = sheet.getMaxRows();
        const end = Math.max(last, 1) + rows.length;
        // Grow in steps of 500, like the other log sheets, not a row at a time.
        if (end > max) sheet.insertRowsAfter(max, Math.max(500, end - max));
        sheet.getRange(Math.max(last, 1) + 1, 1, rows.length, MAIL_COLUMNS.length).setValues(rows);
      });
    }
    return records.map((r) => r.id);
  }

  /** The Mail sheet; made here if setup has not yet been run since this version. */
  private sheet(): GoogleAppsScript.Spreadsheet.Sheet {
    const book = this.spreadsheetApp.openById(this.spreadsheetId);
    const existing = book.getSheetByName(MAIL_SHEET);
    if (existing) return existing;
    const sheet = book.insertSheet(MAIL_SHEET);
    sheet.getRange(1, 1, 1, MAIL_COLUMNS.length).setValues([[...MAIL_COLUMNS]]);
    sheet.setFrozenRows(1);
    trimColumns(sheet, MAIL_COLUMNS.length);
    return sheet;
  }
}
