// R10, R28: a link still on Classroom at the scheduled end is something SLT must know, in
// words that say truthfully what has and has not been done.

import { flag } from '../../core/flags';
import {
  addFlags,
  delegationRefusedLately,
  endCallAt,
  type Lesson,
  markLinkLiveAlerted,
  withdrawLink,
} from '../../core/lesson';
import type { SchoolSettings } from '../../core/settings';
import { localTime } from '../../core/time';
import type { Deps } from '../deps';
import { outcome, type StepOutcome } from '../lesson-commits';
import { postMarker } from './stream-post';

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
      to: [...deps.settings.sltEmails, l.teacher],
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
  return (
    `The Meet link for ${lesson.title} (${lesson.courseName}, ${lesson.teacher}) is still on Google Classroom although it should have come down by now: Classroom has not yet let us delete the post. ` +
    `${call} We try again every minute. Please delete the post by hand in Classroom if you can (lesson ${lesson.id}).`
  );
}
