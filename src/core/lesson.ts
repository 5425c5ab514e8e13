// A lesson's life as a discriminated union: scheduled → open → ended → closed (or
// cancelled). Transitions are functions whose parameter types make the unsafe moves
// impossible to write: sharing needs proof the host is in the call (R6); ending needs an
// open room; closing needs an ended one. A lesson whose Calendar event is deleted once its
// room is open is not a "cancelled" lesson: it stays open, due to end at once, and closes
// like any other, so its attendance, log row and recording are kept (R1, R14, R16, R18).

import { type Flag, type FlagCode, hasFlag, mergeFlags } from './flags';
import type { HostInCall } from './host-presence';
import {
  type InCall,
  inCallOf,
  noteCallEnded,
  noteGapWithdrawn,
  noteLinkBack,
  openGap,
} from './in-call';
import type { LessonReport } from './lesson-report';
import type { RoomCall } from './recording';

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

/**
 * The Classroom post carrying the link (R6, R7, R10, R21). `round` counts the posts made for the
 * lesson (absent: the first): each carries its own marker, so a lost answer finds its own post.
 */
export type Post =
  | { state: 'none' }
  /**
   * A create was sent but its answer was lost: the post may exist; find it before posting again.
   * `resumes` is the paused post this one replaces (it goes back to it if the create failed).
   */
  | {
      state: 'posting';
      since: number;
      round?: number;
      resumes?: PausedPost;
      /** R28: Google first failed to post it (429, 5xx, no answer): the log says why it was late. */
      failedSince?: number;
      /** R28: when the teacher was told the class is still waiting for the link. */
      toldAt?: number;
    }
  | { state: 'live'; id: string; sharedAt: number; round?: number }
  /** Final: off Classroom for good (the lesson is ending, or was cancelled). */
  | { state: 'withdrawn'; id: string | null; sharedAt: number; withdrawnAt: number }
  /**
   * R21: taken off Classroom while no member of staff was in the call. It may go back, but only
   * through `resumePosting`, which needs a fresh proof the teacher is in the call (R6).
   */
  | PausedPost;

export interface PausedPost {
  state: 'paused';
  id: string | null;
  sharedAt: number;
  withdrawnAt: number;
  round: number;
}

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
  /** The course's other teachers when it was scheduled: staff in the call without a look-up (R11). */
  coTeachers: StaffMember[];
  title: string;
  start: number;
  end: number;
  calendarEventId: string | null;
  scheduledAt: number;
  approval: Approval;
  flags: Flag[];
  /** The teacher confirmed expectations were given and consent checked (R13). */
  consentConfirmedAt: number | null;
  /**
   * Pupils on the class roster when the lesson was scheduled: one makes it a 1:1 (R12, R25).
   * Absent on lessons stored before it was kept (then it is not known).
   */
  pupilsOnRoster?: number | null;
  /** R25, policy 001: the teacher confirmed a parent/carer is present in the room (share-policy.ts). */
  parentPresentAt?: number | null;
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
  /**
   * R5, R7: guests of the lesson's own Calendar event who are not its staff (a pupil, a class's
   * group, a parent the teacher invited), as the calendar sync last saw them. The room link is
   * kept off the event while there are any (event-guests.ts). Absent: none.
   */
  eventGuests?: number;
  /**
   * R1: the event was moved before the room opened to times the policy refuses (in the past,
   * too long), so the lesson kept its own; the teacher and SLT were told.
   */
  refusedMove?: RefusedMove;
  /**
   * R28: what Google last refused for this lesson (a room not made, a link not withdrawn, a
   * call not ended), so the log and the alerts say it was Google, not the teacher.
   */
  googleFailure?: GoogleFailure;
  /**
   * R2: the approvers (lower case) told this lesson awaits a decision (approval-notices.ts).
   * Absent: not put to them yet, or stored before it was kept.
   */
  approversAsked?: string[];
  /** R2, R28: when its teacher was told it was not approved by its room's opening time. */
  notApprovedToldAt?: number;
  /** R6, R28: when the teacher was told they were not in the call after the start (host-late.ts). */
  hostLateToldAt?: number | null;
  /** R6, R28: when SLT were told the teacher was still not in the call (host-late.ts). */
  hostAbsentToldAt?: number | null;
}

