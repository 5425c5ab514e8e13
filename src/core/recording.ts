// Recordings as the product keeps them (R16-R18, R27): a lesson waiting for its recordings,
// what Meet says about them, when "collected" may be said (no recording can still appear),
// the Recordings and Audit rows SLT and the DSL read, and the file name that says course,
// date and lesson. Pure: times are passed in.
//
// What Google documents, and what follows from it:
// - A recording is listed only once its file is generated: "Meet has access to the recording
//   ID after the recording file is generated" (doc: https://developers.google.com/workspace/meet/api/guides/artifacts).
//   So Meet cannot say that a recording is still being made: silence is not "no recording".
// - A conference can have several recordings ("a 1:1 mapping to each unique recording session
//   during the conference", doc: .../rest/v2/conferenceRecords.recordings), and a room several
//   conferences (one each time the call empties and someone joins again).
// - Google documents no time by which a file is made; conference records "expire 30 days after
//   the conference ends" (doc: .../rest/v2/conferenceRecords, expireTime), after which nothing
//   can be found. Hence a limit of our own (LATE_LIMIT_MS), written down in the README.

import { type RegisteredRecording, retentionStart } from './retention';
import { safeCell } from './sheet-safe';
import { DAY_MS, HOUR_MS, localDate, localTime, MINUTE_MS } from './time';

/**
 * How long after the call a missing recording is awaited before the lesson is flagged
 * "recording still missing" and the DSL told (R11, R28). Our choice: Meet usually makes the
 * file within minutes; a day covers a slow day at Google and tells the DSL the next school day.
 */
export const LATE_LIMIT_MS = 24 * HOUR_MS;
/** doc: ConferenceRecord.expireTime — records are deleted 30 days after the conference ends. */
export const RECORDS_EXPIRE_MS = 30 * DAY_MS;
/** The last look, a day before Meet forgets the call: a file made later cannot be found. */
export const LAST_LOOK_MS = RECORDS_EXPIRE_MS - DAY_MS;
/** The first look: Meet usually makes the file within minutes of the call ending. */
export const FIRST_LOOK_MS = 15 * MINUTE_MS;
/** Looks grow apart (half the time waited so far), from 15 minutes up to 6 hours. */
const MIN_GAP_MS = 15 * MINUTE_MS;
const MAX_GAP_MS = 6 * HOUR_MS;
/** After the limit, a lesson still missing its recording is looked at on these days (from the call's end). */
export const LATE_LOOKS_MS = [2, 4, 8, 16].map((d) => d * DAY_MS).concat(LAST_LOOK_MS);
/** A look that failed (429, 500, a time-out) is tried again this soon, not at the next slot. */
export const RETRY_MS = 30 * MINUTE_MS;
/**
 * Auto-recording starts moments after someone allowed to record joins, and a recording stops
 * when the call ends. Recordings that cover a call to within this much of its start, of its
 * end and of each other leave no room for another recording: the call is settled.
 * assumption: a call records one session at a time (Meet shows one "recording" state per call).
 */
export const RECORDING_SLACK_MS = 2 * MINUTE_MS;

/** A call in the room as Meet's conference record gives it; times when known. */
export interface RoomCall {
  /** `conferenceRecords/{id}` */
  name: string;
  start?: number;
  /** null while the call is running. */
  end?: number | null;
}

/** A closed lesson whose recordings are being collected (compact: it lives in script properties). */
export interface CollectionEntry {
  lessonId: string;
  teacher: string;
  /** `spaces/{id}` */
  space: string;
  courseName: string;
  start: number;
  /** When the call was ended (or the lesson closed): the clock for "missing". */
  endedAt: number;
  /** Someone was in the call, so Meet should have recorded it. */
  hadCall: boolean;
  /** Only one member of staff was present (R11): the recording is the safeguard. */
  oneStaff: boolean;
  nextCheck: number;
  /** Drive file ids dealt with: moved and registered, or found deleted by the teacher. */
  handled: string[];
  /** The lesson was flagged not-recorded (the DSL was told). */
  flagged: boolean;
  /**
   * Meet's conference records of the room, when already known: the monitor lists them once
   * when it closes the lesson, or the first look here does. When every one is known with its
   * times (so it has ended), the room's calls are not listed again: recordings are listed directly.
   */
  conferences?: (string | RoomCall)[];
  /** The teacher (or any member of staff) was seen in the call: someone who may record joined. */
  staffJoined?: boolean;
  /** False when the school's policy did not record this lesson (R25): no recording is then no fault. */
  recordingExpected?: boolean;
  /** Problems already reported for this lesson (e.g. "refused"), so each is told once. */
  reported?: string[];
  /**
   * The lesson's staff by Google account id (teacher, second adult, co-teachers): a call with
   * nobody else in it had no pupils, so it need not have been recorded.
   */
  staffIds?: string[];
  /** Calls with no recording that Meet showed had nobody in them but the lesson's staff. */
  quietCalls?: string[];
}

