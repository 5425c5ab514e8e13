// The two steps that many lessons need at the same minute (every class starting at
// 09:00; every link coming down at 09:25) done as batches: the leases of all the
// lessons are taken in one store write, the Classroom calls go out in parallel, and the
// results are stored in one write. The single-lesson steps in lesson-steps.ts stay the
// reference: these do the same moves with the same safety (a post is marked "posting"
// before it is created, so a lost answer is found, never posted twice).

import { type HostInCall, verifyHostInCall } from '../core/host-presence';
import {
  beginPosting,
  type Lesson,
  type LessonWithPost,
  leaseHeldByOther,
  noteConference,
  type OpenLesson,
  shareLink,
  withdrawAt,
  withdrawLink,
  withLease,
} from '../core/lesson';
import type { CallNow } from '../core/ports';
import type { Deps } from './deps';
import { LEASE_MS, LOCK_WAIT_MS } from './lesson-lease';
import { streamPost } from './lesson-steps';

export interface BatchOutcome {
  done: number;
  failed: number;
  busy: number;
}

/** Claims the leases of lessons that still qualify, in one read and one write under the lock. */
function claim<T>(
  deps: Deps,
  ids: readonly string[],
  prepare: (fresh: Lesson) => T | null,
  lessonOf: (t: T) => Lesson,
): T[] | null {
  const owner = deps.executionId;
  const claimed = deps.mutex.run(() => {
    const now = deps.clock.now();
    const fresh = new Map(deps.store.all().map((l) => [l.id, l]));
    const out: T[] = [];
    for (const id of ids) {
      const lesson = fresh.get(id);
      if (!lesson || leaseHeldByOther(lesson, owner, now)) continue;
      const prepared = prepare(lesson);
      if (prepared) out.push(prepared);
    }
    deps.store.putMany(out.map((t) => withLease(lessonOf(t), { owner, until: now + LEASE_MS })));
    return out;
  }, LOCK_WAIT_MS);
  return claimed.ok ? claimed.value : null;
}

function release(deps: Deps, lessons: readonly Lesson[]): void {
  deps.mutex.run(() => deps.store.putMany(lessons.map((l) => withLease(l, null))), LOCK_WAIT_MS);
}

/** R6: shares the links of every lesson whose teacher is now in the call, in one batch. */
export function shareMany(
  deps: Deps,
  items: readonly { lesson: OpenLesson; call: CallNow }[],
): BatchOutcome {
  const calls = new Map(items.map((i) => [i.lesson.id, i.call]));
  const now = deps.clock.now();
  const ready = claim(
    deps,
    items.map((i) => i.lesson.id),
    (fresh): { lesson: OpenLesson; proof: HostInCall } | null => {
      const call = calls.get(fresh.id)!;
      if (fresh.status !== 'open' || fresh.post.state !== 'none') return null;
      if (now >= withdrawAt(fresh, deps.settings.withdrawBeforeEndMinutes)) return null;
      const proof = verifyHostInCall(call.participants, fresh.teacherUserId, now);
      return proof
        ? { lesson: beginPosting(noteConference(fresh, call.conference), now), proof }
        : null;
    },
    (t) => t.lesson,
  );
  if (!ready) return { done: 0, failed: 0, busy: items.length };
  const answers = deps.stream.postMany(
    ready.map((r) => ({
      teacher: r.lesson.teacher,
      courseId: r.lesson.courseId,
      post: streamPost(deps, r.lesson),
    })),
  );
  let failed = 0;
  const results = ready.map((r, i) => {
    const answer = answers[i]!;
    if (answer instanceof Error) {
      // Still "posting": the next look finds the post if it was made, or posts it.
      failed += 1;
      return r.lesson;
    }
    deps.log.info(`shared link for ${r.lesson.id}`);
    return shareLink(r.lesson, r.proof, answer, deps.clock.now());
  });
  release(deps, results);
  return { done: ready.length - failed, failed, busy: items.length - ready.length };
}

/** R10: takes down every live link that is due, in one batch. */
export function withdrawMany(deps: Deps, lessons: readonly Lesson[]): BatchOutcome {
  const ready = claim(
    deps,
    lessons.map((l) => l.id),
    (fresh): { lesson: LessonWithPost; postId: string } | null =>
      'post' in fresh && fresh.post.state === 'live'
        ? { lesson: fresh, postId: fresh.post.id }
        : null,
    (t) => t.lesson,
  );
  if (!ready) return { done: 0, failed: 0, busy: lessons.length };
  const answers = deps.stream.removeMany(
    ready.map((r) => ({
      teacher: r.lesson.teacher,
      courseId: r.lesson.courseId,
      postId: r.postId,
    })),
  );
  let failed = 0;
  const results = ready.map((r, i) => {
    if (answers[i]) {
      failed += 1;
      return r.lesson;
    }
    deps.log.info(`withdrew link for ${r.lesson.id}`);
    return withdrawLink(r.lesson, deps.clock.now());
  });
  release(deps, results);
  return { done: ready.length - failed, failed, busy: lessons.length - ready.length };
}
