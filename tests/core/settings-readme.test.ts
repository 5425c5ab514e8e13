// The README's settings table is the settings table in src/core/settings.ts, so SLT and
// installers read every key, its default and what it allows, as the product has them.

import { readFileSync } from 'node:fs';
import { SETTING_KEYS, settingsTableMarkdown } from '../../src/core/settings';
import { README, settingsTableIn } from '../support/settings-table';

const readme = readFileSync(README, 'utf8');

describe('the README settings table', () => {
  it('lists every setting key, once', () => {
    const table = settingsTableIn(readme) ?? '';
    const listed = [...table.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(SETTING_KEYS);
  });

  it('is what src/core/settings.ts generates (node tests/support/run-ts.mjs tests/support/write-settings-table.ts)', () => {
    expect(settingsTableIn(readme)).toBe(settingsTableMarkdown());
  });
});
