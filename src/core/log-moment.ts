// R3, R18, R19: when a lesson's Sessions row is written. Every Sheets write costs an
// execution's worth of calls, so the row is not rewritten on every version of the lesson
// (opened, shared, withdrawn, ended each bump it). It is written:
//
//   - when the lesson is first scheduled (R3: "in the log from the moment it is scheduled");
//   - whenever something SLT must see at once changes: it is cancelled, moved (start or end) or
//     a move is refused, approved or declined, or gains (or loses) a serious flag (an outsider,
//     an incident...);
//   - when it closes: every time, attendance and flag in one go (R18);
//   - (its recording is linked by the recordings job, into the row's own cells.)
//
// Opening, sharing, withdrawing, ending, confirming consent and warning-level flags wait for
// the next of those writes; the close write carries all of them. A pure rule: the lesson
// and what SLT last saw of it (`logMark`, kept on the lesson) decide.

import type { Lesson } from './lesson';

export type LogMoment = 'scheduled' | 'closed' | 'cancelled' | 'changed';

/**
 * What SLT must see of a lesson without waiting: whether it is cancelled or closed, its times,
 * a Calendar change it did not follow, its approval and its serious flags. Scheduled, open and ended look the same here on
 * purpose: the room opening and the call ending are carried by the close.
 */
export function logMark(lesson: Lesson): string {
  const state =
    lesson.status === 'cancelled' || lesson.status === 'closed' ? lesson.status : 'active';
  const serious = lesson.flags
    .filter((f) => f.severity === 'serious')
    .map((f) => f.code)
    .sort()
    .join(',');
  // A Calendar change the lesson did not follow, or follows only to end earlier, is in the
  // Status cell SLT read (calendar-change.ts): it is written at once too.
  const moves = JSON.stringify([
    lesson.refusedMove ?? null,
    ('attemptedMove' in lesson ? lesson.attemptedMove : undefined) ?? null,
  ]);
  return fingerprint(
    [state, lesson.start, lesson.end, lesson.approval.state, serious, moves].join('|'),
  );
}

/** A short stand-in for the mark (it is kept on every lesson in a 500 KB store): FNV-1a, 32 bits. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Whether this version of the lesson needs its Sessions row written now, and why; null: it can wait. */
export function logWriteDue(lesson: Lesson): LogMoment | null {
  if (lesson.version <= lesson.loggedVersion) return null;
  if (lesson.loggedVersion === 0) return 'scheduled';
  if (lesson.status === 'closed') return 'closed';
  if (lesson.status === 'cancelled') return 'cancelled';
  // A lesson logged before this rule existed has no mark: write it once to take one.
  if (lesson.logMark === undefined || lesson.logMark !== logMark(lesson)) return 'changed';
  return null;
}
