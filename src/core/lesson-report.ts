// What happened in a lesson, worked out from who the Meet API saw against the
// Classroom roster (R11-R14, R21-R23): attendance, the second adult, 1:1s, uninvited and
// external people, guests and callers, accounts the directory could not check, removed
// pupils who came back, consent, what happened in the call, and the flags SLT must see.

import { type Flag, flag } from './flags';
import { type InCall, inCallFlags } from './in-call';
import { type CallParticipant, participantKey } from './participants';
import type { SchoolSettings } from './settings';

/**
 * Who someone was in the call. `external`: a signed-in account outside the school;
 * `anonymous`: a guest not signed in (also from outside, R22); `phone`: a dial-in caller, who
 * cannot be identified; `unverified`: a signed-in account the directory could not check.
 */
export type AttendeeRole =
  | 'host'
  | 'staff'
  | 'pupil'
  | 'uninvited'
  | 'external'
  | 'anonymous'
  | 'phone'
  | 'unverified';

/** Outsiders (R22): a signed-in account outside the school, or a guest who is not signed in. */
export function isOutsider(role: AttendeeRole): boolean {
  return role === 'external' || role === 'anonymous';
}

export interface AttendanceEntry {
  key: string;
  name: string;
  role: AttendeeRole;
  firstJoined: number | null;
  lastLeft: number | null;
  minutes: number;
  /** For roster pupils: whether the consent register says a parent agreed (R13). */
  consent: 'given' | 'missing' | 'n/a';
  /** What SLT should know beside the role: the named second adult (R11), a removed pupil (R23). */
  note?: string;
}

export interface LessonReport {
  hostJoinedAt: number | null;
  actualStart: number | null;
  actualEnd: number | null;
  durationMinutes: number;
  attendance: AttendanceEntry[];
  counts: {
    pupilsPresent: number;
    pupilsAbsent: number;
    staff: number;
    uninvited: number;
    /** Outsiders: signed-in accounts outside the school and guests who were not signed in. */
    external: number;
    /** Absent on reports stored before they were counted. */
    phone?: number;
    unverified?: number;
  };
  /** Who was the second adult (R11), or null. */
  secondStaff: string | null;
  flags: Flag[];
}

export interface RosterPupil {
  userId: string;
  name: string;
  consent: boolean;
}

export interface ReportInputs {
  teacherUserId: string;
  teacherName: string;
  participants: readonly CallParticipant[];
  roster: readonly RosterPupil[];
  /** Staff by account id (course teachers, the named second adult, other school staff seen). */
  staff: ReadonlyMap<string, string>;
  /** Signed-in accounts found to be outside the school's domain. */
  externalUserIds: ReadonlySet<string>;
  /** Signed-in accounts the directory could not check this time (R22: never guessed). */
  unverifiedUserIds?: ReadonlySet<string>;
  /** Pupils removed for behaviour whom SLT have not yet cleared (R23), by account id. */
  markedUserIds?: ReadonlySet<string>;
  /** The named second adult's account (R11), to say so beside their attendance. */
  secondStaffUserId?: string | null;
  allowOneToOne: boolean;
  now: number;
  /** What the watch saw in the call (R12, R21, R22), written up with the school's settings. */
  inCall?: { state: InCall; settings: SchoolSettings };
}

