// A lesson's life as a discriminated union: scheduled → open → ended → closed (or
// cancelled). Transitions are functions whose parameter types make the unsafe moves
// impossible to write: sharing needs proof the host is in the call (R6); ending needs an
// open room; closing needs an ended one.

import { type Flag, mergeFlags } from './flags';
import type { HostInCall } from './host-presence';
import type { LessonReport } from './lesson-report';

export interface Room {
  /** `spaces/{id}` */
  space: string;
  meetingUri: string;
  meetingCode: string;
}

export type Approval =
  | { state: 'pending' }
  | { state: 'auto' }
  | { state: 'approved'; by: string; at: number }
  | { state: 'declined'; by: string; at: number; reason: string };

/** The Classroom post carrying the link (R6, R7, R10). */
export type Post =
  | { state: 'none' }
  /** A create was sent but its answer was lost: the post may exist; find it before posting again. */
  | { state: 'posting'; since: number }
  | { state: 'live'; id: string; sharedAt: number }
  | { state: 'withdrawn'; id: string | null; sharedAt: number; withdrawnAt: number };

export interface LessonBase {
  id: string;
  courseId: string;
  courseName: string;
  teacher: string;
  /** The teacher's Google account id: how the Meet API names them (`users/{id}`). */
  teacherUserId: string;
  secondStaff: string | null;
  /** The second adult's Google account id when known, to recognise them in the call (R11). */
  secondStaffUserId: string | null;
  title: string;
  start: number;
  end: number;
  calendarEventId: string | null;
  scheduledAt: number;
  approval: Approval;
  flags: Flag[];
  /** The teacher confirmed expectations were given and consent checked (R13). */
  consentConfirmedAt: number | null;
  /** Bumped on every change; the log row records which version it shows. */
  version: number;
  loggedVersion: number;
  /** What SLT last saw of the lesson in the log; a change to it is written at once (log-moment.ts). */
  logMark?: string;
  /** When SLT were told it was scheduled (log-sync.ts); null: in the log, not yet told. */
  sltToldAt?: number | null;
  /** SLT were alerted that the link was still live at the scheduled end (R10). */
  linkLiveAlertedAt: number | null;
  /** When the teacher sent their log entries (they travel by queue; see teacher-log.ts). */
  teacherLogAt: number | null;
  /** An execution working on this lesson right now, so two never act on it at once. */
  lease: Lease | null;
}

export interface Lease {
  owner: string;
  until: number;
}

export type ScheduledLesson = LessonBase & { status: 'scheduled' };
export type OpenLesson = LessonBase & {
  status: 'open';
  room: Room;
  openedAt: number;
  post: Post;
  /** The running conference (`conferenceRecords/{id}`), once someone has joined. */
  conference: string | null;
  /** Participants already reported as uninvited or external, so each is reported once (R14). */
  reported: string[];
};
export type EndedLesson = LessonBase & {
  status: 'ended';
  room: Room;
  openedAt: number;
  endedAt: number;
  post: Post;
};
export type ClosedLesson = LessonBase & {
  status: 'closed';
  room: Room | null;
  openedAt: number | null;
  endedAt: number | null;
  closedAt: number;
  post: Post;
  report: LessonReport;
};
export type CancelledLesson = LessonBase & {
  status: 'cancelled';
  room: Room | null;
  post: Post;
  cancelledAt: number;
};

export type Lesson = ScheduledLesson | OpenLesson | EndedLesson | ClosedLesson | CancelledLesson;
export type LessonStatus = Lesson['status'];

/** Lessons whose link may still be on Classroom. */
export type LessonWithPost = OpenLesson | EndedLesson | ClosedLesson | CancelledLesson;

export class IllegalMove extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalMove';
  }
}

function bump<T extends Lesson>(lesson: T, changes: Partial<Lesson>): T {
  return { ...lesson, ...changes, version: lesson.version + 1 } as T;
}

export function isApproved(lesson: LessonBase): boolean {
  return lesson.approval.state === 'approved' || lesson.approval.state === 'auto';
}

export function approve(lesson: ScheduledLesson, by: string, now: number): ScheduledLesson {
  if (lesson.approval.state === 'declined') throw new IllegalMove('This lesson was declined.');
  return bump(lesson, { approval: { state: 'approved', by, at: now } });
}

export function decline(
  lesson: ScheduledLesson,
  by: string,
  reason: string,
  now: number,
): ScheduledLesson {
  return bump(lesson, { approval: { state: 'declined', by, at: now, reason } });
}

export function reschedule(lesson: ScheduledLesson, start: number, end: number): ScheduledLesson {
  return bump(lesson, { start, end });
}

/** R6/R7: a fresh room for this lesson only; it cannot open unless approved (R2). */
export function openRoom(lesson: ScheduledLesson, room: Room, now: number): OpenLesson {
  if (!isApproved(lesson))
    throw new IllegalMove('The room cannot open before the lesson is approved.');
  return {
    ...lesson,
    status: 'open',
    room,
    openedAt: now,
    post: { state: 'none' },
    conference: null,
    reported: [],
    version: lesson.version + 1,
  };
}

/** Records that a post is being created, before the call, so a lost answer cannot cause a second post. */
export function beginPosting(lesson: OpenLesson, now: number): OpenLesson {
  if (lesson.post.state !== 'none')
    throw new IllegalMove(`The link is already ${lesson.post.state}.`);
  return bump(lesson, { post: { state: 'posting', since: now } });
}

