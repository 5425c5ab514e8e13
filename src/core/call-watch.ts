// What one look at a lesson's call means (R6, R12-R14, R21-R23): whether the link may go to
// the class now (the teacher is in the call), whether it must come down or the call end (pupils
// left with no member of staff, an outsider admitted), and who SLT, the DSL or the teacher must
// hear about at once. Pure: the monitor reads the call, the roster and the directory, and this
// decides; the lesson carries the decision (in-call.ts), lifecycle-plan.ts makes the withdrawal
// and the end due at once, and the notices it returns are sent by the shell.

import { type Flag, flag } from './flags';
import { type HostInCall, verifyHostInCall } from './host-presence';
import {
  askEnd,
  type CallPicture,
  endAsked,
  type InCall,
  inCallFlags,
  inCallOf,
  openGap,
  watchPresence,
} from './in-call';
import type { FollowUp } from './incident';
import {
  addFlags,
  noteConference,
  noteInCall,
  noteReported,
  type OpenLesson,
  withdrawAt,
} from './lesson';
import { type AttendeeRole, isOutsider, type RosterPupil, roleOf } from './lesson-report';
import { type CallParticipant, participantKey, participantTag } from './participants';
import type { CallNow, Notice } from './ports';
import type { SchoolSettings } from './settings';
import { shareHeldBack } from './share-policy';
import { localDate, localTime } from './time';

/** Who is who in one lesson's call, as the roster and the directory said. */
export interface CallPeople {
  /** The class's pupils; null when the roster could not be read this time (pupils not judged). */
  roster: ReadonlyMap<string, RosterPupil> | null;
  /** Staff by account id: co-teachers, the second adult, SLT/DSL/approvers. */
  staff: ReadonlyMap<string, string>;
  /** Signed-in accounts the directory says are outside the school. */
  external: ReadonlySet<string>;
  /** Signed-in accounts the directory could not answer for this time: judged on the next look. */
  unverified: ReadonlySet<string>;
  /** Pupils removed for behaviour whom SLT have not yet cleared (R23), by account id. */
  marked?: ReadonlyMap<string, FollowUp>;
  /** The named second adult's account id, once known (kept on the lesson: R11). */
  secondStaffUserId?: string | null;
}

export interface CallAssessment {
  /** The lesson as this look leaves it (conference noted, people reported, flags, in-call state). */
  lesson: OpenLesson;
  /** The same look, for the freshest copy of the lesson (someone may have acted meanwhile). */
  apply(fresh: OpenLesson): OpenLesson;
  /** Proof the teacher is in the call, when the link should go (or go back) to the class now (R6). */
  share: HostInCall | null;
  notices: Notice[];
}

/** One participant as this look sees them: `unknown` when the class roster could not be read. */
interface Seen {
  p: CallParticipant;
  role: AttendeeRole | 'unknown';
  present: boolean;
}

/** Someone the teacher (and for some, the DSL and SLT) must hear about now, once. */
type Concern =
  | { kind: 'outsider'; s: Seen }
  | { kind: 'phone'; s: Seen }
  | { kind: 'uninvited'; s: Seen }
  | { kind: 'no-consent'; s: Seen; name: string }
  | { kind: 'removed'; s: Seen; followUp: FollowUp };

export function assessCall(
  lesson: OpenLesson,
  call: CallNow,
  people: CallPeople,
  settings: SchoolSettings,
  now: number,
): CallAssessment {
  const first = look(lesson, call, people, settings, now);
  return {
    lesson: first.lesson,
    apply: (fresh) => look(fresh, call, people, settings, now).lesson,
    share: first.share,
    notices: first.notices,
  };
}