export function buildLessonReport(input: ReportInputs): LessonReport {
  const rosterById = new Map(input.roster.map((p) => [p.userId, p]));
  const attendance: AttendanceEntry[] = [];
  const seenPupils = new Set<string>();

  for (const p of mergeByPerson(input.participants)) {
    const role = roleOf(p, input, rosterById);
    const pupil = p.userId ? rosterById.get(p.userId) : undefined;
    if (pupil) seenPupils.add(pupil.userId);
    const entry: AttendanceEntry = {
      key: participantKey(p),
      name: pupil?.name ?? (role === 'host' ? input.teacherName : staffName(p, input.staff)),
      role,
      firstJoined: p.firstJoined,
      lastLeft: p.lastLeft,
      minutes: p.minutesInCall,
      consent: pupil ? (pupil.consent ? 'given' : 'missing') : 'n/a',
    };
    if (role === 'staff' && p.userId && p.userId === input.secondStaffUserId)
      entry.note = 'the second adult named for the lesson';
    if (p.userId && input.markedUserIds?.has(p.userId))
      entry.note = 'removed from an earlier lesson: SLT had not cleared the follow-up';
    attendance.push(entry);
  }
  for (const pupil of input.roster) {
    if (seenPupils.has(pupil.userId)) continue;
    attendance.push({
      key: `users/${pupil.userId}`,
      name: pupil.name,
      role: 'pupil',
      firstJoined: null,
      lastLeft: null,
      minutes: 0,
      consent: pupil.consent ? 'given' : 'missing',
    });
  }

  const present = attendance.filter((a) => a.firstJoined !== null);
  const count = (role: AttendeeRole) => present.filter((a) => a.role === role).length;
  const host = present.find((a) => a.role === 'host');
  // R11: the second adult is one who was in the call with the pupils, not one who looked in
  // before any came or after all had gone (Meet's first join and last leave; time away in
  // between is not known). With nobody but staff in the call, any member of staff counts.
  const others = present.filter((a) => a.role !== 'host' && a.role !== 'staff');
  const overlaps = (a: AttendanceEntry, b: AttendanceEntry) =>
    a.firstJoined! < (b.lastLeft ?? input.now) && b.firstJoined! < (a.lastLeft ?? input.now);
  const otherStaff = present.filter(
    (a) => a.role === 'staff' && (others.length === 0 || others.some((o) => overlaps(a, o))),
  );
  const starts = present.map((a) => a.firstJoined!);
  const ends = present.map((a) => a.lastLeft ?? input.now);
  const actualStart = starts.length ? Math.min(...starts) : null;
  const actualEnd = ends.length ? Math.max(...ends) : null;
  const counts = {
    pupilsPresent: count('pupil'),
    pupilsAbsent: attendance.filter((a) => a.role === 'pupil' && a.firstJoined === null).length,
    staff: count('host') + count('staff'),
    uninvited: count('uninvited'),
    external: count('external') + count('anonymous'),
    phone: count('phone'),
    unverified: count('unverified'),
  };

  const flags: Flag[] = [];
  if (!host)
    flags.push(
      flag('host-never-joined', 'The teacher never joined the call, so the link was never shared.'),
    );
  if (host && otherStaff.length === 0) {
    flags.push(
      flag(
        'no-second-staff',
        'Only one member of staff was present: the recording must be kept and reviewed.',
      ),
    );
  }
  if (counts.pupilsPresent === 1) {
    flags.push(
      flag(
        'one-to-one',
        input.allowOneToOne
          ? 'A 1:1 lesson (allowed by the school): it must be recorded and the DSL has been told.'
          : 'A 1:1 lesson, which the school does not allow.',
      ),
    );
  }
  if (counts.uninvited > 0)
    flags.push(
      flag(
        'uninvited-participant',
        `${counts.uninvited} participant(s) not on the class roster joined.`,
      ),
    );
  if (counts.external > 0)
    flags.push(
      flag(
        'external-participant',
        count('anonymous') > 0
          ? `${counts.external} participant(s) from outside the school joined (${count('anonymous')} not signed in).`
          : `${counts.external} participant(s) from outside the school joined.`,
      ),
    );
  if (count('phone') > 0)
    flags.push(
      flag(
        'phone-participant',
        `${count('phone')} participant(s) joined by phone: Meet cannot say who they were.`,
      ),
    );
  if (count('unverified') > 0)
    flags.push(
      flag(
        'unverified-participant',
        `${count('unverified')} signed-in participant(s) could not be checked with the school directory: see the Attendance sheet (role "unverified").`,
      ),
    );
  const noConsent = present.filter((a) => a.role === 'pupil' && a.consent === 'missing').length;
  if (noConsent > 0)
    flags.push(
      flag('no-consent', `${noConsent} pupil(s) joined without recorded parental consent.`),
    );
  const marked = present.filter((a) => a.note?.startsWith('removed')).length;
  if (marked > 0)
    flags.push(
      flag(
        'removed-pupil-joined',
        `${marked} pupil(s) removed from an earlier lesson joined before SLT cleared the follow-up.`,
      ),
    );
  if (input.inCall) flags.push(...inCallFlags(input.inCall.state, input.inCall.settings));

  return {
    hostJoinedAt: host?.firstJoined ?? null,
    actualStart,
    actualEnd,
    durationMinutes:
      actualStart !== null && actualEnd !== null
        ? Math.round((actualEnd - actualStart) / 60_000)
        : 0,
    attendance,
    counts,
    secondStaff: otherStaff.map((s) => s.name).join(', ') || null,
    flags,
  };
}

/**
 * Classifies one participant (R14, R22): staff first (whatever the directory said about anyone
 * else), roster pupils, outsiders, callers, accounts the directory could not check, and the
 * school accounts nobody invited. Guests and callers need no directory look-up at all.
 */
export function roleOf(
  p: CallParticipant,
  input: Pick<ReportInputs, 'teacherUserId' | 'staff' | 'externalUserIds' | 'unverifiedUserIds'>,
  roster: ReadonlyMap<string, RosterPupil>,
): AttendeeRole {
  if (p.kind === 'phone') return 'phone';
  if (p.kind !== 'signed-in' || !p.userId) return 'anonymous';
  if (p.userId === input.teacherUserId) return 'host';
  if (input.staff.has(p.userId)) return 'staff';
  if (roster.has(p.userId)) return 'pupil';
  if (input.externalUserIds.has(p.userId)) return 'external';
  if (input.unverifiedUserIds?.has(p.userId)) return 'unverified';
  return 'uninvited';
}

/**
 * A member of staff by the name the school knows them by (a co-teacher's Classroom name); one
 * known only by email (a second adult typed on the form) by their account's name in Meet.
 */
function staffName(p: CallParticipant, staff: ReadonlyMap<string, string>): string {
  const known = p.userId ? staff.get(p.userId) : undefined;
  if (known && !known.includes('@')) return known;
  return p.kind === 'signed-in' && p.displayName ? p.displayName : (known ?? p.displayName);
}

/** One entry per person across several conferences of the same room (someone rejoined). */
function mergeByPerson(participants: readonly CallParticipant[]): CallParticipant[] {
  const byKey = new Map<string, CallParticipant>();
  for (const p of participants) {
    const key = participantKey(p);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...p });
      continue;
    }
    // The same person in two calls of the room (or twice in one list that changed between pages).
    seen.firstJoined = Math.min(seen.firstJoined, p.firstJoined);
    seen.lastLeft =
      seen.lastLeft === null || p.lastLeft === null ? null : Math.max(seen.lastLeft, p.lastLeft);
    seen.minutesInCall += p.minutesInCall;
  }
  return [...byKey.values()];
}
