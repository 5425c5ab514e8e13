// What the teacher's sidebar shows for a lesson: its state in plain words and the one
// next action that makes sense now. Pure, so the cards only lay it out.

import { type FollowUp, followUpNotes } from './incident';
import type { Lesson } from './lesson';
import { linkIsLive, withdrawAt } from './lesson';
import type { SchoolSettings } from './settings';
import { localDate, localTime } from './time';

export type LessonActionId =
  | 'open'
  | 'share'
  | 'end'
  | 'log'
  | 'consent'
  | 'incident'
  | 'chat-on'
  | 'chat-off'
  | 'approve'
  | 'decline';

export interface LessonActionView {
  id: LessonActionId;
  label: string;
}

export interface LessonView {
  id: string;
  title: string;
  course: string;
  when: string;
  status: string;
  next: LessonActionView | null;
  more: LessonActionView[];
  notes: string[];
  /** Pupils of this class SLT must follow up before they join again (R15). */
  followUps: string[];
  meetingUri: string | null;
}

const INCIDENT: LessonActionView = { id: 'incident', label: 'Report an incident' };

export function lessonView(
  lesson: Lesson,
  now: number,
  s: SchoolSettings,
  viewer: string,
  followUps: readonly FollowUp[] = [],
): LessonView {
  const tz = s.timeZone;
  const when = `${localDate(lesson.start, tz)} ${localTime(lesson.start, tz)}–${localTime(lesson.end, tz)}`;
  const mine = lesson.teacher === viewer.toLowerCase();
  const notes: string[] = lesson.flags.map((f) => f.detail);
  const more: LessonActionView[] = [];
  let next: LessonActionView | null = null;
  let status: string;
  switch (lesson.status) {
    case 'scheduled':
      if (lesson.approval.state === 'pending') status = 'Awaiting approval';
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
    case 'open':
      status =
        lesson.post.state === 'live'
          ? `Live: link on Classroom until ${localTime(withdrawAt(lesson, s.withdrawBeforeEndMinutes), tz)}`
          : lesson.post.state === 'withdrawn'
            ? 'Link withdrawn: ending soon'
            : 'Room open: join it, then share with the class';
      if (mine) {
        next =
          lesson.post.state === 'none' || lesson.post.state === 'posting'
            ? { id: 'share', label: 'Share with class' }
            : { id: 'end', label: 'End lesson for everyone' };
        if (next.id !== 'end') more.push({ id: 'end', label: 'End lesson for everyone' });
        if (lesson.consentConfirmedAt === null)
          more.push({ id: 'consent', label: 'Confirm expectations and consent' });
        more.push(
          { id: 'chat-on', label: 'Let pupils chat' },
          { id: 'chat-off', label: 'Chat for hosts only' },
          INCIDENT,
        );
      }
      break;
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
      mine && lesson.status !== 'cancelled' ? followUpNotes(followUps, lesson.courseId, tz) : [],
    meetingUri: mine && 'room' in lesson && lesson.room ? lesson.room.meetingUri : null,
  };
}
