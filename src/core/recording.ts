// Recordings as the product keeps them (R16-R18): a lesson waiting for its recordings, what
// Meet says about them, the Recordings and Audit rows SLT and the DSL read, and the file name
// that says course, date and lesson. Pure: times are passed in.

import type { RegisteredRecording } from './retention';
import { safeCell } from './sheet-safe';
import { HOUR_MS, localDate, localTime, MINUTE_MS } from './time';

/** Policy 000 (R11, R16): a lesson with only one adult must have been recorded; 24 h is long enough for Meet. */
export const NOT_RECORDED_AFTER_MS = 24 * HOUR_MS;
/** Give up looking after a week (closed lessons leave the store then; Meet keeps records 30 days). */
export const GIVE_UP_AFTER_MS = 7 * 24 * HOUR_MS;
/** Meet usually makes the file within minutes: look every 10 minutes for the first hour, then hourly. */
export const QUICK_POLL_MS = 10 * MINUTE_MS;
export const SLOW_POLL_MS = HOUR_MS;
const QUICK_PHASE_MS = HOUR_MS;

/** A closed lesson whose recordings are being collected (compact: it lives in script properties). */
export interface CollectionEntry {
  lessonId: string;
  teacher: string;
  /** `spaces/{id}` */
  space: string;
  courseName: string;
  start: number;
  /** When the call was ended (or the lesson closed): the clock for "not recorded". */
  endedAt: number;
  /** Someone was in the call, so Meet should have recorded it. */
  hadCall: boolean;
  /** Only one member of staff was present (R11): the recording is the safeguard. */
  oneStaff: boolean;
  nextCheck: number;
  /** Drive file ids dealt with: moved and registered, or found deleted by the teacher. */
  handled: string[];
  /** The lesson was flagged not-recorded. */
  flagged: boolean;
}

export interface MeetRecording {
  /** `conferenceRecords/{c}/recordings/{r}` */
  name: string;
  state: 'STARTED' | 'ENDED' | 'FILE_GENERATED' | string;
  fileId: string | null;
}

/** What Meet knows of the room's calls and their recordings. */
export interface FoundRecordings {
  conferences: number;
  recordings: MeetRecording[];
}

export type CollectionStep =
  /** Files to move now; `waitMore` when others are still being made. */
  | { kind: 'collect'; fileIds: string[]; waitMore: boolean }
  | { kind: 'wait'; flagNotRecorded: boolean }
  | { kind: 'done'; why: 'collected' | 'no-call' | 'gave-up' };

/** What to do with a lesson's recordings now. */
export function collectionStep(
  entry: CollectionEntry,
  found: FoundRecordings,
  now: number,
): CollectionStep {
  const ready = found.recordings.filter((r) => r.state === 'FILE_GENERATED' && r.fileId);
  const fresh = ready.map((r) => r.fileId!).filter((id) => !entry.handled.includes(id));
  const pending = found.recordings.some((r) => r.state !== 'FILE_GENERATED');
  if (fresh.length > 0) return { kind: 'collect', fileIds: fresh, waitMore: pending };
  if (ready.length > 0 && !pending) return { kind: 'done', why: 'collected' };
  if (found.conferences === 0 && !entry.hadCall) return { kind: 'done', why: 'no-call' };
  const waited = now - entry.endedAt;
  if (waited >= GIVE_UP_AFTER_MS) return { kind: 'done', why: 'gave-up' };
  const nothingYet = entry.handled.length === 0 && ready.length === 0;
  return {
    kind: 'wait',
    flagNotRecorded: nothingYet && !entry.flagged && waited >= NOT_RECORDED_AFTER_MS,
  };
}

/** When to look again: often at first (Meet usually takes minutes), then hourly. */
export function nextCheckAt(entry: CollectionEntry, now: number): number {
  return now + (now - entry.endedAt < QUICK_PHASE_MS ? QUICK_POLL_MS : SLOW_POLL_MS);
}

