// R17 in arithmetic: when a recording falls due for deletion, and which registered recordings
// a purge may delete. Pure: `now` and everything known are passed in; the shell deletes.
//
// Retention counts from the lesson, not from the file: policy 000 keeps a lesson's recording
// "for up to 30 days", so a recording of a call that ended at instant t is kept until
// t + retentionDays × 24 h and deleted by the first purge after that, however late Meet made
// the file (Google documents no time by which it does; doc:
// https://developers.google.com/workspace/meet/api/guides/artifacts). Where the lesson's end is
// not known (a row registered before it was kept) retention counts from when Drive made the file,
// which is later, as before. Elapsed time, not the wall clock: a clock change inside the period
// neither shortens nor lengthens it. Drive's createdTime is an instant too (RFC 3339, UTC).

import { MAX_RETENTION_DAYS } from './settings';
import { DAY_MS } from './time';

/** A recording the product registered in the safeguarding folder (the Recordings sheet). */
export interface RegisteredRecording {
  fileId: string;
  lessonId: string;
  fileName: string;
  /** When Meet made the file (Drive createdTime). */
  createdAt: number;
  /** When retention counts from: the end of the lesson's call, or `createdAt` if earlier or unknown. */
  retainFrom: number;
  /** The hold as the Recordings sheet shows it (R17), or null. */
  hold: string | null;
  purgedAt: string | null;
}

/** What Drive's due query returned: a file in the folder, carrying our marker, old enough. */
export interface DueCandidate {
  fileId: string;
  createdAt: number;
  /** The lesson's end as the file's own marker carries it (an appProperty), when it does. */
  lessonEndedAt?: number;
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

/** The instant retention counts from: the lesson's end, or when the file was made if that is earlier or the end unknown. */
export function retentionStart(createdAt: number, lessonEndedAt?: number | null): number {
  return typeof lessonEndedAt === 'number' && Number.isFinite(lessonEndedAt)
    ? Math.min(createdAt, lessonEndedAt)
    : createdAt;
}

/**
 * Recordings whose retention started before this instant are past retention at `now`. A recording exactly
 * retentionDays old (retainFrom === cutoff) is still kept: "kept up to 30 days".
 */
export function purgeCutoff(now: number, retentionDays: number): number {
  checkDays(retentionDays);
  return now - retentionDays * DAY_MS;
}

/** The instant after which a recording may be purged (shown as "Purge Due" in the log). */
export function purgeDueAt(retainFrom: number, retentionDays: number): number {
  checkDays(retentionDays);
  return retainFrom + retentionDays * DAY_MS;
}

export function isExpired(retainFrom: number, cutoff: number): boolean {
  return retainFrom < cutoff;
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
      isExpired(r.retainFrom, cutoff) &&
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
 * Registered recordings past retention that Drive's date query cannot find: Meet made the file
 * after the cutoff although the lesson ended before it (a late file). Few; Drive is asked for
 * each by id. Held ones are left out: they are not purged anyway.
 */
export function lateDue(
  records: readonly RegisteredRecording[],
  cutoff: number,
  holds: Holds,
): string[] {
  return selectExpired(records, cutoff, holds)
    .filter((r) => !isExpired(r.createdAt, cutoff))
    .map((r) => r.fileId);
}

/**
 * What Drive says is due, checked against the registry: a file is purged only if Drive and the
 * registry both know it, both say it is past retention (the registry's lesson end and the
 * file's own date and marker), and no hold (the DSL's list, the sheet, or the file's own
 * marker) covers it. Anything else in the folder is left alone.
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
    const onDrive = retentionStart(c.createdAt, c.lessonEndedAt);
    if (record.purgedAt || !isExpired(onDrive, cutoff) || !isExpired(record.retainFrom, cutoff))
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