export interface MeetRecording {
  /** `conferenceRecords/{c}/recordings/{r}` */
  name: string;
  state: 'STARTED' | 'ENDED' | 'FILE_GENERATED' | string;
  fileId: string | null;
  start: number | null;
  end: number | null;
}

/** One call in the room, with the recordings Meet lists for it. */
export interface FoundCall {
  name: string;
  start: number | null;
  /** null while the call is running. */
  end: number | null;
  recordings: MeetRecording[];
}

/** What Meet knows of the room's calls and their recordings. */
export interface FoundRecordings {
  calls: FoundCall[];
}

/** The calls named in an entry, whichever form the caller gave them in. */
export function knownCalls(entry: Pick<CollectionEntry, 'conferences'>): RoomCall[] | undefined {
  return entry.conferences?.map((c) => (typeof c === 'string' ? { name: c } : c));
}

/**
 * A call that has ended, whose recordings are all made and cover it from start to end with no
 * gap: no other recording of it can still appear. A call with a gap (recording stopped for a
 * while, or started late) is not settled: another recording may fill the gap.
 */
export function callSettled(call: FoundCall): boolean {
  if (call.end === null || call.start === null || call.recordings.length === 0) return false;
  if (
    call.recordings.some((r) => r.state !== 'FILE_GENERATED' || r.start === null || r.end === null)
  )
    return false;
  const sorted = [...call.recordings].sort((a, b) => a.start! - b.start!);
  let covered = call.start;
  for (const r of sorted) {
    if (r.start! - covered > RECORDING_SLACK_MS) return false;
    covered = Math.max(covered, r.end!);
  }
  return call.end - covered <= RECORDING_SLACK_MS;
}

export type CollectionStep =
  /** Files to move now; afterwards, look at the lesson again (`collectionStep` says what next). */
  | { kind: 'collect'; fileIds: string[] }
  /**
   * `silentCalls`: ended calls with no recording, past the limit, while others were recorded;
   * each must have had pupils in it to be flagged (the shell asks Meet who was in it).
   */
  | { kind: 'wait'; flagMissing: boolean; silentCalls?: string[] }
  | { kind: 'done'; why: CollectionEnd };

/**
 * How collection of a lesson ended. `collected`: every recording Meet lists was collected and
 * none can still appear (every call settled, or the limit passed); `no-call`: nobody joined;
 * `not-recorded`: the school's policy did not record it and nothing appeared; `gave-up`: the
 * last look before Meet forgets the call found nothing more (or a file that could not be moved).
 */
export type CollectionEnd = 'collected' | 'no-call' | 'not-recorded' | 'gave-up';

/** Files Meet has made for the lesson that are not yet dealt with. */
function unhandled(entry: CollectionEntry, found: FoundRecordings): string[] {
  const ids = found.calls
    .flatMap((c) => c.recordings)
    .filter((r) => r.state === 'FILE_GENERATED' && r.fileId)
    .map((r) => r.fileId!);
  return [...new Set(ids)].filter((id) => !entry.handled.includes(id));
}

/**
 * Ended calls of the room that left no recording file and are not known to have had only staff
 * in them. Every call of a lesson with pupils in it must be recorded (policy 000: sessions "will
 * be recorded"; a call restarted mid-lesson is a new conference record, doc:
 * https://developers.google.com/workspace/meet/api/guides/artifacts).
 */
