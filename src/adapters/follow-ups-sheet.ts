// The log spreadsheet's Follow-ups sheet (R23): one row per pupil removed for behaviour. The
// automation writes the rows; SLT clear a mark by setting Status to "cleared" and their school
// email in Cleared By, read by the hourly housekeeping. Made on first use when setup has not
// made it (a log created before this sheet existed); written as one block.

import { FOLLOW_UP_COLUMNS, type FollowUpSheetRow } from '../core/follow-ups';
import type { FollowUpSheet } from '../core/ports';
import { guarded } from './google-failure';
import { trimColumns } from './log-book';

export const FOLLOW_UP_SHEET = 'Follow-ups';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export class SheetFollowUps implements FollowUpSheet {
  private sheetCache: Sheet | undefined;

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
  ) {}

  read(): FollowUpSheetRow[] {
    const sheet = this.sheet();
    const last = guarded('sheets', () => sheet.getLastRow());
    if (last < 2) return [];
    const values = guarded('sheets', () =>
      sheet.getRange(2, 1, last - 1, FOLLOW_UP_COLUMNS.length).getValues(),
    );
    return values.map(
      (row) => Object.fromEntries(FOLLOW_UP_COLUMNS.map((c, i) => [c, row[i]])) as FollowUpSheetRow,
    );
  }

  /** Changed rows in place (follow-ups are few), new ones appended in one block. */
  write(rows: ReadonlyMap<string, readonly (string | number)[]>): void {
    if (rows.size === 0) return;
    const sheet = this.sheet();
    const last = guarded('sheets', () => sheet.getLastRow());
    const ids =
      last < 2
        ? []
        : guarded('sheets', () => sheet.getRange(2, 1, last - 1, 1).getValues()).map((r) =>
            String(r[0] ?? '').trim(),
          );
    const added: (string | number)[][] = [];
    for (const [id, row] of rows) {
      const at = ids.indexOf(id);
      if (at < 0) added.push([...row]);
      else
        guarded('sheets', () =>
          sheet.getRange(2 + at, 1, 1, FOLLOW_UP_COLUMNS.length).setValues([[...row]]),
        );
    }
    if (added.length > 0)
      guarded('sheets', () =>
        sheet
          .getRange(Math.max(last, 1) + 1, 1, added.length, FOLLOW_UP_COLUMNS.length)
          .setValues(added),
      );
  }

  private sheet(): Sheet {
    if (this.sheetCache) return this.sheetCache;
    const book = guarded('sheets', () => this.spreadsheetApp.openById(this.spreadsheetId));
    let sheet = guarded('sheets', () => book.getSheetByName(FOLLOW_UP_SHEET));
    if (!sheet) {
      const made = guarded('sheets', () => book.insertSheet(FOLLOW_UP_SHEET));
      guarded('sheets', () => {
        made.getRange(1, 1, 1, FOLLOW_UP_COLUMNS.length).setValues([[...FOLLOW_UP_COLUMNS]]);
        made.setFrozenRows(1);
        trimColumns(made, FOLLOW_UP_COLUMNS.length);
      });
      sheet = made;
    }
    this.sheetCache = sheet;
    return sheet;
  }
}
