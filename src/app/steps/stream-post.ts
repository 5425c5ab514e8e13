// The announcement that carries a lesson's link to its class (R6, R7, R10): the link, when it
// will be removed, and a marker by which our own post is found again after a lost answer.

import { type Lesson, type OpenLesson, withdrawAt } from '../../core/lesson';
import type { StreamPost } from '../../core/ports';
import type { SchoolSettings } from '../../core/settings';
import { localTime } from '../../core/time';

/** The text that marks our post, so it can be found again after a lost answer. */
export function postMarker(lesson: Lesson): string {
  return `(lesson ${lesson.id})`;
}

export function streamPost(settings: SchoolSettings, lesson: OpenLesson): StreamPost {
  const marker = postMarker(lesson);
  const closes = localTime(
    withdrawAt(lesson, settings.withdrawBeforeEndMinutes),
    settings.timeZone,
  );
  return {
    text: `Live lesson now: ${lesson.title}. Your teacher is in the call: join with the link below. The link will be removed at ${closes}. ${marker}`,
    url: lesson.room.meetingUri,
    title: `Join: ${lesson.title}`,
    marker,
  };
}
