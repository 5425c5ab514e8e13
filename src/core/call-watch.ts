// What one look at a lesson's call means (R6, R13, R14): whether the link may go to the class
// now (the teacher is in the call), and who in the call SLT, the DSL or the teacher must hear
// about at once. Pure: the monitor reads the call, the roster and the directory, and this
// decides; the notices it returns are sent by the shell.

import { type Flag, flag } from './flags';
import { type HostInCall, verifyHostInCall } from './host-presence';
import { addFlags, noteConference, noteReported, type OpenLesson, withdrawAt } from './lesson';
import { type AttendeeRole, type RosterPupil, roleOf } from './lesson-report';
import { type CallParticipant, participantTag } from './participants';
import type { CallNow, Notice } from './ports';
import type { SchoolSettings } from './settings';
import { shareHeldBack } from './share-policy';

/** Who is who in one lesson's call, as the roster and the directory said. */
export interface CallPeople {
  roster: ReadonlyMap<string, RosterPupil>;
  /** Staff by account id: co-teachers, the second adult, SLT/DSL/approvers seen in the call. */
  staff: ReadonlyMap<string, string>;
  /** Signed-in accounts the directory says are outside the school. */
  external: ReadonlySet<string>;
  /** Signed-in accounts the directory could not answer for this time: judged on the next look. */
  unverified: ReadonlySet<string>;
}

export interface CallAssessment {
  /** The lesson as this look leaves it (conference noted, people reported, flags). */
  lesson: OpenLesson;
  /** The same update, for the freshest copy of the lesson (someone may have acted meanwhile). */
  apply(fresh: OpenLesson): OpenLesson;
  /** Proof the teacher is in the call, when the link should go to the class now (R6). */
  share: HostInCall | null;
  notices: Notice[];
}

/** Someone in the call the teacher must know about now (R13, R14). */
type Concern =
  | { p: CallParticipant; role: Extract<AttendeeRole, 'uninvited' | 'external'> }
  | { p: CallParticipant; role: 'no-consent'; name: string };

export function assessCall(
  lesson: OpenLesson,
  call: CallNow,
  people: CallPeople,
  settings: SchoolSettings,
  now: number,
  options: { judgePeople: boolean } = { judgePeople: true },
): CallAssessment {
  const concerns = options.judgePeople ? findConcerns(lesson, call.participants, people) : [];
  const reported = reportConcerns(lesson, concerns, settings);
  const apply = (fresh: OpenLesson) =>
    addFlags(
      noteReported(
        noteConference(fresh, call.conference),
        concerns.map((x) => participantTag(x.p)),
      ),
      reported.flags,
    );
  const current = apply(lesson);
  const proof = verifyHostInCall(call.participants, current.teacherUserId, now);
  const share =
    proof &&
    current.post.state !== 'live' &&
    current.post.state !== 'withdrawn' &&
    now < withdrawAt(current, settings.withdrawBeforeEndMinutes) &&
    // R25: a 1:1's link waits for the teacher to confirm a parent/carer is in the room.
    !shareHeldBack(current, settings)
      ? proof
      : null;
  return { lesson: current, apply, share, notices: reported.notices };
}

/** Participants not yet reported who are neither the host nor the named second adult. */
export function unreportedOthers(
  lesson: OpenLesson,
  participants: readonly CallParticipant[],
): CallParticipant[] {
  return participants.filter(
    (p) =>
      p.userId !== lesson.teacherUserId &&
      (p.userId === null || p.userId !== lesson.secondStaffUserId) &&
      !lesson.reported.includes(participantTag(p)),
  );
}

function findConcerns(
  lesson: OpenLesson,
  participants: readonly CallParticipant[],
  people: CallPeople,
): Concern[] {
  const who = {
    teacherUserId: lesson.teacherUserId,
    staff: people.staff,
    externalUserIds: people.external,
  };
  return unreportedOthers(lesson, participants).flatMap((p): Concern[] => {
    if (p.userId && people.unverified.has(p.userId)) return [];
    const role = roleOf(p, who, people.roster);
    if (role === 'uninvited' || role === 'external') return [{ p, role }];
    // R13: a pupil whose parents have not consented is flagged while the lesson runs.
    const pupil = role === 'pupil' && p.userId ? people.roster.get(p.userId) : undefined;
    return pupil && !pupil.consent ? [{ p, role: 'no-consent', name: pupil.name }] : [];
  });
}

function reportConcerns(
  lesson: OpenLesson,
  concerns: readonly Concern[],
  settings: SchoolSettings,
): { flags: Flag[]; notices: Notice[] } {
  const external = concerns.filter((x) => x.role === 'external').length;
  const uninvited = concerns.filter((x) => x.role === 'uninvited').length;
  const noConsent = concerns.flatMap((x) => (x.role === 'no-consent' ? [x.name] : []));
  const flags: Flag[] = [];
  const notices: Notice[] = [];
  if (external > 0)
    flags.push(
      flag('external-participant', `${external} participant(s) from outside the school joined.`),
    );
  if (uninvited > 0)
    flags.push(
      flag('uninvited-participant', `${uninvited} participant(s) not on the class roster joined.`),
    );
  // R13: flagged while the lesson runs, on the teacher's lesson card and in the log. Not
  // emailed: at 300 lessons a minute one email each would spend the school's mail for the day.
  if (noConsent.length > 0)
    flags.push(
      flag('no-consent', `${noConsent.length} pupil(s) without recorded parental consent joined.`),
    );
  if (external + uninvited > 0) {
    notices.push({
      to: [lesson.teacher],
      subject: `Action needed in ${lesson.title}`,
      body:
        external > 0
          ? 'Someone from OUTSIDE the school is in your lesson. Policy: end the lesson now for everyone (use "End lesson" in the sidebar or in Meet), then report it.'
          : 'Someone who is not on your class roster is in your lesson. Remove them using Manage participants in Meet, then report it.',
    });
  }
  if (external > 0) {
    notices.push({
      to: [...settings.dslEmails, ...settings.sltEmails],
      subject: `Serious: an outside participant joined lesson ${lesson.id}`,
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): ${external} participant(s) from outside the school joined. The teacher has been told to end the lesson. Details are in the log.`,
    });
  }
  return { flags, notices };
}
