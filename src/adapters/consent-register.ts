// R13: the consent register the office keeps in the log's Consent sheet. Teachers
// cannot open the log (R20), so the automation keeps a snapshot of who has consent in
// script properties, refreshed at most hourly, and everyone reads the snapshot.

import type { ConsentRegister, Person } from '../core/ports';

const KEY = 'consent:';
/** Below the 9 KB a property may hold. */
const CHUNK_CHARS = 8_000;

export class ConsentSnapshot implements ConsentRegister {
  private cached: Set<string> | undefined;

  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  hasConsent(pupil: Person): boolean {
    const given = this.load();
    return (
      (pupil.email !== null && given.has(pupil.email.toLowerCase())) ||
      given.has(`id:${pupil.userId}`)
    );
  }

  /** When the snapshot was last refreshed (ms), or 0. */
  refreshedAt(): number {
    return Number(this.props.getProperty(`${KEY}at`) ?? 0);
  }

  /** Replaces the snapshot with these pupils (emails, or `id:` + account id). */
  replace(keys: readonly string[], now: number): void {
    const chunks: string[] = [];
    let current: string[] = [];
    let size = 0;
    for (const key of keys.map((k) => k.toLowerCase())) {
      if (size + key.length + 1 > CHUNK_CHARS && current.length > 0) {
        chunks.push(current.join('\n'));
        current = [];
        size = 0;
      }
      current.push(key);
      size += key.length + 1;
    }
    if (current.length > 0) chunks.push(current.join('\n'));
    const values: Record<string, string> = {
      [`${KEY}at`]: String(now),
      [`${KEY}n`]: String(chunks.length),
    };
    chunks.forEach((chunk, i) => {
      values[`${KEY}${i}`] = chunk;
    });
    const old = Number(this.props.getProperty(`${KEY}n`) ?? 0);
    this.props.setProperties(values);
    for (let i = chunks.length; i < old; i++) this.props.deleteProperty(`${KEY}${i}`);
    this.cached = new Set(keys.map((k) => k.toLowerCase()));
  }

  private load(): Set<string> {
    if (this.cached) return this.cached;
    const n = Number(this.props.getProperty(`${KEY}n`) ?? 0);
    const set = new Set<string>();
    for (let i = 0; i < n; i++) {
      for (const key of (this.props.getProperty(`${KEY}${i}`) ?? '').split('\n'))
        if (key) set.add(key);
    }
    this.cached = set;
    return set;
  }
}