function look(
  lesson: OpenLesson,
  call: CallNow,
  people: CallPeople,
  s: SchoolSettings,
  now: number,
): { lesson: OpenLesson; share: HostInCall | null; notices: Notice[] } {
  const seen = classify(lesson, call, people);
  const step = watchPresence(inCallOf(lesson), pictureOf(seen), s, now);
  let inCall: InCall = step.state;

  // R22: an outsider in the call now ends the lesson where the school says so (policy 000).
  const outsidersIn = seen.filter((x) => x.present && isOutsider(x.role as AttendeeRole));
  if (outsidersIn.length > 0 && s.outsiderAction === 'end' && !endAsked(inCall))
    inCall = askEnd(inCall, 'outsider', now);

  const concerns = findConcerns(lesson, seen, people);
  const notices: Notice[] = [];
  const t = (ms: number) => localTime(ms, s.timeZone);
  const staffAndLeads = [lesson.teacher, ...s.dslEmails, ...s.sltEmails];

  if (step.alerted) {
    const gap = step.alerted;
    const endBy = t(gap.from + s.staffAbsentEndMinutes * 60_000);
    notices.push({
      to: staffAndLeads,
      subject: `Pupils alone in ${lesson.title}: no member of staff in the call`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): pupils have been in the call with no member of staff since ${t(gap.from)}. Policy: the teacher is the last to leave and stays on the line. The link is being taken off Classroom now. If no member of staff is back in the call by ${endBy}, the call will be ended for everyone and the room locked. Teacher: rejoin the call now (the link on your lesson card), and the link goes back to the class.`,
    });
  }
  if (step.endAsked) {
    notices.push({
      to: staffAndLeads,
      subject: `Call ended: ${lesson.title} had no member of staff`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): no member of staff has been in the call since ${t(step.endAsked.from)}, ${s.staffAbsentEndMinutes} minute(s) or more. The call is being ended for everyone now and the room locked; pupils cannot re-enter. The log marks the lesson serious.`,
    });
  }
  if (step.oneToOneTold) {
    const allowed = s.allowOneToOne;
    notices.push({
      to: [lesson.teacher, ...s.dslEmails],
      subject: `1:1 in ${lesson.title}: one pupil alone with one adult`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): one pupil and one adult have been alone together in the call since ${t(step.oneToOneTold.from)}. ${
        allowed
          ? 'The school allows 1:1s (policy 001): the lesson is recorded and the DSL is told by this email.'
          : 'The school does not allow 1:1 lessons: bring in another member of staff or end the lesson. The log marks it serious.'
      }`,
    });
  }
  notices.push(...concernNotices(lesson, concerns, inCall, s));

  const flags = lookFlags(seen, concerns, inCall, s);
  const reportedTags = concerns.map((c) => tagOf(c));
  const apply = (fresh: OpenLesson): OpenLesson => {
    let next = noteConference(fresh, call.conference);
    next = noteReported(next, reportedTags);
    next = addFlags(next, flags);
    next = noteInCall(next, inCall);
    if (next.secondStaffUserId === null && people.secondStaffUserId)
      next = { ...next, secondStaffUserId: people.secondStaffUserId, version: next.version + 1 };
    return next;
  };
  const current = apply(lesson);
  const proof = verifyHostInCall(call.participants, current.teacherUserId, now);
  const post = current.post;
  const mayPost =
    post.state === 'none' ||
    post.state === 'posting' ||
    (post.state === 'paused' && proof !== undefined && proof.seenAt >= post.withdrawnAt);
  const share =
    proof &&
    mayPost &&
    !endAsked(inCallOf(current)) &&
    openGap(inCallOf(current)) === null &&
    now < withdrawAt(current, s.withdrawBeforeEndMinutes) &&
    // R25: a 1:1's link waits for the teacher to confirm a parent/carer is in the room.
    !shareHeldBack(current, s)
      ? proof
      : null;
  return { lesson: current, share, notices };
}

/** Everyone Meet lists for the call, once each, with their role. */
function classify(lesson: OpenLesson, call: CallNow, people: CallPeople): Seen[] {
  const byKey = new Map<string, CallParticipant>();
  // A list read in pages can name someone twice when people join meanwhile: once is enough,
  // and "in the call now" wins.
  for (const p of [...(call.departed ?? []), ...call.participants]) {
    const key = participantKey(p);
    const had = byKey.get(key);
    if (!had || had.lastLeft !== null) byKey.set(key, p);
  }
  const input = {
    teacherUserId: lesson.teacherUserId,
    staff: people.staff,
    externalUserIds: people.external,
    unverifiedUserIds: people.unverified,
  };
  return [...byKey.values()].map((p) => {
    let role: AttendeeRole | 'unknown' = roleOf(p, input, people.roster ?? new Map());
    if (people.roster === null && (role === 'uninvited' || role === 'unverified')) role = 'unknown';
    return { p, role, present: p.lastLeft === null };
  });
}

function isStaff(x: Seen): boolean {
  return x.role === 'host' || x.role === 'staff';
}

function pictureOf(seen: readonly Seen[]): CallPicture {
  const present = seen.filter((x) => x.present);
  const left = seen.filter((x) => !x.present).map((x) => x.p.lastLeft!);
  const staffLeft = seen.filter((x) => !x.present && isStaff(x)).map((x) => x.p.lastLeft!);
  return {
    staffIn: present.filter(isStaff).length,
    othersIn: present
      .filter((x) => !isStaff(x))
      .map((x) => ({ firstJoined: x.p.firstJoined, pupil: x.role === 'pupil' })),
    lastStaffLeft: staffLeft.length > 0 ? Math.max(...staffLeft) : null,
    lastLeft: left.length > 0 ? Math.max(...left) : null,
    latestJoinIn: present.length > 0 ? Math.max(...present.map((x) => x.p.firstJoined)) : 0,
  };
}

function tagOf(c: Concern): string {
  const tag = participantTag(c.s.p);
  // A removed pupil is reported for that as well as, say, missing consent.
  return c.kind === 'removed' ? `m${tag}` : tag;
}

function findConcerns(lesson: OpenLesson, seen: readonly Seen[], people: CallPeople): Concern[] {
  const concerns: Concern[] = [];
  for (const x of seen) {
    if (isStaff(x)) continue;
    const fresh = !lesson.reported.includes(participantTag(x.p));
    if (fresh) {
      if (isOutsider(x.role as AttendeeRole)) concerns.push({ kind: 'outsider', s: x });
      else if (x.role === 'phone') concerns.push({ kind: 'phone', s: x });
      else if (x.role === 'uninvited') concerns.push({ kind: 'uninvited', s: x });
      else if (x.role === 'pupil' && x.p.userId) {
        // R13: a pupil whose parents have not consented is flagged while the lesson runs.
        const pupil = people.roster?.get(x.p.userId);
        if (pupil && !pupil.consent) concerns.push({ kind: 'no-consent', s: x, name: pupil.name });
      }
    }
    // R23: a pupil SLT must follow up is caught at the door, in any class.
    const followUp = x.p.userId ? people.marked?.get(x.p.userId) : undefined;
    if (followUp && !lesson.reported.includes(`m${participantTag(x.p)}`))
      concerns.push({ kind: 'removed', s: x, followUp });
  }
  return concerns;
}

/** The flags of this look: counts and times only, never names (flags reach the log: R20). */
function lookFlags(
  seen: readonly Seen[],
  concerns: readonly Concern[],
  inCall: InCall,
  s: SchoolSettings,
): Flag[] {
  const count = (test: (x: Seen) => boolean) => seen.filter(test).length;
  const outsiders = count((x) => isOutsider(x.role as AttendeeRole));
  const uninvited = count((x) => x.role === 'uninvited');
  const phone = count((x) => x.role === 'phone');
  const unverified = count((x) => x.role === 'unverified');
  const flags: Flag[] = [];
  if (outsiders > 0)
    flags.push(
      flag(
        'external-participant',
        `${outsiders} participant(s) from outside the school or not signed in joined.${
          s.outsiderAction === 'end' ? ' The school ends the lesson (outsiderAction: end).' : ''
        }`,
      ),
    );
  if (uninvited > 0)
    flags.push(
      flag('uninvited-participant', `${uninvited} participant(s) not on the class roster joined.`),
    );
  if (phone > 0)
    flags.push(
      flag(
        'phone-participant',
        `${phone} participant(s) joined by phone: Meet cannot say who; the teacher was asked to confirm.`,
      ),
    );
  if (unverified > 0)
    flags.push(
      flag(
        'unverified-participant',
        `${unverified} signed-in participant(s) could not be checked with the school directory (it did not answer); they are checked again at every look.`,
      ),
    );
  const noConsent = concerns.filter((c) => c.kind === 'no-consent').length;
  if (noConsent > 0)
    flags.push(
      flag('no-consent', `${noConsent} pupil(s) without recorded parental consent joined.`),
    );
  const removed = concerns.filter((c) => c.kind === 'removed').length;
  if (removed > 0)
    flags.push(
      flag(
        'removed-pupil-joined',
        `${removed} pupil(s) removed from an earlier lesson joined before SLT cleared the follow-up; the teacher and SLT were told.`,
      ),
    );
  flags.push(...inCallFlags(inCall, s));
  return flags;
}

function concernNotices(
  lesson: OpenLesson,
  concerns: readonly Concern[],
  inCall: InCall,
  s: SchoolSettings,
): Notice[] {
  const notices: Notice[] = [];
  const t = (ms: number) => localTime(ms, s.timeZone);
  const names = (kind: Concern['kind']) =>
    concerns.filter((c) => c.kind === kind).map((c) => describe(c.s, t));
  const outsiders = names('outsider');
  const uninvited = names('uninvited');
  const ending = inCall.end?.why === 'outsider';
  const what = `Someone from OUTSIDE the school (or not signed in) was admitted to ${lesson.title}: ${outsiders.join('; ')}.`;
  const notOnRoster = `Someone who is not on your class roster is in your lesson: ${uninvited.join('; ')}. Remove them using Manage participants in Meet, then report it.`;
  if (outsiders.length > 0 && ending)
    notices.push({
      to: [lesson.teacher],
      subject: `Lesson ended: an outsider joined ${lesson.title}`,
      body: [
        `${what} Policy: the session is ended immediately. The link has been taken off Classroom and the call is being ended for everyone now; the room is locked. Please report it (Report an incident on the lesson card).`,
        uninvited.length > 0 ? notOnRoster : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    });
  else if (outsiders.length > 0 || uninvited.length > 0)
    notices.push({
      to: [lesson.teacher],
      subject: `Action needed in ${lesson.title}`,
      body: [
        outsiders.length > 0
          ? `${what} Policy: end the lesson now for everyone (use "End lesson" in the sidebar or in Meet), then report it.`
          : '',
        uninvited.length > 0 ? notOnRoster : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    });
  if (outsiders.length > 0)
    notices.push({
      to: [...s.dslEmails, ...s.sltEmails],
      subject: `Serious: an outside participant joined lesson ${lesson.id}`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): ${what} ${
        ending
          ? 'The school ends the lesson when this happens: the link is being withdrawn and the call ended for everyone, the room locked.'
          : 'The school alerts only (outsiderAction: alert): the teacher has been told to end the lesson.'
      } Details are in the log.`,
    });
  const phones = names('phone');
  if (phones.length > 0)
    notices.push({
      to: [lesson.teacher],
      subject: `Who is on the phone in ${lesson.title}?`,
      body: `Someone joined ${lesson.title} by phone: ${phones.join('; ')}. Meet cannot say who a caller is. Confirm now who it is (ask them); if you cannot, remove them using Manage participants in Meet, or end the lesson. The log records the call.`,
    });
  // R13: a pupil without consent is flagged on the teacher's card and in the log while the lesson
  // runs, not emailed: at 300 lessons a minute one email each would spend the day's mail.
  const removed = concerns.flatMap((c) => (c.kind === 'removed' ? [c] : []));
  if (removed.length > 0) {
    const list = removed
      .map(
        (c) =>
          `${c.followUp.personName} (removed from a lesson on ${localDate(c.followUp.at, s.timeZone)})`,
      )
      .join('; ');
    notices.push({
      to: [lesson.teacher, ...s.sltEmails],
      subject: `Removed pupil joined ${lesson.title}: SLT follow-up not cleared`,
      body: `In lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): ${list}. Policy: SLT follow up with parents before the pupil joins a live lesson again, and SLT have not cleared this yet. Teacher: remove the pupil using Manage participants in Meet. SLT: clear the follow-up in the log's Follow-ups sheet or from the sidebar once it is done.`,
    });
  }
  return notices;
}

/** How a participant is named in an email to staff (names may go by email, never into logs). */
function describe(x: Seen, t: (ms: number) => string): string {
  const how =
    x.role === 'anonymous'
      ? 'not signed in'
      : x.role === 'phone'
        ? 'by phone'
        : x.role === 'external'
          ? 'an account outside the school'
          : 'a school account';
  const when = x.present
    ? `in the call since ${t(x.p.firstJoined)}`
    : `in the call ${t(x.p.firstJoined)}–${t(x.p.lastLeft!)}, now gone`;
  return `"${x.p.displayName}" (${how}, ${when})`;
}