export function unrecordedCalls(entry: CollectionEntry, found: FoundRecordings): FoundCall[] {
  const quiet = entry.quietCalls ?? [];
  return found.calls.filter(
    (c) => c.end !== null && !c.recordings.some((r) => r.fileId) && !quiet.includes(c.name),
  );
}

/** What to do with a lesson's recordings now. */
export function collectionStep(
  entry: CollectionEntry,
  found: FoundRecordings,
  now: number,
): CollectionStep {
  const fresh = unhandled(entry, found);
  if (fresh.length > 0) return { kind: 'collect', fileIds: fresh };
  return afterCollection(entry, found, now);
}

/** Once the files found are dealt with (or could not be): wait, flag, or say how it ended. */
export function afterCollection(
  entry: CollectionEntry,
  found: FoundRecordings,
  now: number,
): Exclude<CollectionStep, { kind: 'collect' }> {
  const waited = now - entry.endedAt;
  const pastLimit = waited >= LATE_LIMIT_MS;
  const lastLook = waited >= LAST_LOOK_MS;
  // A file that could not be moved yet (Drive refused, a fault) is tried until the last look.
  if (unhandled(entry, found).length > 0)
    return lastLook ? { kind: 'done', why: 'gave-up' } : { kind: 'wait', flagMissing: false };
  if (found.calls.length === 0 && !entry.hadCall) return { kind: 'done', why: 'no-call' };
  // Everything made is dealt with: done once no other recording can appear.
  if (entry.handled.length > 0) {
    const settled = found.calls.length > 0 && found.calls.every(callSettled);
    if (settled) return { kind: 'done', why: 'collected' };
    if (!pastLimit) return { kind: 'wait', flagMissing: false };
    // Past the limit, a call with pupils that left no recording is flagged like a lesson with
    // none, and looked for until Meet forgets it.
    const silent = entry.recordingExpected === false ? [] : unrecordedCalls(entry, found);
    if (silent.length === 0 || lastLook) return { kind: 'done', why: 'collected' };
    return { kind: 'wait', flagMissing: !entry.flagged, silentCalls: silent.map((c) => c.name) };
  }
  if (entry.recordingExpected === false)
    return pastLimit ? { kind: 'done', why: 'not-recorded' } : { kind: 'wait', flagMissing: false };
  if (lastLook) return { kind: 'done', why: 'gave-up' };
  // Known at once when nobody who may record was in the call; otherwise only at the limit.
  const cannotRecord = entry.staffJoined === false && entry.hadCall;
  return { kind: 'wait', flagMissing: (pastLimit || cannotRecord) && !entry.flagged };
}

/**
 * When to look again: half as long again as waited so far (15 minutes to 6 hours apart), up to
 * the limit; after it, only a lesson still missing its recording is looked at, on a few days.
 */
export function nextCheckAt(entry: CollectionEntry, now: number, alsoAt?: number): number {
  const waited = Math.max(0, now - entry.endedAt);
  if (waited < LATE_LIMIT_MS) {
    const gap = Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, waited / 2));
    return Math.min(now + gap, entry.endedAt + LATE_LIMIT_MS);
  }
  const late = LATE_LOOKS_MS.find((at) => entry.endedAt + at > now);
  const next = entry.endedAt + (late ?? LAST_LOOK_MS);
  // An extra look (the retention date of a recording left outside the folder), if it comes first.
  return alsoAt !== undefined && alsoAt > now && alsoAt < next ? alsoAt : next;
}

/** The first look at a lesson queued `now`. */
export function firstCheckAt(endedAt: number, now: number): number {
  return Math.max(now, endedAt + FIRST_LOOK_MS);
}

/** What is known about why a call left no recording: the DSL is told the likely reason. */
export interface MissingFacts {
  /** Calls Meet lists for the room. */
  calls: number;
  staffJoined: boolean;
  /** Whether any lesson at this school has been recorded before; null when unknown. */
  schoolHasRecorded: boolean | null;
}