/** A Google refusal on a lesson: delegation refused ('cannot-act-as') or a service failing. */
export interface GoogleFailure {
  /** The failure kind (errors.ts): 'cannot-act-as' is the delegation refused. */
  kind: string;
  /** The Google service that failed ('meet', 'classroom', 'auth'...). */
  service: string;
  /** A few words from Google (e.g. 'HTTP 503'); never personal data. */
  detail: string;
  /** The first failure of this kind in a row, and the latest one noted. */
  since: number;
  at: number;
}

/** A failure noted again this soon after the last is not written again (a store write a minute). */
const GOOGLE_FAILURE_REFRESH_MS = 5 * 60_000;

/**
 * R28: notes what Google refused. The lesson's version does not move (the log row is not
 * rewritten for it); the same failure is written again only every few minutes.
 */
export function noteGoogleFailure<T extends Lesson>(
  lesson: T,
  failure: { kind: string; service: string; detail: string },
  now: number,
): T {
  const had = lesson.googleFailure;
  const same = had && had.kind === failure.kind && had.service === failure.service;
  if (same && now - had.at < GOOGLE_FAILURE_REFRESH_MS) return lesson;
  return {
    ...lesson,
    googleFailure: {
      kind: failure.kind,
      service: failure.service,
      detail: failure.detail.slice(0, 120),
      since: same ? had.since : now,
      at: now,
    },
  };
}

/** Whether Google refused to let the automation act as the teacher at a recent try (R28). */
export function delegationRefusedLately(lesson: LessonBase, now: number): boolean {
  const f = lesson.googleFailure;
  return (
    f !== undefined && f.kind === 'cannot-act-as' && now - f.at <= 2 * GOOGLE_FAILURE_REFRESH_MS
  );
}

/**
 * The safety steps that ask Google twice for a lesson they failed before (ask-twice.ts), named
 * as the lifecycle plan names them (lifecycle-plan.ts `DueAction`).
 */
export type SafetyStep = 'withdraw-link' | 'end-call';

/**
 * Whether Google failed this safety step for this lesson lately, so that the step asks twice in
 * the same round (R10, R28; why, in app/steps/ask-twice.ts). One rule for both steps: the step
 * failed before, the way the lesson keeps that step's own failures, and that failure may still
 * be going on.
 * - 'withdraw-link': Classroom's last failure for the lesson was a passing one (429, 5xx, no
 *   answer) within the last ten minutes. A failure is noted again only every five minutes
 *   (`noteGoogleFailure`), so ten minutes always sees one still going on. Not a refusal: a 403
 *   is asked of the class's other teachers instead, and delegation refused is refused again.
 *   Not another service's failure: Meet failing says nothing of Classroom.
 * - 'end-call': an earlier end of this open lesson's call failed, for any reason
 *   (`noteEndFailed`). It needs no clock: the count is kept only while the lesson is open, and
 *   a lesson stays open only until its call is ended and its room locked (or given up on), so
 *   every failure it counts is of a step still being asked for. A cancelled lesson's room keeps
 *   no count, and is asked once.
 */
export function safetyStepFailedLately(lesson: Lesson, step: SafetyStep, now: number): boolean {
  if (step === 'end-call') return lesson.status === 'open' && inCallOf(lesson).endFailures > 0;
  const f = lesson.googleFailure;
  return (
    f !== undefined &&
    f.kind === 'transient' &&
    f.service === 'classroom' &&
    now - f.at <= 2 * GOOGLE_FAILURE_REFRESH_MS
  );
}

/**
 * Whether Classroom's last answer for this lesson was a 403 for its teacher (and for each other
 * teacher the product asked): the teacher is no longer a teacher of the class, or Classroom
 * will not let the automation act as them there (R10, R28). Not a Google outage.
 */
export function classroomRefusedTeacher(lesson: LessonBase): boolean {
  const f = lesson.googleFailure;
  return f !== undefined && f.kind === 'forbidden' && f.service === 'classroom';
}

/** Times the lesson's own Calendar event was moved to, and when the move was seen (R1). */
export interface CalendarMove {
  start: number;
  end: number;
  at: number;
}

export interface RefusedMove extends CalendarMove {
  /** Why the lesson could not follow, in the words the teacher was given. */
  why: string[];
}

/**
 * What the lesson's own Calendar event did once the room had opened (R1, R10). The lesson keeps
 * its running times for safety and never runs past them: `cancelledAt` ends it at once (or is
 * only noted, when the event was deleted after the lesson ended); `attemptedMove` ends it at the
 * new end if that is earlier.
 */
