// R17 in arithmetic: when a recording falls due for deletion, and which registered recordings
// a purge may delete. Pure: `now` and everything known are passed in; the shell deletes.
//
// Retention is elapsed time: a recording made at instant t is kept until t + retentionDays × 24 h
// and deleted by the first purge after that. It does not depend on the school's time zone, so
// a clock change inside the period neither shortens nor lengthens it (the wall clock then reads
// an hour earlier or later at the due instant: the recording is still never kept longer than
// retentionDays × 24 h, nor deleted a minute sooner). Drive's createdTime is an instant too
// (RFC 3339, UTC), so the server-side query and this module agree to the millisecond.

import { MAX_RETENTION_DAYS } from './settings';
import { DAY_MS } from './time';

/** A recording the product registered in the safeguarding folder (the Recordings sheet). */
export interface RegisteredRecording {
  fileId: string;
  lessonId: string;
  fileName: string;
  /** When Meet made the file (Drive createdTime): retention counts from here. */
  createdAt: number;
  /** The hold as the Recordings sheet shows it (R17), or null. */
  hold: string | null;
  purgedAt: string | null;
}

/** What Drive's due query returned: a file in the folder, carrying our marker, old enough. */
export interface DueCandidate {
  fileId: string;
  createdAt: number;
  /** The hold marker on the file itself (an appProperty), if any. */
  heldOnFile: boolean;
}

/** Lessons on hold (R17: an incident, or the DSL's own decision), from every place a hold is kept. */
export type Holds = ReadonlySet<string>;

export class RetentionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionError';
  }
}

function checkDays(retentionDays: number): void {
  // Settings are validated when read (settings.ts); a purge must still never run on nonsense.
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS)
    throw new RetentionError(
      `retentionDays must be 1 to ${MAX_RETENTION_DAYS}, not ${retentionDays}`,
    );
}

/**
 * Recordings made before this instant are past retention at `now`. A recording exactly
 * retentionDays old (createdAt === cutoff) is still kept: "kept up to 30 days".
 */
export function purgeCutoff(now: number, retentionDays: number): number {
  checkDays(retentionDays);
  return now - retentionDays * DAY_MS;
}

/** The instant after which a recording may be purged (shown as "Purge Due" in the log). */
export function purgeDueAt(createdAt: number, retentionDays: number): number {
  checkDays(retentionDays);
  return createdAt + retentionDays * DAY_MS;
}

export function isExpired(createdAt: number, cutoff: number): boolean {
  return createdAt < cutoff;
}

/** A hold as the Recordings sheet words it; anything else (empty, "released ...") is not a hold. */
export function isHoldText(text: string | null): boolean {
  return text !== null && /^held\b/i.test(text.trim());
}

/** The registered recordings that are past retention, not yet purged and not on hold. */
export function selectExpired(
  records: readonly RegisteredRecording[],
  cutoff: number,
  holds: Holds,
): RegisteredRecording[] {
  return records.filter(
    (r) =>
      isExpired(r.createdAt, cutoff) &&
      !r.purgedAt &&
      !holds.has(r.lessonId) &&
      !isHoldText(r.hold),
  );
}

export interface PurgePlan {
  purge: RegisteredRecording[];
  /** Due by date but on hold: kept, and counted in the run's report. */
  held: RegisteredRecording[];
  /** In the folder with a marker but not in the registry: never touched, reported. */
  unregistered: DueCandidate[];
}

/**
 * What Drive says is due, checked against the registry: a file is purged only if Drive and the
 * registry both know it, both dates say it is past retention, and no hold (the DSL's list, the
 * sheet, or the file's own marker) covers it. Anything else in the folder is left alone.
 */
export function planPurge(
  candidates: readonly DueCandidate[],
  registry: readonly RegisteredRecording[],
  cutoff: number,
  holds: Holds,
): PurgePlan {
  const byId = new Map(registry.map((r) => [r.fileId, r]));
  const plan: PurgePlan = { purge: [], held: [], unregistered: [] };
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.fileId)) continue;
    seen.add(c.fileId);
    const record = byId.get(c.fileId);
    if (!record) {
      plan.unregistered.push(c);
      continue;
    }
    if (record.purgedAt || !isExpired(c.createdAt, cutoff) || !isExpired(record.createdAt, cutoff))
      continue;
    const held = c.heldOnFile || holds.has(record.lessonId) || isHoldText(record.hold);
    if (held) plan.held.push(record);
    else plan.purge.push(record);
  }
  return plan;
}

/** Splits work into requests of at most `size` (Drive's batch endpoint takes 100 calls). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new RetentionError('chunk size must be at least 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
