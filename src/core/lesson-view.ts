// What the sidebar shows for a lesson: for its teacher, its state in plain words and the one
// next action that makes sense now; for an approver, everything they need to decide (R2).
// Pure, so the cards only lay it out. Times are written as a UK teacher writes them
// ('Mon 23 Nov, 10:00–10:30'), in the school's zone; no internal id is ever part of the text.

import { type ClassConsent, consentNotes } from './class-consent';
import { inCallOf, openGap } from './in-call';
import { type FollowUp, followUpNotes } from './incident';
import type { Lesson } from './lesson';
import { linkIsLive, withdrawAt } from './lesson';
import type { SchoolSettings } from './settings';
import { PARENT_PRESENT_LABEL, shareHeldBack } from './share-policy';
import { localTime, ukTimeRange } from './time';

/**
 * What a lesson card's buttons ask for. 'ask-end' shows the confirmation; only its
 * 'end' ends the lesson. 'back' leaves the confirmation without ending anything.
 */
export type LessonActionId =
  | 'open'
  | 'share'
  | 'ask-end'
  | 'end'
  | 'back'
  | 'log'
  | 'consent'
  | 'parent-present'
  | 'incident'
  | 'chat';

export interface LessonActionView {
  id: LessonActionId;
  label: string;
}

export interface LessonView {
  id: string;
  title: string;
  course: string;
  /** 'Mon 23 Nov, 10:00–10:30' in the school's zone. */
  when: string;
  status: string;
  next: LessonActionView | null;
  more: LessonActionView[];
  notes: string[];
  /** Pupils of this class SLT must follow up before they join again, in any class (R15, R23). */
  followUps: string[];
  /** R13: the class's pupils not on the consent register, for its teacher until the end. */
  consent: string[];
  /** The room's link, for its teacher while the room is open: the first thing on their card. */
  room: { uri: string; code: string } | null;
  /** R9: whether pupils may chat now, for the teacher while the room is open; null otherwise. */
  pupilChat: boolean | null;
  /** R28: what the teacher must know first (the automation cannot act for them); null: nothing. */
  warning?: string | null;
}

/**
 * R28: the card's words while Google refuses to let the automation act as teachers: what the
 * teacher must now do themselves, from this card.
 */
export const AUTOMATION_CANNOT_ACT =
  'Safe Live Lessons cannot act for you right now (Google refused the automation’s access; your administrator has been told). Run this lesson yourself from here: Open room, join the call, then Share with class, and press End lesson for everyone before the end: nothing takes the link down or ends the call for you until it is fixed.';

/** R28: the same, when the automation's minute monitor has stopped running. */
export const MONITOR_STOPPED =
  'Safe Live Lessons is not acting for you right now: its minute monitor has stopped running. Run this lesson yourself from here: Open room, join the call, then Share with class, and press End lesson for everyone before the end: nothing takes the link down or ends the call for you until it runs again. Tell your administrator if they do not know.';

/** Why the automation is not acting for teachers now (R28), or null while it is. */
export type AutomationTrouble = 'delegation' | 'monitor' | null;

const INCIDENT: LessonActionView = { id: 'incident', label: 'Report an incident' };
export const END_LABEL = 'End lesson for everyone';

