// R21 "never alone" and R12 "1:1 noticed while it happens", as one open lesson's memory of its
// call. Policy 000: the teacher "must be the last person to leave"; 003: teachers "remain on the
// line". Each look at the call (call-watch.ts) brings a picture of who is in it now; this file
// decides, from the picture and what earlier looks saw, when pupils have been without a member
// of staff for too long (the link comes down, people are told), when the call must end, and when
// one pupil and one adult have been alone together. The steps that act (withdraw-links,
// end-calls) read the decisions from the lesson (lifecycle-plan.ts), so the next pass of the
// same run acts on them, safety steps first. Pure: `now` and the settings are passed in.

import { type Flag, flag, flagAs } from './flags';
import type { SchoolSettings } from './settings';
import { localTime } from './time';

/** Pupils (or anyone who is not staff) in the call with no member of staff, from `from`. */
export interface StaffGap {
  /** When the last member of staff left (Meet's latestEndTime), or the first pupil came in alone. */
  from: number;
  /**
   * When a look saw a member of staff back or everyone gone (they came back or left between two
   * looks), or when the call was ended; null while it lasts.
   */
  to: number | null;
  /** What closed it. Absent while it lasts. */
  closedBy?: 'staff' | 'empty' | 'ended';
  /** Longer than staffAbsentAlertSeconds: the link is taken down and the teacher, DSL and SLT told. */
  alertedAt: number | null;
  /** When the link came off Classroom for this gap (lesson.ts `withdrawLink`). */
  withdrawnAt: number | null;
  /** When the link went back on Classroom, once the teacher was seen in the call again. */
  linkBackAt: number | null;
  /** Longer than staffAbsentEndMinutes: the call is to be ended for everyone. */
  endAskedAt: number | null;
  /** When the call was ended for everyone (lesson.ts `endLesson`). */
  endedAt: number | null;
  /**
   * When the class's teachers were read again for this gap, for a colleague added to the class
   * since the lesson was scheduled, to cover (cover.ts). Absent until then.
   */
  coverReadAt?: number;
}

/** A stretch of one pupil alone with one adult (R12), once it was long enough to be told. */
export interface OneToOneStretch {
  from: number;
  to: number | null;
  toldAt: number | null;
}

/** Why the product ends a call before its time (R21, R22). */
export type EarlyEndReason = 'staff-absent' | 'outsider';

export interface InCall {
  /** Every gap seen, oldest first; the last is open while `to` is null. */
  gaps: StaffGap[];
  /** The call must be ended now; `doneAt` once it was. */
  end: { at: number; why: EarlyEndReason; doneAt: number | null } | null;
  /** The 1:1 in progress, and those that were told. */
  oneToOne: OneToOneStretch | null;
  oneToOnes: OneToOneStretch[];
  /** Failed attempts to end the call when it had to end; SLT are told once (R28). */
  endFailures: number;
  endFailureToldAt: number | null;
  /**
   * Failed attempts to lock the room after its call ended (R10: nobody can re-enter); SLT are
   * told once. Absent on records stored before locking was counted apart from ending.
   */
  lockFailures?: number;
  lockFailureToldAt?: number | null;
  /** When the room was locked at a later try, after failures. */
  lockedAt?: number | null;
}

export const NO_IN_CALL: InCall = {
  gaps: [],
  end: null,
  oneToOne: null,
  oneToOnes: [],
  endFailures: 0,
  endFailureToldAt: null,
};

/** Gaps kept per lesson: a lesson record is one script property (9 KB); older gaps are merged into a count. */
export const MAX_GAPS = 12;

/** Who is in the call now, as staff and everyone else (pupils, guests, callers, the unverified). */
export interface CallPicture {
  /** Members of staff in the call now (the teacher, co-teachers, the second adult, SLT/DSL/approvers). */
  staffIn: number;
  /** Everyone else in the call now: when each first joined, and whether they are a roster pupil. */
  othersIn: readonly { firstJoined: number; pupil: boolean }[];
  /** When the last member of staff left this call (Meet's latestEndTime); null if none has left. */
  lastStaffLeft: number | null;
  /** When anyone last left this call; null if nobody has. */
  lastLeft: number | null;
  /** The latest first-join among those in the call now. */
  latestJoinIn: number;
}

