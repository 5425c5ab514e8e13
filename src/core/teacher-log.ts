// The human part of the log (Appendix A of policy 000): what the lesson's staff say about
// technology issues, behaviour and anything for SLT. Staff cannot open the log (R20), so
// their entries wait in a queue that the automation writes into the lesson's row. Entries
// belong to their authors: only the lesson's teacher or second adult (as its Sessions row
// names them) may write, and each entry is added below the earlier ones with who wrote it
// and when, never in their place.

import { isLessonId } from './ids';
import { asText, cleanText, safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

export interface TeacherLogEntry {
  lessonId: string;
  /** Who wrote it: the lesson's teacher or its second adult. */
  teacher: string;
  technologyIssues: string;
  inappropriateBehaviour: string;
  shareWithSlt: string;
  at: number;
}

/** Longest entry kept per field; a cell holds 50,000 characters but a log line should not. */
export const MAX_LOG_FIELD = 2000;

export type LogEntryCheck =
  | { ok: true; entry: TeacherLogEntry }
  | { ok: false; problems: string[] };

export function checkTeacherLog(entry: TeacherLogEntry): LogEntryCheck {
  const problems: string[] = [];
  const fields: [keyof TeacherLogEntry, string][] = [
    ['technologyIssues', 'Technology issues'],
    ['inappropriateBehaviour', 'Inappropriate behaviour'],
    ['shareWithSlt', 'Anything to share with SLT'],
  ];
  for (const [key, label] of fields) {
    const value = String(entry[key] ?? '');
    if (value.length > MAX_LOG_FIELD)
      problems.push(`${label} is too long (${value.length} characters; at most ${MAX_LOG_FIELD}).`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    entry: {
      ...entry,
      technologyIssues: entry.technologyIssues.trim() || 'None',
      inappropriateBehaviour: entry.inappropriateBehaviour.trim() || 'None',
      shareWithSlt: entry.shareWithSlt.trim() || 'None',
    },
  };
}

/** The three Appendix A cells, safe for the sheet, in column order (4, 5, 7). */
export function teacherLogCells(entry: TeacherLogEntry): {
  technologyIssues: string;
  inappropriateBehaviour: string;
  shareWithSlt: string;
} {
  return {
    technologyIssues: safeCell(entry.technologyIssues),
    inappropriateBehaviour: safeCell(entry.inappropriateBehaviour),
    shareWithSlt: safeCell(entry.shareWithSlt),
  };
}

/** Who may write a lesson's log: its teacher and its second adult, as its Sessions row names them. */
export function mayWriteLog(
  row: { teacher: string; secondStaff: string },
  author: string,
): boolean {
  const who = author.trim().toLowerCase();
  if (!who) return false;
  return [row.teacher, row.secondStaff].some((named) => named.trim().toLowerCase() === who);
}

/** A cell holds 50,000 characters; past this an entry is refused, never cut (SLT are told). */
export const MAX_LOG_CELL = 45_000;

export interface LogCells {
  technologyIssues: string;
  inappropriateBehaviour: string;
  shareWithSlt: string;
}

export type AppendResult =
  | { kind: 'appended'; cells: LogCells }
  /** The entry is already in the cells (a run cut off after writing it): nothing to add. */
  | { kind: 'already-there' }
  | { kind: 'full' };

/** "[2026-11-23 10:40 teacher@school.org] text": who and when, then what they wrote. */
export function entryLine(author: string, at: number, text: string, timeZone: string): string {
  return `[${localDate(at, timeZone)} ${localTime(at, timeZone)} ${author.toLowerCase()}] ${cleanText(text)}`;
}

/**
 * The three Appendix A cells with this entry added below what they hold. An earlier entry is
 * never replaced: a second teacher's "Nothing to report" goes under the first teacher's
 * disclosure, each with its author and time. Safe for the sheet as a whole cell.
 */
export function appendEntry(
  current: LogCells,
  entry: TeacherLogEntry,
  timeZone: string,
): AppendResult {
  const keys: (keyof LogCells)[] = ['technologyIssues', 'inappropriateBehaviour', 'shareWithSlt'];
  const lines = keys.map((k) => entryLine(entry.teacher, entry.at, entry[k], timeZone));
  if (keys.every((k, i) => current[k].includes(lines[i]!))) return { kind: 'already-there' };
  const next = keys.map((k, i) => {
    const before = current[k].trim();
    return before ? `${before}\n${lines[i]}` : lines[i]!;
  });
  if (next.some((cell) => cell.length > MAX_LOG_CELL)) return { kind: 'full' };
  return {
    kind: 'appended',
    cells: {
      technologyIssues: asText(next[0]!),
      inappropriateBehaviour: asText(next[1]!),
      shareWithSlt: asText(next[2]!),
    },
  };
}

/** Entries at most waiting, per author, for lessons that have left the store (checked against the log). */
export const MAX_UNCHECKED_ENTRIES = 5;

export type EntryTarget = { ok: true; inStore: boolean } | { ok: false; message: string };

/**
 * Whether an entry may join the queue (R20: staff cannot open the log). For a lesson in the
 * store: only from its teacher or second adult. A lesson not in the store may have left it (it
 * ended a week before `leftStoreBefore`'s date or earlier): its entry waits for the automation
 * to check it against the log's row. Any other id names no lesson, and is refused here rather
 * than left in the queue for ever. (A lesson let go early because the store was full is
 * refused as not found until its week is up; the teacher is told and keeps what they typed.)
 */
export function entryTarget(
  lessonId: string,
  lesson: { teacher: string; secondStaff: string | null } | undefined,
  author: string,
  leftStoreBefore: number,
  timeZone: string,
): EntryTarget {
  const missing = 'That lesson could not be found, so there is no log to write to.';
  if (lesson) {
    if (!mayWriteLog({ teacher: lesson.teacher, secondStaff: lesson.secondStaff ?? '' }, author))
      return {
        ok: false,
        message: 'Only the teacher or the second adult of this lesson can write its log.',
      };
    return { ok: true, inStore: true };
  }
  if (!isLessonId(lessonId)) return { ok: false, message: missing };
  // L-YYYYMMDD-xxxxxx (its start): a lesson that started after the last day a lesson can have
  // left the store would still be in it, if it existed.
  const day = `${lessonId.slice(2, 6)}-${lessonId.slice(6, 8)}-${lessonId.slice(8, 10)}`;
  if (day > localDate(leftStoreBefore, timeZone)) return { ok: false, message: missing };
  return { ok: true, inStore: false };
}
