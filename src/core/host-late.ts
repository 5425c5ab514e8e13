// R6, R28: the lesson has started and its teacher is not in the call. The link goes to the class
// only once the teacher is in (host-presence.ts), so nothing is unsafe, but the class is waiting
// for a lesson nobody is running, and without this only the log's "host-never-joined" flag, at
// the close, would say so. The teacher hears a few minutes after the start (they may have
// forgotten, or joined with another account, which knocks and is never seen as them); SLT hear
// a little later if the teacher is still not in, so someone can cover or tell the class.
// Pure: the look at the call (watch-calls.ts) says whether the teacher is in now.

import { endAsked, inCallOf } from './in-call';
import type { OpenLesson } from './lesson';
import { sharingClosedAt } from './lifecycle-plan';
import type { Notice } from './ports';
import type { SchoolSettings } from './settings';
import { localTime } from './time';

/** The teacher is told this long after the start when they are not in the call. */
export const HOST_LATE_MINUTES = 2;
/** SLT are told this long after the start when the teacher is still not in the call. */
export const HOST_ABSENT_MINUTES = 10;

export interface HostLate {
  notices: Notice[];
  /** Marks on the lesson what was told, so each is told once. */
  apply(fresh: OpenLesson): OpenLesson;
}

/** The call as the look saw it: the teacher in it, and anyone else in it now. */
export interface CallNowSeen {
  teacherIn: boolean;
  othersIn: boolean;
}

/**
 * Who must hear, now, that the teacher is not in the lesson's call; null when nobody. A lesson
 * whose link has been on Classroom had its teacher in the call: the in-call rules (pupils
 * without staff) speak for it, not this. With nobody in the call, no pupil can be in it either
 * (the room admits only its members without a host's say, and pupils never are members), so the
 * emails say so; with someone in it (the second adult early, or pupils the teacher let in before
 * leaving) they say only what is sure, and the in-call rules judge who is there.
 */
export function hostLate(
  lesson: OpenLesson,
  { teacherIn, othersIn }: CallNowSeen,
  s: Pick<SchoolSettings, 'sltEmails' | 'timeZone' | 'withdrawBeforeEndMinutes'>,
  now: number,
): HostLate | null {
  // Once no link may go up any more (R10), joining cannot start the lesson: the log says it
  // did not take place, and nobody is asked to act on it.
  const closes = sharingClosedAt(lesson, s.withdrawBeforeEndMinutes);
  if (teacherIn || lesson.post.state !== 'none' || now >= closes) return null;
  if (endAsked(inCallOf(lesson))) return null;
  const since = now - lesson.start;
  const tellTeacher = since >= HOST_LATE_MINUTES * 60_000 && lesson.hostLateToldAt == null;
  const tellSlt =
    since >= HOST_ABSENT_MINUTES * 60_000 &&
    lesson.hostAbsentToldAt == null &&
    s.sltEmails.length > 0;
  if (!tellTeacher && !tellSlt) return null;
  const t = (ms: number) => localTime(ms, s.timeZone);
  const notices: Notice[] = [];
  if (tellTeacher)
    notices.push({
      to: [lesson.teacher],
      subject: `You are not in ${lesson.title}: your class has no link yet`,
      urgency: 'now',
      body: `${lesson.title} (${lesson.courseName}) started at ${t(lesson.start)}, and you are not in its Meet call as ${lesson.teacher}. The link goes to your class on Classroom only once you are in${othersIn ? ', so it has not gone to them' : ', so your pupils cannot join yet'}. Join before ${t(closes)} from your lesson card or the Calendar event, signed in as ${lesson.teacher} (another account is not seen as you). If you cannot teach this lesson, tell SLT so that they can arrange cover or let the class know.`,
    });
  if (tellSlt)
    notices.push({
      to: s.sltEmails,
      subject: `No teacher in ${lesson.title}: the class has had no link since ${t(lesson.start)}`,
      urgency: 'now',
      body: `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) started at ${t(lesson.start)}, and the teacher has not joined its call. The link has not gone to the class${othersIn ? ' (someone else is in the call: the in-call rules judge who, and alert you if pupils are there without staff)' : ', so no pupil can join: nothing is unsafe, but the class is waiting'}. Contact the teacher or arrange cover. The teacher ${lesson.hostLateToldAt != null || tellTeacher ? 'has been told by email' : 'is told by email'}. If the teacher joins before ${t(closes)}, the link goes to the class at once.`,
    });
  return {
    notices,
    apply: (fresh) => ({
      ...fresh,
      ...(tellTeacher && fresh.hostLateToldAt == null ? { hostLateToldAt: now } : {}),
      ...(tellSlt && fresh.hostAbsentToldAt == null ? { hostAbsentToldAt: now } : {}),
    }),
  };
}
