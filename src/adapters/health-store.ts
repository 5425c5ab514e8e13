// R28: the health record (health.ts) in one script property, beside the lessons. It is small
// (a few jobs, services and open problems; teachers told as short hashes; at most 20
// refused staff accounts by address) and kept well under the
// 9 KB a value allows: a record that would not fit drops its oldest teachers first.
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties: 9 KB a value)

import type { HealthState } from '../core/health';
import type { HealthStore } from '../core/ports';

const KEY = 'health';
/** Leaves room under 9 KB for the key and a margin. */
const MAX_CHARS = 8_500;

export class PropertyHealthStore implements HealthStore {
  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  read(): HealthState | null {
    const text = this.props.getProperty(KEY);
    if (!text) return null;
    try {
      return JSON.parse(text) as HealthState;
    } catch {
      // A record from a broken write is started again: the next runs fill it in.
      return null;
    }
  }

  write(state: HealthState): void {
    let fitted = state;
    let text = JSON.stringify(fitted);
    while (text.length > MAX_CHARS && fitted.teachersTold.length > 0) {
      fitted = {
        ...fitted,
        teachersTold: fitted.teachersTold.slice(-Math.floor(fitted.teachersTold.length / 2)),
      };
      text = JSON.stringify(fitted);
    }
    // Then the least recently refused accounts (kept newest first by the core).
    while (text.length > MAX_CHARS && (fitted.accounts?.length ?? 0) > 0) {
      fitted = { ...fitted, accounts: fitted.accounts!.slice(0, -1) };
      text = JSON.stringify(fitted);
    }
    this.props.setProperty(KEY, text);
  }
}
