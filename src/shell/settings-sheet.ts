// The Settings sheet SLT edit: key in column A, value in B, and in C the product's word on
// each row ("OK", or what is wrong in plain words), so a problem is seen where it was made.
// Settings are applied all or nothing (parseSettings): one bad value keeps the last good set.

import { guarded } from '../adapters/google-failure';
import { parseSettings, type SettingsResult } from '../core/settings';
import { safeCell } from '../core/sheet-safe';

export const SETTINGS_SHEET = 'Settings';
export const SETTINGS_HEADERS = ['Setting', 'Value', 'Status'];

/** Reads and checks the sheet, and writes each row's status beside it. */
export function checkSettingsSheet(sheet: GoogleAppsScript.Spreadsheet.Sheet): SettingsResult {
  const last = guarded('sheets', () => sheet.getLastRow());
  const rows =
    last >= 2 ? guarded('sheets', () => sheet.getRange(2, 1, last - 1, 2).getValues()) : [];
  const raw: Record<string, string> = {};
  for (const [key, value] of rows)
    if (String(key).trim()) raw[String(key).trim()] = String(value ?? '');
  const parsed = parseSettings(raw);
  const problems = parsed.ok ? [] : parsed.problems;
  const keys = rows.map(([key]) => String(key).trim());
  const statuses = keys.map((key) => {
    if (!key) return [''];
    const mine = problems.filter((p) => p.key === key).map((p) => p.message);
    return [safeCell(mine.length > 0 ? mine.join(' ') : parsed.ok ? 'OK' : 'OK (not applied)')];
  });
  const homeless = problems.filter((p) => !keys.includes(String(p.key))).map((p) => p.message);
  const header = safeCell(
    parsed.ok
      ? 'Status: settings applied'
      : `Status: NOT applied, the last good settings stay in force. ${homeless.join(' ')}`.trim(),
  );
  guarded('sheets', () => {
    sheet.getRange(1, 3).setValue(header).setFontWeight('bold');
    if (statuses.length > 0) sheet.getRange(2, 3, statuses.length, 1).setValues(statuses);
  });
  return parsed;
}
