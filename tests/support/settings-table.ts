// Where the README keeps its generated settings table: between two markers.

import { resolve } from 'node:path';

/** Scripts and jest both run from the repository's root. */
export const README = resolve(process.cwd(), 'README.md');
export const START = '<!-- settings-table: generated from src/core/settings.ts -->';
export const END = '<!-- /settings-table -->';

/** The table now in the README, or null when the markers are missing. */
export function settingsTableIn(readme: string): string | null {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  return from < 0 || to < from ? null : readme.slice(from + START.length, to).trim();
}

export function replaceSettingsTable(readme: string, table: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README has no ${START} ... ${END} markers`);
  return `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`;
}
