// Where the school's setup is kept: script properties, written by setup (run by an
// administrator) and read by every execution. Nothing here is secret: delegation is
// keyless, so there is no key to store.

import { DEFAULT_SETTINGS, type SchoolSettings } from '../core/settings';
import type { DelegationConfig } from './credentials';

export interface SchoolConfig {
  /** The account the automation triggers run as (owns the log and runs setup). */
  automationAccount: string | null;
  logSpreadsheetId: string | null;
  /**
   * How many logs this school has had before this one (setup counts one more each time it makes
   * a new log where one was recorded): places in the log are kept with it (log-book.ts).
   */
  logGeneration: number;
  /** The safeguarding shared drive and its recordings folder (R16). */
  sharedDriveId: string | null;
  recordingsFolderId: string | null;
  /** Teachers' drop folders on that drive: a recording's first stop, moved as its owner. */
  incomingFolderId: string | null;
  /** Keyless domain-wide delegation, when the school configured it. */
  delegation: DelegationConfig | null;
}

export const EMPTY_CONFIG: SchoolConfig = {
  automationAccount: null,
  logSpreadsheetId: null,
  logGeneration: 0,
  sharedDriveId: null,
  recordingsFolderId: null,
  incomingFolderId: null,
  delegation: null,
};

const CONFIG_KEY = 'config';
const SETTINGS_KEY = 'settings';

export function readConfig(props: GoogleAppsScript.Properties.Properties): SchoolConfig {
  const raw = props.getProperty(CONFIG_KEY);
  return raw
    ? { ...EMPTY_CONFIG, ...(JSON.parse(raw) as Partial<SchoolConfig>) }
    : { ...EMPTY_CONFIG };
}

export function writeConfig(
  props: GoogleAppsScript.Properties.Properties,
  config: SchoolConfig,
): void {
  props.setProperty(CONFIG_KEY, JSON.stringify(config));
}

/** The last valid settings (the automation copies them from the Settings sheet after checking them). */
export function readSettings(props: GoogleAppsScript.Properties.Properties): SchoolSettings {
  const raw = props.getProperty(SETTINGS_KEY);
  return raw
    ? { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<SchoolSettings>) }
    : { ...DEFAULT_SETTINGS };
}

/** Settings were saved before (by setup or the hourly check): the school is already set up. */
export function settingsSaved(props: GoogleAppsScript.Properties.Properties): boolean {
  return props.getProperty(SETTINGS_KEY) !== null;
}

export function writeSettings(
  props: GoogleAppsScript.Properties.Properties,
  settings: SchoolSettings,
): void {
  props.setProperty(SETTINGS_KEY, JSON.stringify(settings));
}
