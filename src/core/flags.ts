// Policy flags: what SLT and the DSL must look at, in the policies' own words.

export type FlagCode =
  | 'outside-lesson-hours'
  | 'too-long'
  | 'class-meets-too-often'
  // R5, R7: the lesson's Calendar event has guests who are not its staff (event-guests.ts).
  | 'event-guests'
  // Policy 000: the teacher already hosts another lesson at that time (schedule-policy.ts).
  | 'teacher-double-booked'
  | 'not-approved'
  | 'declined'
  | 'host-never-joined'
  | 'no-second-staff'
  | 'one-to-one'
  | 'uninvited-participant'
  | 'external-participant'
  | 'no-consent'
  | 'link-withdraw-late'
  | 'not-recorded'
  | 'room-not-opened'
  // R28: Google, not the teacher, stopped the lesson (health.ts, close-lessons.ts).
  | 'google-failed'
  // R28: Classroom refused the teacher (403): they are no longer a teacher of the class.
  | 'teacher-not-on-class'
  | 'parent-present'
  | 'incident'
  // R21-R23, added with the in-call rules (call-watch.ts, in-call.ts).
  | 'staff-absent'
  | 'staff-absent-brief'
  | 'ended-for-safety'
  | 'call-not-ended'
  | 'room-not-locked'
  | 'phone-participant'
  | 'unverified-participant'
  | 'removed-pupil-joined'
  | 'one-to-one-in-call'
  // R21, R10: the automation could not watch a running call (cannot-watch.ts).
  | 'cannot-watch';

export type Severity = 'info' | 'warning' | 'serious';

export interface Flag {
  code: FlagCode;
  severity: Severity;
  /** Plain words for the log; never holds a pupil's name (R20: logs hold no personal pupil data). */
  detail: string;
}

export const FLAG_SEVERITY: Record<FlagCode, Severity> = {
  'outside-lesson-hours': 'warning',
  'too-long': 'warning',
  'class-meets-too-often': 'warning',
  /** The teacher invited people who are not the lesson's staff to its event: the link is kept off it. */
  'event-guests': 'warning',
  /** The teacher has another live lesson at the same time: one of the two calls waits without them. */
  'teacher-double-booked': 'warning',
  'not-approved': 'warning',
  declined: 'info',
  'host-never-joined': 'warning',
  'no-second-staff': 'serious',
  'one-to-one': 'serious',
  'uninvited-participant': 'warning',
  'external-participant': 'serious',
  'no-consent': 'warning',
  'link-withdraw-late': 'serious',
  'not-recorded': 'serious',
  'room-not-opened': 'warning',
  /** R28: the room could not be made because Google failed (Meet down, delegation refused): not the teacher's absence. */
  'google-failed': 'warning',
  /** R28: Classroom answered 403 for the teacher (taken off the class): not Google failing, not the teacher's absence. */
  'teacher-not-on-class': 'warning',
  /** Not a problem: the log's record that a 1:1 had a parent/carer in the room (R25, policy 001). */
  'parent-present': 'info',
  incident: 'serious',
  /** R21: pupils were in the call with no member of staff for longer than the school allows. */
  'staff-absent': 'serious',
  /** R21: pupils were seen without staff for less than that (a dropped connection, say). */
  'staff-absent-brief': 'warning',
  /** R21, R22: the product ended the call early, and why. */
  'ended-for-safety': 'serious',
  /** R10, R28: Meet would not end the call when it had to; SLT were told. */
  'call-not-ended': 'serious',
  /** R10: the call ended, but its room could still be joined again (Meet refused the lock). */
  'room-not-locked': 'warning',
  /** R14: a dial-in caller cannot be identified; the teacher was asked who it is. */
  'phone-participant': 'warning',
  /** R14: a signed-in account the directory could not check (403, 429, 5xx). */
  'unverified-participant': 'warning',
  /** R23: a pupil removed for behaviour joined before SLT cleared the follow-up. */
  'removed-pupil-joined': 'serious',
  /** R12: one pupil and one adult alone together in the call (`flagAs` lowers it where 1:1s are allowed). */
  'one-to-one-in-call': 'serious',
  /** R21: Google refused the teacher's account mid-call: nobody could watch it; the link came down. */
  'cannot-watch': 'serious',
};

export function flag(code: FlagCode, detail: string): Flag {
  return { code, severity: FLAG_SEVERITY[code], detail };
}

/** A flag whose severity depends on the school's settings (a 1:1 the school allows, R12). */
export function flagAs(code: FlagCode, severity: Severity, detail: string): Flag {
  return { code, severity, detail };
}

/** Adds flags, keeping one of each code (the newest detail wins). */
export function mergeFlags(existing: readonly Flag[], added: readonly Flag[]): Flag[] {
  const byCode = new Map<FlagCode, Flag>();
  for (const f of [...existing, ...added]) byCode.set(f.code, f);
  return [...byCode.values()];
}

export function hasFlag(flags: readonly Flag[], code: FlagCode): boolean {
  return flags.some((f) => f.code === code);
}

export function isSerious(flags: readonly Flag[]): boolean {
  return flags.some((f) => f.severity === 'serious');
}