/** R6: the link is shared only with proof that the host is in the call. */
export function shareLink(
  lesson: OpenLesson,
  _proof: HostInCall,
  postId: string,
  now: number,
): OpenLesson {
  if (lesson.post.state === 'live' || lesson.post.state === 'withdrawn') {
    throw new IllegalMove('The link was already shared for this lesson.');
  }
  return bump(lesson, { post: { state: 'live', id: postId, sharedAt: now } });
}

/**
 * A create that never happened: the post state goes back to none. Only a post still being
 * made can fail; a live or withdrawn one keeps its id, or the link could stay on Classroom
 * with nothing left to withdraw it (R10).
 */
export function postingFailed(lesson: OpenLesson): OpenLesson {
  if (lesson.post.state === 'none') return lesson;
  if (lesson.post.state !== 'posting')
    throw new IllegalMove(`The link is ${lesson.post.state}; only a post being made can fail.`);
  return bump(lesson, { post: { state: 'none' } });
}

/** R10: the link leaves Classroom. `id` is null when the post was never found. */
export function withdrawLink<T extends LessonWithPost>(lesson: T, now: number): T {
  const post = lesson.post;
  if (post.state === 'live')
    return bump(lesson, {
      post: { state: 'withdrawn', id: post.id, sharedAt: post.sharedAt, withdrawnAt: now },
    });
  if (post.state === 'posting')
    return bump(lesson, {
      post: { state: 'withdrawn', id: null, sharedAt: post.since, withdrawnAt: now },
    });
  return lesson;
}

/** R10: the call is over for everyone and the room is locked. */
export function endLesson(lesson: OpenLesson, now: number): EndedLesson {
  const { conference: _c, reported: _r, ...rest } = lesson;
  return { ...rest, status: 'ended', endedAt: now, version: lesson.version + 1 };
}

export function noteConference(lesson: OpenLesson, conference: string | null): OpenLesson {
  return lesson.conference === conference ? lesson : { ...lesson, conference };
}

export function noteReported(lesson: OpenLesson, keys: readonly string[]): OpenLesson {
  const fresh = keys.filter((k) => !lesson.reported.includes(k));
  return fresh.length === 0
    ? lesson
    : bump(lesson, { reported: [...lesson.reported, ...fresh] } as Partial<Lesson>);
}

export function closeLesson(
  lesson: EndedLesson | ScheduledLesson,
  report: LessonReport,
  now: number,
): ClosedLesson {
  const base = {
    ...lesson,
    status: 'closed' as const,
    closedAt: now,
    report,
    flags: mergeFlags(lesson.flags, report.flags),
    version: lesson.version + 1,
  };
  if (lesson.status === 'scheduled')
    return { ...base, room: null, openedAt: null, endedAt: null, post: { state: 'none' } };
  return {
    ...base,
    room: lesson.room,
    openedAt: lesson.openedAt,
    endedAt: lesson.endedAt,
    post: lesson.post,
  };
}

export function cancelLesson(lesson: ScheduledLesson | OpenLesson, now: number): CancelledLesson {
  const { conference: _c, reported: _r, ...rest } = lesson as OpenLesson;
  return {
    ...rest,
    status: 'cancelled',
    room: lesson.status === 'open' ? lesson.room : null,
    post: lesson.status === 'open' ? lesson.post : { state: 'none' },
    cancelledAt: now,
    version: lesson.version + 1,
  };
}

export function addFlags<T extends Lesson>(lesson: T, flags: readonly Flag[]): T {
  const merged = mergeFlags(lesson.flags, flags);
  if (
    merged.length === lesson.flags.length &&
    flags.every((f) => lesson.flags.some((g) => g.code === f.code && g.detail === f.detail))
  ) {
    return lesson;
  }
  return bump(lesson, { flags: merged });
}

export function noteTeacherLog<T extends Lesson>(lesson: T, now: number): T {
  return { ...lesson, teacherLogAt: now };
}

export function withLease<T extends Lesson>(lesson: T, lease: Lease | null): T {
  return { ...lesson, lease };
}

export function leaseHeldByOther(lesson: Lesson, owner: string, now: number): boolean {
  return lesson.lease !== null && lesson.lease.owner !== owner && lesson.lease.until > now;
}

export function confirmConsent<T extends Lesson>(lesson: T, now: number): T {
  return bump(lesson, { consentConfirmedAt: now });
}

/**
 * The log has this version. A closed lesson's attendance detail is in the Attendance
 * sheet now, so the store keeps only the counts (the store is small: 500 KB in all).
 */
export function markLogged<T extends Lesson>(lesson: T, version: number): T {
  const logged = { ...lesson, loggedVersion: Math.max(lesson.loggedVersion, version) };
  if (
    logged.status === 'closed' &&
    logged.loggedVersion >= logged.version &&
    logged.report.attendance.length > 0
  ) {
    return { ...logged, report: { ...logged.report, attendance: [] } };
  }
  return logged;
}

export function markLinkLiveAlerted<T extends Lesson>(lesson: T, now: number): T {
  return { ...lesson, linkLiveAlertedAt: now };
}

export function linkIsLive(lesson: Lesson): boolean {
  return 'post' in lesson && (lesson.post.state === 'live' || lesson.post.state === 'posting');
}

/** When the link must leave Classroom (R10). */
export function withdrawAt(lesson: LessonBase, withdrawBeforeEndMinutes: number): number {
  return lesson.end - withdrawBeforeEndMinutes * 60_000;
}
