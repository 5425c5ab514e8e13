// R10: every link that is due comes off Classroom together: before the end, at once when a
// lesson is cancelled. Deleting is safe to repeat, so nothing is claimed first and nothing
// waits on the store: if the answer cannot be recorded, the next pass deletes again and
// Classroom answers "already gone".

import {
  type Lesson,
  type LessonWithPost,
  leaseHeldByOther,
  noteGoogleFailure,
  withdrawLink,
} from '../../core/lesson';
import type { PostRef } from '../../core/ports';
import type { Deps } from '../deps';
import { googleFailureOf } from '../health';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';
import { postMarker } from './stream-post';

export function withdrawLinks(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  const withPost = lessons.filter((l): l is LessonWithPost => 'post' in l);
  // A post whose creation answer was lost ("posting") is found by its marker first; one that
  // another execution is posting right now is left to it (it withdraws what it made).
  const posting = withPost.filter(
    (l) => l.post.state === 'posting' && !leaseHeldByOther(l, deps.executionId, now),
  );
  const found = deps.stream.find(
    posting.map((l) => ({ teacher: l.teacher, courseId: l.courseId, marker: postMarker(l) })),
  );
  const targets: { lesson: LessonWithPost; ref: PostRef | null }[] = [];
  let failed = 0;
  const changes: Change[] = [];
  // R28: what Google refused is kept on the lesson, so the alert says why the link is still up.
  const refused = (lesson: Lesson, error: Error) => {
    const failure = googleFailureOf(error);
    changes.push({ id: lesson.id, apply: (fresh) => noteGoogleFailure(fresh, failure, now) });
  };
  posting.forEach((lesson, i) => {
    const answer = found[i];
    if (answer instanceof Error) {
      failed += 1;
      refused(lesson, answer);
    } else
      targets.push({
        lesson,
        ref: answer ? { teacher: lesson.teacher, courseId: lesson.courseId, postId: answer } : null,
      });
  });
  for (const lesson of withPost)
    if (lesson.post.state === 'live')
      targets.push({
        lesson,
        ref: { teacher: lesson.teacher, courseId: lesson.courseId, postId: lesson.post.id },
      });

  const toRemove = targets.filter((t) => t.ref !== null);
  const answers = deps.stream.remove(toRemove.map((t) => t.ref!));
  let done = 0;
  for (const t of targets) {
    const index = toRemove.indexOf(t);
    const answer = index >= 0 ? answers[index] : null;
    if (answer) {
      failed += 1;
      refused(t.lesson, answer);
      continue;
    }
    done += 1;
    const postId = t.ref?.postId ?? null;
    deps.log.info(`withdrew link for ${t.lesson.id}`);
    changes.push({ id: t.lesson.id, apply: (fresh) => withdrawn(fresh, postId, now) });
  }
  return outcome({ changes, done, failed });
}

/** The post we deleted is recorded as withdrawn; a lesson that moved on meanwhile is left as it is. */
function withdrawn(fresh: Lesson, postId: string | null, now: number): Lesson {
  if (!('post' in fresh)) return fresh;
  const post = fresh.post;
  if (post.state === 'live' && post.id === postId) return withdrawLink(fresh, now);
  if (post.state === 'posting' && postId === null) return withdrawLink(fresh, now);
  if (post.state === 'posting' && postId !== null)
    return withdrawLink(
      { ...fresh, post: { state: 'live', id: postId, sharedAt: post.since } },
      now,
    );
  return fresh;
}
