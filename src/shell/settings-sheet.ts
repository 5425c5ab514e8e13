// The Settings sheet SLT edit: key in column A, value in B, in C the product's word on each
// row ("OK", or what is wrong in plain words), and in D the values allowed, so a problem is
// seen where it was made. Settings are applied all or nothing (parseSettings): one bad value
// keeps the last good set. A setting added by a newer version appears as a new row with its
// default, so SLT see every setting the product follows.

import { guarded } from '../adapters/google-failure';
import {
  DEFAULT_SETTINGS,
  formatSettings,
  parseSettings,
  SETTING_KEYS,
  SETTINGS,
  type SettingsResult,
} from '../core/settings';
import { safeCell } from '../core/sheet-safe';

export const SETTINGS_SHEET = 'Settings';
export const SETTINGS_HEADERS = ['Setting', 'Value', 'Status', 'Allowed values'];

/** Reads and checks the sheet, adds settings it lacks, and writes each row's status beside it. */
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
  // Blank means "the default", so adding a missing row with its default changes nothing.
  const defaults = formatSettings(DEFAULT_SETTINGS);
  const added = SETTING_KEYS.filter((key) => !keys.includes(key)).map((key) => [
    key,
    safeCell(defaults[key] ?? ''),
  ]);
  const besides = [...keys, ...added.map(([key]) => key!)].map((key) => {
    if (!key) return ['', ''];
    const mine = problems.filter((p) => p.key === key).map((p) => p.message);
    const status = mine.length > 0 ? mine.join(' ') : parsed.ok ? 'OK' : 'OK (not applied)';
    const spec = (SETTINGS as Record<string, { allowed: string } | undefined>)[key];
    return [safeCell(status), spec ? safeCell(spec.allowed) : ''];
  });
  const everyKey = [...keys, ...added.map(([key]) => key!)];
  const homeless = problems.filter((p) => !everyKey.includes(String(p.key))).map((p) => p.message);
  const header = safeCell(
    parsed.ok
      ? 'Status: settings applied'
      : `Status: NOT applied, the last good settings stay in force. ${homeless.join(' ')}`.trim(),
  );
  guarded('sheets', () => {
    const first = Math.max(last, 1) + 1;
    if (added.length > 0) sheet.getRange(first, 1, added.length, 2).setValues(added);
    sheet
      .getRange(1, 3, 1, 2)
      .setValues([[header, SETTINGS_HEADERS[3]!]])
      .setFontWeight('bold');
    if (besides.length > 0) sheet.getRange(2, 3, besides.length, 2).setValues(besides);
  });
  return parsed;
}