export interface CalendarNotes {
  cancelledAt?: number;
  attemptedMove?: CalendarMove;
}

export interface StaffMember {
  userId: string;
  name: string;
  /**
   * Their address, kept only for a co-teacher who is not also the lesson's second adult, so the
   * room can let them in without knocking (R21). Absent on lessons scheduled before it was kept.
   */
  email?: string;
}

/** A teacher of the class, as the lesson keeps its co-teachers (names cut to 120 characters). */
export function coTeacherOf(
  t: { userId: string; name: string; email: string | null },
  secondStaff: string | null,
): StaffMember {
  const member: StaffMember = { userId: t.userId, name: t.name.slice(0, 120) };
  const email = t.email?.toLowerCase();
  if (email && email !== secondStaff?.toLowerCase()) member.email = email;
  return member;
}

export interface Lease {
  owner: string;
  until: number;
}

export type ScheduledLesson = LessonBase & { status: 'scheduled' };
/** What the product saw and decided inside the call (R12, R21, R22): in-call.ts. */
export interface InCallNotes {
  inCall?: InCall;
}

export type OpenLesson = LessonBase &
  CalendarNotes &
  InCallNotes & {
    status: 'open';
    room: Room;
    openedAt: number;
    post: Post;
    /** The running conference (`conferenceRecords/{id}`), once someone has joined. */
    conference: string | null;
    /** Participants already reported (their `participantTag`), so each is reported once (R13, R14). */
    reported: string[];
    /** When the room link was written onto the lesson's Calendar event (null: not yet). */
    roomShownAt: number | null;
    /** R9: the teacher let pupils chat from the sidebar; absent or false: hosts only, as the room is made. */
    pupilChat?: boolean;
  };
export type EndedLesson = LessonBase &
  CalendarNotes &
  InCallNotes & {
    status: 'ended';
    room: Room;
    openedAt: number;
    endedAt: number;
    post: Post;
    /** Kept from the open lesson so the close tells of an outsider no look saw (R22); dropped at close. */
    reported?: string[];
  };
export type ClosedLesson = LessonBase &
  CalendarNotes &
  InCallNotes & {
    status: 'closed';
    room: Room | null;
    openedAt: number | null;
    endedAt: number | null;
    closedAt: number;
    post: Post;
    report: LessonReport;
    /** The room's calls as Meet listed them at close, so the recordings job need not list them again. */
    conferences?: RoomCall[];
  };
/**
 * Cancelled before its room opened. (A record written by an earlier version may still hold a
 * room: cancelled while open. The monitor ends that call; new code keeps such lessons open.)
 */
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