/** What one look decided, besides the new state: each is reported once, when it happens. */
export interface PresenceStep {
  state: InCall;
  /** A gap just went over the alert limit. */
  alerted: StaffGap | null;
  /** A gap just went over the end limit: the call is to end. */
  endAsked: StaffGap | null;
  /** A gap closed by this look. */
  closed: StaffGap | null;
  /** A 1:1 just became long enough to tell the teacher and the DSL. */
  oneToOneTold: OneToOneStretch | null;
}

export function inCallOf(lesson: { inCall?: InCall }): InCall {
  return lesson.inCall ?? NO_IN_CALL;
}

export function openGap(state: InCall): StaffGap | null {
  const last = state.gaps[state.gaps.length - 1];
  return last && last.to === null ? last : null;
}

/** The link must stay off Classroom: a gap went over the alert limit and is still open. */
export function staffAlertOpen(state: InCall): boolean {
  const gap = openGap(state);
  return gap !== null && gap.alertedAt !== null;
}

export function endAsked(state: InCall): boolean {
  return state.end !== null && state.end.doneAt === null;
}

/**
 * When the open gap next goes over a limit a look acts on (the alert, then the end), or null.
 * The minute's looks fall at any second of a gap, so each limit could be seen up to a minute
 * after it passed; a run that would finish shortly before one looks again when it comes
 * (tick-plan.ts `gapLimitsBy`, monitor.ts). The times match `watchPresence`: the alert once
 * the gap is longer than staffAbsentAlertSeconds, the end once it is staffAbsentEndMinutes long.
 */
export function nextGapLimit(state: InCall, s: SchoolSettings): number | null {
  const gap = openGap(state);
  if (!gap) return null;
  if (gap.alertedAt === null) return gap.from + s.staffAbsentAlertSeconds * 1000 + 1;
  if (gap.endAskedAt === null) return gap.from + s.staffAbsentEndMinutes * 60_000;
  return null;
}

/** One look: updates the gaps and the 1:1 clock from who is in the call now. */
export function watchPresence(
  prev: InCall,
  picture: CallPicture,
  s: SchoolSettings,
  now: number,
): PresenceStep {
  const step: PresenceStep = {
    state: prev,
    alerted: null,
    endAsked: null,
    closed: null,
    oneToOneTold: null,
  };
  let gaps = prev.gaps;
  let end = prev.end;
  const open = openGap(prev);
  const alone = picture.othersIn.length > 0 && picture.staffIn === 0;
  if (alone) {
    const firstIn = Math.min(...picture.othersIn.map((o) => o.firstJoined));
    const gap: StaffGap = open
      ? { ...open }
      : {
          from: picture.lastStaffLeft === null ? firstIn : Math.max(picture.lastStaffLeft, firstIn),
          to: null,
          alertedAt: null,
          withdrawnAt: null,
          linkBackAt: null,
          endAskedAt: null,
          endedAt: null,
        };
    const away = now - gap.from;
    if (gap.alertedAt === null && away > s.staffAbsentAlertSeconds * 1000) {
      gap.alertedAt = now;
      step.alerted = gap;
    }
    if (gap.endAskedAt === null && away >= s.staffAbsentEndMinutes * 60_000) {
      gap.endAskedAt = now;
      step.endAsked = gap;
      if (end === null) end = { at: now, why: 'staff-absent', doneAt: null };
    }
    gaps = open ? [...gaps.slice(0, -1), gap] : keepGaps([...gaps, gap]);
  } else if (open) {
    const closed: StaffGap = {
      ...open,
      to: now,
      closedBy: picture.staffIn > 0 ? 'staff' : 'empty',
    };
    gaps = [...gaps.slice(0, -1), closed];
    step.closed = closed;
  }

  let oneToOne = prev.oneToOne;
  let oneToOnes = prev.oneToOnes;
  const pair = picture.staffIn === 1 && picture.othersIn.length === 1 && picture.othersIn[0]!.pupil;
  if (pair) {
    const since = oneToOne?.from ?? Math.max(picture.latestJoinIn, picture.lastLeft ?? -Infinity);
    oneToOne = oneToOne ?? { from: since, to: null, toldAt: null };
    if (oneToOne.toldAt === null && now - oneToOne.from >= s.oneToOneAlertMinutes * 60_000) {
      oneToOne = { ...oneToOne, toldAt: now };
      oneToOnes = [...oneToOnes, oneToOne].slice(-MAX_GAPS);
      step.oneToOneTold = oneToOne;
    }
  } else if (oneToOne) {
    // A stretch that was told is kept with its end; a short one is forgotten.
    if (oneToOne.toldAt !== null)
      oneToOnes = oneToOnes.map((o) => (o.from === oneToOne!.from ? { ...o, to: now } : o));
    oneToOne = null;
  }
  if (oneToOne && oneToOne.toldAt !== null)
    oneToOnes = oneToOnes.map((o) => (o.from === oneToOne!.from ? oneToOne! : o));

  step.state = { ...prev, gaps, end, oneToOne, oneToOnes };
  return step;
}

