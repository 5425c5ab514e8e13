// The announcement that carries a lesson's link to its class (R6, R7, R10, R24): the link, when
// it will be removed, the school's code of conduct (so pupils and parents see the rules with the
// link), and a marker by which our own post is found again after a lost answer.

import { type Lesson, type OpenLesson, withdrawAt } from '../../core/lesson';
import type { StreamPost } from '../../core/ports';
import type { SchoolSettings } from '../../core/settings';
import { localTime } from '../../core/time';

/**
 * The text that marks our post, so it can be found again after a lost answer. A link posted
 * again after staff came back (R21) is a new post with its own marker, so the search for one
 * never finds the other.
 */
export function postMarker(lesson: Lesson): string {
  const post = 'post' in lesson ? lesson.post : null;
  const round = post && 'round' in post ? (post.round ?? 1) : 1;
  return round > 1 ? `(lesson ${lesson.id}, link ${round})` : `(lesson ${lesson.id})`;
}

export function streamPost(settings: SchoolSettings, lesson: OpenLesson): StreamPost {
  const marker = postMarker(lesson);
  const closes = localTime(
    withdrawAt(lesson, settings.withdrawBeforeEndMinutes),
    settings.timeZone,
  );
  const rules = settings.codeOfConduct.trim();
  const text = [
    `Live lesson now: ${lesson.title}. Your teacher is in the call: join with the link below. The link will be removed at ${closes}.`,
    // R24: the rules reach pupils and parents with the link (policies 000-003).
    rules,
    marker,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  return {
    text,
    url: lesson.room.meetingUri,
    title: `Join: ${lesson.title}`,
    marker,
  };
}