/** The same lesson, due to be written to the log again (its row is not in the log in use). */
export function writeAgain<T extends Lesson>(lesson: T): T {
  return bump(lesson, {});
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

/**
 * R2: a declined lesson its teacher moves (the change the approver asked for, often) asks for
 * agreement again at the new time; an approved or pending one is unchanged.
 */
export function askAgainIfDeclined(lesson: ScheduledLesson): ScheduledLesson {
  if (lesson.approval.state !== 'declined') return lesson;
  return bump(lesson, { approval: { state: 'pending' } });
}

/** Flags that depend on when a lesson is: worked out again whenever its times change (R4). */
export const TIME_FLAG_CODES: readonly FlagCode[] = [
  'outside-lesson-hours',
  'too-long',
  'class-meets-too-often',
  'teacher-double-booked',
];

function withTimeFlags(flags: readonly Flag[], timeFlags: readonly Flag[]): Flag[] {
  return mergeFlags(
    flags.filter((f) => !TIME_FLAG_CODES.includes(f.code)),
    timeFlags.filter((f) => TIME_FLAG_CODES.includes(f.code)),
  );
}

/**
 * R1/R4: before its room opens, a lesson follows its event. `timeFlags` are the policy's flags
 * for the new times; the old times' flags go.
 */
export function reschedule(
  lesson: ScheduledLesson,
  start: number,
  end: number,
  timeFlags: readonly Flag[],
): ScheduledLesson {
  const { refusedMove: _gone, ...rest } = lesson;
  return bump(rest as ScheduledLesson, {
    start,
    end,
    flags: withTimeFlags(lesson.flags, timeFlags),
  });
}

/**
 * R1: a Calendar change the lesson cannot follow (a move the policy refuses, a deleted event
 * restored too late) is noted; the lesson keeps its times. The same change noted twice is one.
 */
export function refuseMove<T extends Lesson>(
  lesson: T,
  move: CalendarMove,
  why: readonly string[],
): T {
  const had = lesson.refusedMove;
  if (had && had.start === move.start && had.end === move.end) return lesson;
  return bump(lesson, { refusedMove: { ...move, why: [...why] } });
}

/** The event is back at the lesson's own times: any refused or attempted move is forgotten. */
export function calendarAgrees<T extends Lesson>(lesson: T): T {
  const open = lesson as T & CalendarNotes;
  if (lesson.refusedMove === undefined && open.attemptedMove === undefined) return lesson;
  const { refusedMove: _r, attemptedMove: _a, ...rest } = open;
  return { ...rest, version: lesson.version + 1 } as unknown as T;
}

/**
 * R1/R10: the event was moved after the room opened. The lesson keeps its running times (it
 * ends at the new end only if that is earlier: see `withdrawAt`, `endCallAt`); the attempt is
 * kept for the log and the messages.
 */
export function noteMove<T extends OpenLesson | EndedLesson | ClosedLesson>(
  lesson: T,
  move: CalendarMove,
): T {
  const had = lesson.attemptedMove;
  if (had && had.start === move.start && had.end === move.end) return lesson;
  return bump(lesson, { attemptedMove: { ...move } } as Partial<Lesson>);
}

/**
 * R1: a lesson cancelled from Calendar after it ended keeps everything (attendance, its log
 * row, its recording and the recording's purge date); the record only notes when.
 */
export function noteCancelledAfter<T extends EndedLesson | ClosedLesson>(
  lesson: T,
  now: number,
): T {
  if (lesson.cancelledAt !== undefined) return lesson;
  return bump(lesson, { cancelledAt: now } as Partial<Lesson>);
}

/**
 * R1: the deleted event of a lesson cancelled before its room opened was restored: the lesson is
 * scheduled again (at the event's times, with their flags), as long as it never had a room.
 */
export function restoreLesson(
  lesson: CancelledLesson,
  start: number,
  end: number,
  timeFlags: readonly Flag[],
): ScheduledLesson {
  if (lesson.room !== null || lesson.post.state !== 'none')
    throw new IllegalMove('A lesson whose room had opened cannot be brought back.');
  const { room: _r, post: _p, cancelledAt: _c, refusedMove: _m, ...rest } = lesson;
  return {
    ...rest,
    status: 'scheduled',
    start,
    end,
    flags: withTimeFlags(lesson.flags, timeFlags),
    version: lesson.version + 1,
  };
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
    roomShownAt: null,
    version: lesson.version + 1,
  };
}

/** The room link is on the lesson's Calendar event, where the teacher and the second adult find it. */
export function noteRoomShown(lesson: OpenLesson, now: number): OpenLesson {
  return { ...lesson, roomShownAt: now };
}

/** The room link was taken off the event again (it has guests who are not staff: event-guests.ts). */
export function noteRoomHidden(lesson: OpenLesson): OpenLesson {
  return { ...lesson, roomShownAt: null };
}

/**
 * R5, R7: whether the room link belongs on the lesson's event: not while the teacher has invited
 * guests who are not the lesson's staff (event-guests.ts).
 */
export function roomLinkOnEvent(lesson: Lesson): boolean {
  return !(lesson.eventGuests! > 0);
}

/** Records that a post is being created, before the call, so a lost answer cannot cause a second post. */
export function beginPosting(lesson: OpenLesson, now: number): OpenLesson {
  if (lesson.post.state !== 'none')
    throw new IllegalMove(`The link is already ${lesson.post.state}.`);
  return bump(lesson, { post: { state: 'posting', since: now } });
}

/**
 * R6, R21: the link taken down while no member of staff was in the call goes back only with a
 * proof, seen after it came down, that the teacher is in the call again; and never while the
 * call is without staff or being ended. Marked "posting" (a new round, with its own marker)
 * before the post is created, like the first.
 */
export function resumePosting(lesson: OpenLesson, proof: HostInCall, now: number): OpenLesson {
  const post = lesson.post;
  if (post.state !== 'paused')
    throw new IllegalMove(`The link is ${post.state}; only a paused link can go back.`);
  if (proof.seenAt < post.withdrawnAt)
    throw new IllegalMove('The teacher must be seen in the call after the link came down.');
  const inCall = inCallOf(lesson);
  if (openGap(inCall) !== null || inCall.end !== null)
    throw new IllegalMove('No member of staff is in the call, or it is being ended.');
  return bump(lesson, {
    post: { state: 'posting', since: now, round: post.round + 1, resumes: post },
  });
}