/** The call is empty (everyone left, or it ended): an open gap is over. */
export function callEmpty(prev: InCall, now: number): InCall {
  const open = openGap(prev);
  const oneToOne = prev.oneToOne;
  if (!open && !oneToOne) return prev;
  return {
    ...prev,
    gaps: open ? [...prev.gaps.slice(0, -1), { ...open, to: now, closedBy: 'empty' }] : prev.gaps,
    oneToOne: null,
    oneToOnes: oneToOne
      ? prev.oneToOnes.map((o) => (o.from === oneToOne.from ? { ...o, to: now } : o))
      : prev.oneToOnes,
  };
}

/** R22: the call must end now because someone from outside the school is in it. */
export function askEnd(prev: InCall, why: EarlyEndReason, now: number): InCall {
  return prev.end ? prev : { ...prev, end: { at: now, why, doneAt: null } };
}

/** The link came off Classroom while a gap was open (lesson.ts `withdrawLink`). */
export function noteGapWithdrawn(prev: InCall, now: number): InCall {
  const open = openGap(prev);
  if (!open || open.withdrawnAt !== null) return prev;
  return { ...prev, gaps: [...prev.gaps.slice(0, -1), { ...open, withdrawnAt: now }] };
}

/** The link went back on Classroom after the last gap (lesson.ts `shareLink`). */
export function noteLinkBack(prev: InCall, now: number): InCall {
  const last = prev.gaps[prev.gaps.length - 1];
  if (!last || last.withdrawnAt === null || last.linkBackAt !== null) return prev;
  return { ...prev, gaps: [...prev.gaps.slice(0, -1), { ...last, linkBackAt: now }] };
}

/** The call was ended for everyone (lesson.ts `endLesson`): an open gap and the end are over. */
export function noteCallEnded(prev: InCall, now: number): InCall {
  const open = openGap(prev);
  return {
    ...callEmpty(prev, now),
    gaps: open
      ? [...prev.gaps.slice(0, -1), { ...open, to: now, endedAt: now, closedBy: 'ended' as const }]
      : prev.gaps,
    end: prev.end && prev.end.doneAt === null ? { ...prev.end, doneAt: now } : prev.end,
  };
}

/** Ending the call failed once more (end-calls.ts). */
export function noteEndFailed(prev: InCall): InCall {
  return { ...prev, endFailures: prev.endFailures + 1 };
}

export function noteEndFailureTold(prev: InCall, now: number): InCall {
  return { ...prev, endFailureToldAt: now };
}

/** The room was locked at last, after failed tries (end-calls.ts). */
export function noteLocked(prev: InCall, now: number): InCall {
  return (prev.lockFailures ?? 0) > 0 && !prev.lockedAt ? { ...prev, lockedAt: now } : prev;
}

/** The call ended but locking its room failed once more (end-calls.ts). */
export function noteLockFailed(prev: InCall, told: number | null): InCall {
  return {
    ...prev,
    lockFailures: (prev.lockFailures ?? 0) + 1,
    lockFailureToldAt: prev.lockFailureToldAt ?? told,
  };
}

/**
 * What the log says about the call (R18, R21, R12): each gap (from, to, what was done), an early
 * end and why, each 1:1 that was told. Times are the school's, to the second where it matters.
 * No names: flags reach the log's Flags column and the teacher's card (R20).
 */
