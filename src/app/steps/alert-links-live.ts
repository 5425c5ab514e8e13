// R10, R28: a link still on Classroom at the scheduled end is something SLT must know, in
// words that say truthfully what has and has not been done.

import { flag } from '../../core/flags';
import {
  addFlags,
  classroomRefusedTeacher,
  delegationRefusedLately,
  endCallAt,
  type Lesson,
  markLinkLiveAlerted,
  withdrawLink,
} from '../../core/lesson';
import type { SchoolSettings } from '../../core/settings';
import { localTime } from '../../core/time';
import type { Deps } from '../deps';
import { admins } from '../health';
import { outcome, type StepOutcome } from '../lesson-commits';
import { postMarker } from './stream-post';
import { OTHER_TEACHERS_ASKED } from './withdraw-links';

export function alertLinksLive(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  // Classroom is asked first: a delete whose answer was lost leaves the product thinking the
  // link is up when it is gone, and SLT must not be told of a link that is not there.
  const found = deps.stream.find(
    lessons.map((l) => ({ teacher: l.teacher, courseId: l.courseId, marker: postMarker(l) })),
  );
  const gone = lessons.filter((_, i) => found[i] === null);
  const live = lessons.filter((_, i) => found[i] !== null);
  for (const l of gone) deps.log.info(`link for ${l.id} was already off Classroom`);
  return outcome({
    done: lessons.length,
    notices: live.map((l) => ({
      to: recipients(deps.settings, l, now),
      subject: `Link still live: ${l.title} (${l.courseName})`,
      body: linkLiveText(l, deps.settings, now),
      urgency: 'now' as const,
    })),
    changes: [
      ...gone.map((l) => ({
        id: l.id,
        apply: (fresh: Lesson) =>
          'post' in fresh && (fresh.post.state === 'live' || fresh.post.state === 'posting')
            ? withdrawLink(fresh, now)
            : fresh,
      })),
      ...live.map((l) => ({
        id: l.id,
        apply: (fresh: Lesson) =>
          fresh.linkLiveAlertedAt !== null
            ? fresh
            : markLinkLiveAlerted(
                addFlags(fresh, [
                  flag(
                    'link-withdraw-late',
                    'The link was still on Classroom when the lesson should have ended.',
                  ),
                ]),
                now,
              ),
      })),
    ],
  });
}

/**
 * SLT, and the teacher where they can act. A teacher Classroom refuses (taken off the class)
 * cannot delete the post: the admins hear instead, who can (R28).
 */
/**
 * SLT, and the teacher unless someone else must act: Classroom refusing the teacher is for an
 * admin; delegation refused was told to the teacher already, in their own steps, when it began
 * (health: "please run your lesson from the sidebar"), and this asks SLT to ask them (issue 8:
 * a whole school's delegation refused must not cost every teacher two more emails).
 */
function recipients(s: SchoolSettings, lesson: Lesson, now: number): string[] {
  if (classroomRefusedTeacher(lesson)) return [...new Set([...s.sltEmails, ...admins(s)])];
  if (delegationRefusedLately(lesson, now)) return [...s.sltEmails];
  return [...s.sltEmails, lesson.teacher];
}

function linkLiveText(lesson: Lesson, s: SchoolSettings, now: number): string {
  const endAt = localTime(endCallAt(lesson, s.endGraceMinutes), s.timeZone);
  // R28: with delegation refused the automation can neither delete the post nor end the call.
  if (delegationRefusedLately(lesson, now))
    return (
      `The Meet link for ${lesson.title} (${lesson.courseName}, ${lesson.teacher}) is still on Google Classroom although it should have come down by now: Google refuses to let the automation act as the teacher (domain-wide delegation), so it could not delete the post${lesson.status === 'open' ? ', and it cannot end the call, which is still running' : ''}. The administrator has been told. ` +
      `Please ask ${lesson.teacher} to press "End lesson for everyone" in the Safe Live Lessons sidebar now, or delete the post in Classroom${lesson.status === 'open' ? ' and end the call in Meet ("End call for everyone")' : ''} (lesson ${lesson.id}).`
    );
  const call =
    lesson.status === 'open'
      ? `The call is still running; it will be ended for everyone and the room locked at ${endAt}, which makes the link useless.`
      : 'The call has been ended for everyone and the room locked, so the link no longer lets anyone in.';
  const opening = `The Meet link for ${lesson.title} (${lesson.courseName}, ${lesson.teacher}) is still on Google Classroom although it should have come down by now: Classroom has not yet let us delete the post.`;
  // R28: Classroom's 403 for the teacher (and each other teacher asked) is said as what it means.
  if (classroomRefusedTeacher(lesson))
    return (
      `${opening} Classroom refuses (HTTP 403) to let the automation delete it as ${lesson.teacher}: they are no longer a teacher of the class in Classroom, or Google will not let the automation act as them there; ${othersAsked(lesson)}. ` +
      `${lesson.status === 'open' ? `The call is still running; it will be ended for everyone and the room locked at ${endAt}, so the link no longer lets anyone in once the call ends.` : 'The call has been ended for everyone and the room locked, so the link no longer lets anyone in.'}\n` +
      `Who can delete the post: the class's owner or another teacher of the class, or a Classroom or Google Workspace admin (an admin can put a teacher back on the class: the automation then deletes it within a minute). Open the class's Stream in Classroom and delete the post with the Meet link (lesson ${lesson.id}). We try again every minute.`
    );
  return (
    `${opening} ` +
    `${call} We try again every minute. Please delete the post by hand in Classroom if you can (lesson ${lesson.id}).`
  );
}

/** The class's other teachers the automation asked as well, or that it had none to ask. */
function othersAsked(lesson: Lesson): string {
  const others = (lesson.coTeachers ?? [])
    .filter((t) => t.userId !== lesson.teacherUserId)
    .map((t) => t.name)
    .slice(0, OTHER_TEACHERS_ASKED);
  return others.length === 0
    ? 'the class has no other teacher the automation could ask'
    : `the class's other ${others.length === 1 ? 'teacher' : 'teachers'} the automation asked (${others.join(', ')}) ${others.length === 1 ? 'was' : 'were'} refused too`;
}