/** R6: the link is shared only with proof that the host is in the call. */
export function shareLink(
  lesson: OpenLesson,
  proof: HostInCall,
  postId: string,
  now: number,
): OpenLesson {
  const post = lesson.post;
  if (post.state === 'live' || post.state === 'withdrawn' || post.state === 'paused') {
    throw new IllegalMove('The link was already shared for this lesson.');
  }
  if (post.state === 'posting' && post.resumes && proof.seenAt < post.resumes.withdrawnAt)
    throw new IllegalMove('The teacher must be seen in the call after the link came down.');
  const round = post.state === 'posting' ? (post.round ?? 1) : 1;
  const changes: Partial<OpenLesson> = {
    post:
      round > 1
        ? { state: 'live', id: postId, sharedAt: now, round }
        : { state: 'live', id: postId, sharedAt: now },
  };
  if (post.state === 'posting' && post.resumes)
    changes.inCall = noteLinkBack(inCallOf(lesson), now);
  return bump(lesson, changes as Partial<Lesson>);
}

/**
 * A create that never happened: the post state goes back to none (or to the paused post it
 * was replacing). Only a post still being made can fail; a live or withdrawn one keeps its id,
 * or the link could stay on Classroom with nothing left to withdraw it (R10).
 */
export function postingFailed(lesson: OpenLesson): OpenLesson {
  if (lesson.post.state === 'none') return lesson;
  if (lesson.post.state !== 'posting')
    throw new IllegalMove(`The link is ${lesson.post.state}; only a post being made can fail.`);
  return bump(lesson, { post: lesson.post.resumes ?? { state: 'none' } });
}

/**
 * R28: Google failed to post the link (429, 5xx, no answer). It stays "posting" (tried again
 * next minute) and keeps when the failures began, and whether the teacher was told, so that
 * the log can say the link went up late because of Google and the teacher is told once.
 */
export function notePostingFailed(lesson: OpenLesson, now: number, told: boolean): OpenLesson {
  const post = lesson.post;
  if (post.state !== 'posting') return lesson;
  if (post.failedSince !== undefined && !told) return lesson;
  return bump(lesson, {
    post: { ...post, failedSince: post.failedSince ?? now, ...(told ? { toldAt: now } : {}) },
  });
}

/**
 * R10: the link leaves Classroom. `id` is null when the post was never found. While a gap
 * with no member of staff is open in a running call (R21) the post is only paused: it may go
 * back if the teacher returns in time (`resumePosting`); otherwise it is withdrawn for good.
 */
export function withdrawLink<T extends LessonWithPost>(lesson: T, now: number): T {
  const post = lesson.post;
  if (post.state !== 'live' && post.state !== 'posting') return lesson;
  const id = post.state === 'live' ? post.id : null;
  const sharedAt = post.state === 'live' ? post.sharedAt : post.since;
  const round = post.round ?? 1;
  if (pausesForStaff(lesson)) {
    const open = lesson as OpenLesson;
    return bump(lesson, {
      post: { state: 'paused', id, sharedAt, withdrawnAt: now, round },
      inCall: noteGapWithdrawn(inCallOf(open), now),
    } as Partial<Lesson>);
  }
  return bump(lesson, { post: { state: 'withdrawn', id, sharedAt, withdrawnAt: now } });
}

/**
 * A running lesson whose link comes down only because staff are away (R21), not for good. A call
 * the automation could not watch (cannot-watch.ts) keeps its link down for good: nobody could
 * see the teacher come back.
 */
function pausesForStaff(lesson: LessonWithPost): boolean {
  if (lesson.status !== 'open' || lesson.cancelledAt !== undefined) return false;
  if (hasFlag(lesson.flags, 'cannot-watch')) return false;
  const inCall = inCallOf(lesson);
  const gap = openGap(inCall);
  return gap !== null && gap.alertedAt !== null && inCall.end === null;
}

/** R10: the call is over for everyone and the room is locked. */
export function endLesson(lesson: OpenLesson, now: number): EndedLesson {
  const { conference: _c, roomShownAt: _s, ...rest } = lesson;
  const ended: EndedLesson = {
    ...rest,
    status: 'ended',
    endedAt: now,
    version: lesson.version + 1,
  };
  if (lesson.inCall) ended.inCall = noteCallEnded(lesson.inCall, now);
  return ended;
}

