// Rewrites the README's settings table from the settings table in src/core/settings.ts
// (tests/core/settings-readme.test.ts fails while the two differ):
//   node tests/support/run-ts.mjs tests/support/write-settings-table.ts

import { readFileSync, writeFileSync } from 'node:fs';
import { settingsTableMarkdown } from '../../src/core/settings';
import { README, replaceSettingsTable } from './settings-table';

writeFileSync(README, replaceSettingsTable(readFileSync(README, 'utf8'), settingsTableMarkdown()));
console.log(`README settings table written to ${README}`);