export function missingRecordingReason(facts: MissingFacts): string {
  if (facts.calls === 0)
    return 'Meet lists no call in this room, though the lesson saw one: ask the school’s Google administrator to check the Meet audit log.';
  if (!facts.staffJoined)
    return 'No member of staff was seen in the call, and Meet starts automatic recording only when someone allowed to record joins (in Education editions, staff).';
  if (facts.schoolHasRecorded === false)
    return 'No lesson at this school has been recorded yet: the school’s Meet edition or the teacher’s licence probably does not allow recording (it needs Education Plus or the Teaching and Learning Upgrade for the teacher who owns the room, and recording allowed for staff in the Admin console).';
  return 'Meet made no recording file: the teacher’s account may not be licensed to record (Education Plus or the Teaching and Learning Upgrade), recording may have been stopped in the call, or Meet failed to make the file.';
}

/** Lessons with a call whose collection ended with a recording, or without one (for setup's health check). */
export interface RecordingTally {
  recorded: number;
  missing: number;
  lastRecordedAt: number | null;
  lastMissingAt: number | null;
}

export const EMPTY_TALLY: RecordingTally = {
  recorded: 0,
  missing: 0,
  lastRecordedAt: null,
  lastMissingAt: null,
};

/**
 * Setup's line on whether this school's Meet can record. Google offers no call that says so for
 * a user (the licence is seen only in the Admin console), so the evidence is the school's own
 * lessons: none recorded out of several is a flag.
 */
export function recordingHealth(
  tally: RecordingTally,
  timeZone: string,
): { ok: boolean; line: string } {
  const needs =
    'Automatic recording needs the teacher who owns the room to hold Education Plus or the Teaching and Learning Upgrade, and recording allowed for staff in the Admin console (Apps > Google Workspace > Google Meet > Meet video settings > Recording).';
  const when = (ms: number) => `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}`;
  if (tally.recorded === 0 && tally.missing === 0)
    return {
      ok: true,
      line: `Recording: not yet known whether this school's Meet can record: no lesson has finished collection. ${needs}`,
    };
  if (tally.recorded === 0)
    return {
      ok: false,
      line: `FLAG Recording: none of the ${tally.missing} lesson(s) with a call so far was recorded: this school's Meet edition or the teachers' licences probably cannot record. ${needs}`,
    };
  const missing =
    tally.missing > 0 && tally.lastMissingAt !== null
      ? ` ${tally.missing} had no recording (the last on ${when(tally.lastMissingAt)}): see the Audit sheet.`
      : '';
  return {
    // It can record; single lessons without a recording are flagged on their own rows.
    ok: true,
    line: `Recording: this school's Meet records: ${tally.recorded} lesson(s) recorded, the last on ${when(tally.lastRecordedAt!)}.${missing}`,
  };
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
  // Added later, so at the end (setup extends an older sheet's header): retention counts from here.
  'Lesson Ended (UTC)',
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
  purgeDue: 8,
  hold: 9,
  purgedAt: 10,
  lessonEnded: 12,
} as const;

export type AuditAction =
  | 'collected'
  | 'deleted'
  | 'trashed'
  | 'hold'
  | 'release'
  | 'not-recorded'
  | 'missing'
  | 'not-collected'
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
  /** When the lesson's call ended: retention counts from here (absent: from `createdAt`). */
  lessonEndedAt?: number;
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
    typeof r.lessonEndedAt === 'number' ? exactInstant(r.lessonEndedAt) : '',
  ];
}

/** A Purge Due cell as the Recordings and Sessions sheets show it (the school's wall clock, to the minute). */
export function purgeDueText(at: number, timeZone: string): string {
  return `${localDate(at, timeZone)} ${localTime(at, timeZone)}`;
}

/** Reads one Recordings row back; null for a row that is not a recording (blank, damaged). */
export function parseRecordingRow(row: readonly unknown[]): RegisteredRecording | null {
  const text = (i: number) => String(row[i] ?? '').trim();
  const fileId = text(COL.file);
  const lessonId = text(COL.lesson);
  const instant = (i: number) => {
    const raw = row[i];
    return raw instanceof Date ? raw.getTime() : Date.parse(String(raw ?? '').replace(/^'/, ''));
  };
  const createdAt = instant(COL.recordedAt);
  if (!fileId || !lessonId || !Number.isFinite(createdAt)) return null;
  return {
    fileId,
    lessonId,
    fileName: text(COL.name),
    createdAt,
    retainFrom: retentionStart(createdAt, instant(COL.lessonEnded)),
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