export function lessonView(
  lesson: Lesson,
  now: number,
  s: SchoolSettings,
  viewer: string,
  followUps: readonly FollowUp[] = [],
  /** R23: marks from other classes whose pupil is on this class's roster too. */
  alsoOnRoster: readonly FollowUp[] = [],
  /** R28: the automation is not acting for teachers now (delegation refused, monitor stopped). */
  automationTrouble: AutomationTrouble = null,
  /** R13: the class's consent, read for the teacher's card (null: not read, nothing shown). */
  classConsent: ClassConsent | null = null,
): LessonView {
  const tz = s.timeZone;
  const when = ukTimeRange(lesson.start, lesson.end, tz, now);
  const mine = lesson.teacher === viewer.toLowerCase();
  // Flags are for the teacher (and SLT, in the log): a guest opening the event sees none.
  const notes: string[] = mine ? lesson.flags.map((f) => f.detail) : [];
  const more: LessonActionView[] = [];
  let next: LessonActionView | null = null;
  let status: string;
  switch (lesson.status) {
    case 'scheduled':
      if (lesson.approval.state === 'pending')
        // An approver's own lesson needs someone else's agreement (R2).
        status =
          mine && s.approvers.includes(viewer.toLowerCase())
            ? 'Awaiting approval by another approver'
            : 'Awaiting approval';
      else if (lesson.approval.state === 'declined') status = `Declined: ${lesson.approval.reason}`;
      else status = 'Scheduled';
      if (
        mine &&
        lesson.approval.state !== 'pending' &&
        lesson.approval.state !== 'declined' &&
        now >= lesson.start - 30 * 60_000 &&
        now < lesson.end
      ) {
        next = { id: 'open', label: 'Open room' };
      }
      break;
    case 'open': {
      status =
        lesson.post.state === 'live'
          ? `Live: link on Classroom until ${localTime(withdrawAt(lesson, s.withdrawBeforeEndMinutes), tz)}`
          : lesson.post.state === 'withdrawn'
            ? 'Link withdrawn: ending soon'
            : lesson.post.state === 'paused'
              ? 'Link taken off Classroom: no member of staff was in the call. Rejoin now and it goes back.'
              : 'Room open: join it, then share with the class';
      // R21, R22: what the automation is doing about the call right now, in plain words.
      const inCall = inCallOf(lesson);
      const gap = openGap(inCall);
      if (inCall.end && inCall.end.doneAt === null)
        status =
          inCall.end.why === 'outsider'
            ? 'Ending now: someone from outside the school was admitted'
            : 'Ending now: no member of staff was in the call';
      else if (gap && gap.alertedAt !== null)
        status = `No member of staff in the call since ${localTime(gap.from, tz)}: link taken off Classroom; the call ends at ${localTime(gap.from + s.staffAbsentEndMinutes * 60_000, tz)} unless you rejoin`;
      if (mine) {
        next =
          lesson.post.state === 'none' || lesson.post.state === 'posting'
            ? { id: 'share', label: 'Share with class' }
            : { id: 'ask-end', label: END_LABEL };
        // R25: a 1:1's link waits for the teacher to confirm a parent/carer is in the room.
        if (next.id === 'share' && shareHeldBack(lesson, s)) {
          status = 'Room open: a 1:1, so confirm a parent/carer is present, then share';
          next = { id: 'parent-present', label: PARENT_PRESENT_LABEL };
        }
        if (next.id !== 'ask-end') more.push({ id: 'ask-end', label: END_LABEL });
        if (lesson.consentConfirmedAt === null)
          more.push({ id: 'consent', label: 'Confirm expectations and consent' });
        more.push(INCIDENT);
      }
      break;
    }
    case 'ended':
      status = 'Ended: writing the log';
      if (mine && lesson.teacherLogAt === null) next = { id: 'log', label: 'Write the lesson log' };
      if (mine) more.push(INCIDENT);
      break;
    case 'closed':
      status = `Closed: ${lesson.report.counts.pupilsPresent} pupil(s) attended`;
      if (mine && lesson.teacherLogAt === null) next = { id: 'log', label: 'Write the lesson log' };
      if (mine) more.push(INCIDENT);
      break;
    case 'cancelled':
      status = 'Cancelled';
      break;
  }
  if (linkIsLive(lesson) && now >= lesson.end)
    notes.unshift('The link is still being removed from Classroom.');
  return {
    id: lesson.id,
    title: lesson.title,
    course: lesson.courseName,
    when,
    status,
    next,
    more,
    notes,
    followUps:
      mine && lesson.status !== 'cancelled'
        ? [
            ...followUpNotes(followUps, lesson.courseId, tz),
            ...alsoOnRoster
              .filter((f) => f.courseId !== lesson.courseId)
              .flatMap((f) => followUpNotes([f], f.courseId, tz)),
          ]
        : [],
    consent: mine ? consentNotes(classConsent) : [],
    room:
      mine && lesson.status === 'open'
        ? { uri: lesson.room.meetingUri, code: lesson.room.meetingCode }
        : null,
    pupilChat: mine && lesson.status === 'open' ? (lesson.pupilChat ?? false) : null,
    warning:
      automationTrouble &&
      mine &&
      (lesson.status === 'open' || (lesson.status === 'scheduled' && now < lesson.end))
        ? automationTrouble === 'delegation'
          ? AUTOMATION_CANNOT_ACT
          : MONITOR_STOPPED
        : null,
  };
}

/** What an approver sees before deciding (R2): who, what, when, with whom, and what the policy saw. */
export interface ApprovalView {
  id: string;
  title: string;
  course: string;
  when: string;
  teacher: string;
  secondStaff: string;
  /** Why the lesson waits for someone's agreement, in plain words. */
  why: string[];
  /** The policy's flags for this lesson (what SLT will see), besides "awaiting approval". */
  flags: string[];
}

export function approvalView(lesson: Lesson, now: number, s: SchoolSettings): ApprovalView {
  const flags = lesson.flags.filter((f) => f.code !== 'not-approved').map((f) => f.detail);
  const why = [
    'The school needs the head teacher’s or a nominee’s agreement before any live lesson (policy 000). Its room cannot open until someone approves it.',
  ];
  if (flags.length > 0)
    why.push(
      `The policy flagged ${flags.length === 1 ? 'one thing' : `${flags.length} things`} for you to weigh (below).`,
    );
  return {
    id: lesson.id,
    title: lesson.title,
    course: lesson.courseName,
    when: ukTimeRange(lesson.start, lesson.end, s.timeZone, now),
    teacher: lesson.teacher,
    secondStaff: lesson.secondStaff ?? 'None named: the policy needs another adult present',
    why,
    flags,
  };
}