export function inCallFlags(state: InCall, s: SchoolSettings): Flag[] {
  const t = (ms: number) => clockTime(ms, s.timeZone);
  const flags: Flag[] = [];
  const long = state.gaps.filter((g) => g.alertedAt !== null);
  const brief = state.gaps.filter((g) => g.alertedAt === null && g.to !== null);
  if (long.length > 0)
    flags.push(
      flag(
        'staff-absent',
        `Pupils were in the call with no member of staff (policy: the teacher is last to leave): ${long
          .map((g) => gapText(g, t))
          .join('; ')}.`,
      ),
    );
  if (brief.length > 0)
    flags.push(
      flag(
        'staff-absent-brief',
        `Pupils were briefly in the call with no member of staff: ${brief
          .map((g) => spanText(g, t))
          .join('; ')}.`,
      ),
    );
  if (state.end) {
    const why =
      state.end.why === 'outsider'
        ? 'someone from outside the school was admitted (the school ends the lesson: outsiderAction is "end")'
        : `no member of staff was back within ${s.staffAbsentEndMinutes} minute(s)`;
    flags.push(
      flag(
        'ended-for-safety',
        state.end.doneAt !== null
          ? `The call was ended for everyone and the room locked at ${t(state.end.doneAt)}: ${why}.`
          : `The call is being ended for everyone (decided ${t(state.end.at)}): ${why}.`,
      ),
    );
  }
  if (state.endFailures > 0 && state.endFailureToldAt !== null)
    flags.push(
      flag(
        'call-not-ended',
        // Not "Meet refused": the cause may be delegation refused (the google-failed flag says).
        `The automation's requests to end the call failed ${state.endFailures} time(s); SLT were told at ${t(state.endFailureToldAt)}.`,
      ),
    );
  if ((state.lockFailures ?? 0) > 0)
    flags.push(
      flag(
        'room-not-locked',
        `The call was ended, but Meet refused to lock the room ${state.lockFailures} time(s)${state.lockedAt ? `; it was locked at ${t(state.lockedAt)}` : ', and it was left unlocked'}${state.lockFailureToldAt ? `; SLT were told at ${t(state.lockFailureToldAt)}` : ''}.`,
      ),
    );
  if (state.oneToOnes.length > 0)
    flags.push(
      flagAs(
        'one-to-one-in-call',
        s.allowOneToOne ? 'warning' : 'serious',
        `One pupil and one adult were alone together in the call${s.allowOneToOne ? ' (the school allows 1:1s; the DSL was told)' : ' (the school does not allow 1:1s)'}: ${state.oneToOnes
          .map((o) => `from ${t(o.from)}${o.to !== null ? ` to ${t(o.to)}` : ''}`)
          .join('; ')}.`,
      ),
    );
  return flags;
}

function gapText(g: StaffGap, t: (ms: number) => string): string {
  const done: string[] = [];
  if (g.alertedAt !== null) done.push(`teacher, DSL and SLT told ${t(g.alertedAt)}`);
  if (g.withdrawnAt !== null) done.push(`link taken off Classroom ${t(g.withdrawnAt)}`);
  if (g.linkBackAt !== null) done.push(`link back on Classroom ${t(g.linkBackAt)}`);
  if (g.endedAt !== null) done.push(`call ended and room locked ${t(g.endedAt)}`);
  else if (g.endAskedAt !== null) done.push(`call to be ended ${t(g.endAskedAt)}`);
  return `${spanText(g, t)} (${done.join(', ')})`;
}

/** When a gap began and how it ended: staff came back (or everyone left) between two looks. */
function spanText(g: StaffGap, t: (ms: number) => string): string {
  if (g.to === null) return `from ${t(g.from)}, still going`;
  if (g.closedBy === 'staff')
    return `from ${t(g.from)} until a member of staff was back (seen ${t(g.to)})`;
  if (g.closedBy === 'empty') return `from ${t(g.from)} until everyone had left (seen ${t(g.to)})`;
  return `${t(g.from)}–${t(g.to)}`;
}

/** 'HH:MM:SS' in the school's zone (UK offsets are whole minutes, so seconds are the UTC ones). */
export function clockTime(ms: number, timeZone: string): string {
  const seconds = Math.floor((((ms % 60_000) + 60_000) % 60_000) / 1000);
  return `${localTime(ms, timeZone)}:${String(seconds).padStart(2, '0')}`;
}

/** Keeps the newest gaps; the oldest two are merged so that one record never outgrows its property. */
function keepGaps(gaps: StaffGap[]): StaffGap[] {
  if (gaps.length <= MAX_GAPS) return gaps;
  const [a, b, ...rest] = gaps as [StaffGap, StaffGap, ...StaffGap[]];
  const merged: StaffGap = {
    from: a.from,
    to: b.to,
    ...(b.closedBy ? { closedBy: b.closedBy } : {}),
    alertedAt: a.alertedAt ?? b.alertedAt,
    withdrawnAt: a.withdrawnAt ?? b.withdrawnAt,
    linkBackAt: b.linkBackAt ?? a.linkBackAt,
    endAskedAt: a.endAskedAt ?? b.endAskedAt,
    endedAt: b.endedAt ?? a.endedAt,
  };
  return [merged, ...rest];
}
