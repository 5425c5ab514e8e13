// R10: every link that is due comes off Classroom together: before the end, at once when a
// lesson is cancelled. Deleting is safe to repeat, so nothing is claimed first and nothing
// waits on the store: if the answer cannot be recorded, the next pass deletes again and
// Classroom answers "already gone".

import { isFailure, mustRethrow } from '../../core/errors';
import {
  type Lesson,
  type LessonWithPost,
  leaseHeldByOther,
  noteGoogleFailure,
  safetyStepFailedLately,
  withdrawLink,
} from '../../core/lesson';
import type { PostRef } from '../../core/ports';
import type { Deps } from '../deps';
import { googleFailureOf } from '../health';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';
import { askTwice } from './ask-twice';
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
  const answers = removeAsAnyTeacher(deps, toRemove);
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

/** How many of the class's other teachers are asked, one after another, to take a link down. */
export const OTHER_TEACHERS_ASKED = 3;

/**
 * Deletes the posts, all together. A post its teacher can no longer delete (Classroom answers
 * 403 because they were taken off the class, or Google will not let the automation act as them)
 * is deleted as the class's other teachers, one round each, all refused posts together: a
 * course's teachers may delete posts in its stream, and the automation asks from the same Cloud
 * project that made the post.
 * doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/delete
 *   ("PERMISSION_DENIED if the requesting developer project did not create the corresponding
 *   announcement, if the requesting user is not permitted to delete the requested course or for
 *   access errors")
 * assumption: Google does not say which users may delete another teacher's announcement; the
 *   Classroom web app lets a co-teacher do all a class's teacher does but delete the class, and we
 *   assume the API lets them delete posts too. If it does not, Classroom answers 403 again and the link-still-live
 *   alert tells the teacher and SLT to delete it by hand, as before.
 */
function removeAsAnyTeacher(
  deps: Deps,
  targets: readonly { lesson: LessonWithPost; ref: PostRef | null }[],
): (Error | null)[] {
  // Each post is deleted twice in the same round for a lesson Classroom failed lately: the link
  // is off if either delete was answered (ask-twice.ts).
  const now = deps.clock.now();
  const answers = askTwice(
    targets,
    (t) => safetyStepFailedLately(t.lesson, 'withdraw-link', now),
    (ts) => deps.stream.remove(ts.map((t) => t.ref!)),
    (first, second) => (first && second ? first : null),
  );
  const refused = targets.filter((_, i) => refusedAsTeacher(answers[i]));
  if (refused.length === 0) return answers;
  const others = otherTeachers(
    deps,
    refused.map((t) => t.lesson),
  );
  for (let round = 0; round < OTHER_TEACHERS_ASKED; round++) {
    const again = targets
      .map((t, i) => ({ t, i, other: others.get(t.lesson.id)?.[round] }))
      .filter(({ i, other }) => other !== undefined && refusedAsTeacher(answers[i]));
    if (again.length === 0) break;
    const retried = deps.stream.remove(
      again.map(({ t, other }) => ({ ...t.ref!, teacher: other! })),
    );
    again.forEach(({ t, i }, k) => {
      if (retried[k] === null)
        deps.log.info(`link for ${t.lesson.id} taken down as another teacher of the class`);
      // The teacher's own refusal is what the alert explains if nobody could take it down.
      if (retried[k] === null || !refusedAsTeacher(retried[k])) answers[i] = retried[k] ?? null;
    });
  }
  return answers;
}

/** Classroom or Google refused this account (not the post): another teacher may succeed. */
function refusedAsTeacher(answer: Error | null | undefined): boolean {
  return isFailure(answer, 'forbidden') || isFailure(answer, 'cannot-act-as');
}

/**
 * The class's other teachers as the lesson keeps them (account ids, from scheduling), by their
 * school address: the directory, asked once for every lesson together (its answers are kept).
 * A teacher the directory cannot place is left out, as is the lesson's own teacher.
 */
function otherTeachers(deps: Deps, lessons: readonly Lesson[]): Map<string, string[]> {
  const ids = [...new Set(lessons.flatMap((l) => (l.coTeachers ?? []).map((t) => t.userId)))];
  let emails = new Map<string, string | null | Error>();
  try {
    if (ids.length > 0) emails = deps.directory.lookup(ids);
  } catch (error) {
    if (mustRethrow(error)) throw error;
    deps.log.warn('the class’s other teachers could not be looked up this pass');
  }
  const out = new Map<string, string[]>();
  for (const lesson of lessons) {
    const teacher = lesson.teacher.toLowerCase();
    out.set(
      lesson.id,
      (lesson.coTeachers ?? [])
        .map((t) => emails.get(t.userId))
        .filter((e): e is string => typeof e === 'string' && e.toLowerCase() !== teacher),
    );
  }
  return out;
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