/** What a look at the call decided (in-call.ts); unchanged state leaves the lesson as it is. */
export function noteInCall<T extends OpenLesson | EndedLesson>(lesson: T, inCall: InCall): T {
  if (lesson.inCall === inCall) return lesson;
  if (JSON.stringify(lesson.inCall ?? null) === JSON.stringify(inCall)) return lesson;
  return bump(lesson, { inCall } as Partial<Lesson>);
}

/** R9: what the teacher last set for pupils' chat, so the card can show it. */
export function notePupilChat(lesson: OpenLesson, allowed: boolean): OpenLesson {
  return (lesson.pupilChat ?? false) === allowed ? lesson : { ...lesson, pupilChat: allowed };
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
  const { reported: _r, ...kept } = lesson as EndedLesson;
  const base = {
    ...kept,
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

/**
 * R1: the lesson's event was deleted. Before the room opened the lesson is simply cancelled.
 * Once it is open it stays open, with `cancelledAt` as its end: the link is withdrawn and the
 * call ended at once, then it closes like any other lesson (attendance, a complete log row,
 * its recording collected), its log row saying it was cancelled during the lesson.
 */
export function cancelLesson(lesson: ScheduledLesson, now: number): CancelledLesson;
export function cancelLesson(lesson: OpenLesson, now: number): OpenLesson;
export function cancelLesson(
  lesson: ScheduledLesson | OpenLesson,
  now: number,
): CancelledLesson | OpenLesson;
export function cancelLesson(
  lesson: ScheduledLesson | OpenLesson,
  now: number,
): CancelledLesson | OpenLesson {
  if (lesson.status === 'open')
    return lesson.cancelledAt !== undefined ? lesson : bump(lesson, { cancelledAt: now });
  const { refusedMove: _m, ...rest } = lesson;
  return {
    ...rest,
    status: 'cancelled',
    room: null,
    post: { state: 'none' },
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

/** The link may be on Classroom (a paused or withdrawn link is not). */
export function linkIsLive(lesson: Lesson): boolean {
  return 'post' in lesson && (lesson.post.state === 'live' || lesson.post.state === 'posting');
}

/** A lesson's times and what its Calendar event did to them: all the clock below needs. */
type Clocked = LessonBase & CalendarNotes;

/**
 * When the lesson must be over (R10): its scheduled end, or earlier when its event was deleted
 * or moved to an earlier end while it ran. Never later than scheduled: a move after the room
 * opened cannot make a lesson run on.
 */
export function effectiveEnd(lesson: Clocked): number {
  let end = lesson.end;
  if (lesson.cancelledAt !== undefined) end = Math.min(end, lesson.cancelledAt);
  if (lesson.attemptedMove) end = Math.min(end, lesson.attemptedMove.end);
  return end;
}

/**
 * When the link must leave Classroom (R10): the set minutes before the end; at once when the
 * event was deleted; for an event moved to an earlier end, the set minutes before that end, or
 * at once if that time had already passed when the move was seen.
 */
export function withdrawAt(lesson: Clocked, withdrawBeforeEndMinutes: number): number {
  const before = withdrawBeforeEndMinutes * 60_000;
  let at = lesson.end - before;
  if (lesson.cancelledAt !== undefined) at = Math.min(at, lesson.cancelledAt);
  const move = lesson.attemptedMove;
  if (move) at = Math.min(at, Math.max(move.end - before, move.at));
  return at;
}

/** When the call is ended for everyone (R10): the grace after the end, or at once when the event was deleted. */
export function endCallAt(lesson: Clocked, graceMinutes: number): number {
  const grace = graceMinutes * 60_000;
  let at = effectiveEnd(lesson) + grace;
  if (lesson.cancelledAt !== undefined) at = Math.min(at, lesson.cancelledAt);
  return Math.min(at, lesson.end + grace);
}

/**
 * R10: a link still on Classroom this long after its withdrawal fell due is reported to SLT:
 * at the scheduled end for an ordinary lesson, the same margin after a cancellation or move.
 */
export function linkAlertAt(lesson: Clocked, withdrawBeforeEndMinutes: number): number {
  return withdrawAt(lesson, withdrawBeforeEndMinutes) + withdrawBeforeEndMinutes * 60_000;
}