/** Drive allows any characters; slashes and control characters only confuse people and exports. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const UNSAFE_IN_NAME = /[/\\\u0000-\u001f]/g;

/** "Year 3 Class A 2026-11-23 10:00 L-20261123-k3x9ab" (+ " part 2" when a call was recorded twice). */
export function recordingFileName(
  entry: Pick<CollectionEntry, 'courseName' | 'start' | 'lessonId'>,
  part: number,
  timeZone: string,
): string {
  const course = entry.courseName.replace(UNSAFE_IN_NAME, ' ').trim().slice(0, 80);
  const when = `${localDate(entry.start, timeZone)} ${localTime(entry.start, timeZone)}`;
  return `${course} ${when} ${entry.lessonId}${part > 1 ? ` part ${part}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// The Recordings and Audit sheets (R17, R18)
// ---------------------------------------------------------------------------------------------

export const RECORDINGS_COLUMNS = [
  'Lesson ID',
  'File ID',
  'File Name',
  'Course',
  'Lesson Date',
  'Teacher',
  'Recorded At (UTC)',
  'Moved At',
  'Purge Due',
  'Hold',
  'Purged At',
  'Link',
] as const;

export const AUDIT_COLUMNS = [
  'When',
  'Action',
  'Lesson ID',
  'File ID',
  'File Name',
  'Why',
  'By',
  'Run',
] as const;

export const COL = {
  lesson: 0,
  file: 1,
  name: 2,
  recordedAt: 6,
  hold: 9,
  purgedAt: 10,
} as const;

export type AuditAction =
  | 'collected'
  | 'deleted'
  | 'trashed'
  | 'hold'
  | 'release'
  | 'not-recorded'
  | 'missing'
  | 'gave-up'
  | 'unregistered-file';

export interface AuditEntry {
  at: number;
  action: AuditAction;
  lessonId: string;
  fileId: string;
  fileName: string;
  why: string;
  by: string;
  run: string;
}

export interface NewRecording {
  lessonId: string;
  fileId: string;
  fileName: string;
  courseName: string;
  lessonStart: number;
  teacher: string;
  createdAt: number;
  movedAt: number;
  purgeDue: number;
  hold: string | null;
}

/** A leading apostrophe keeps an instant as exact text (Sheets would otherwise make it a date). */
function exactInstant(ms: number): string {
  return `'${new Date(ms).toISOString()}`;
}

export function driveLink(fileId: string): string {
  return `https://drive.google.com/file/d/${fileId}/view`;
}

export function recordingRow(r: NewRecording, timeZone: string): (string | number)[] {
  const when = (ms: number) => `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}`;
  return [
    safeCell(r.lessonId),
    safeCell(r.fileId),
    safeCell(r.fileName),
    safeCell(r.courseName),
    localDate(r.lessonStart, timeZone),
    safeCell(r.teacher),
    exactInstant(r.createdAt),
    when(r.movedAt),
    when(r.purgeDue),
    safeCell(r.hold ?? ''),
    '',
    driveLink(r.fileId),
  ];
}

/** Reads one Recordings row back; null for a row that is not a recording (blank, damaged). */
export function parseRecordingRow(row: readonly unknown[]): RegisteredRecording | null {
  const text = (i: number) => String(row[i] ?? '').trim();
  const fileId = text(COL.file);
  const lessonId = text(COL.lesson);
  const raw = row[COL.recordedAt];
  const createdAt =
    raw instanceof Date ? raw.getTime() : Date.parse(String(raw ?? '').replace(/^'/, ''));
  if (!fileId || !lessonId || !Number.isFinite(createdAt)) return null;
  return {
    fileId,
    lessonId,
    fileName: text(COL.name),
    createdAt,
    hold: text(COL.hold) || null,
    purgedAt: text(COL.purgedAt) || null,
  };
}

export function auditRow(e: AuditEntry, timeZone: string): string[] {
  return [
    `${localDate(e.at, timeZone)} ${localTime(e.at, timeZone)}`,
    e.action,
    safeCell(e.lessonId),
    safeCell(e.fileId),
    safeCell(e.fileName),
    safeCell(e.why),
    safeCell(e.by),
    safeCell(e.run),
  ];
}

export function holdText(by: string, at: number, reason: string, timeZone: string): string {
  return `held by ${by} since ${localDate(at, timeZone)}${reason ? `: ${reason}` : ''}`;
}
