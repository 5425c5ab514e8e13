// R10: at the end (plus the school's grace) every call that is due is ended for everyone and
// its room locked, together. This happens on time even if Classroom has not yet let the post
// be deleted: a locked room makes the link useless, and the deletion keeps being retried.
// Safe to repeat, so nothing is claimed first and nothing waits on the store.

import { isFailure } from '../../core/errors';
import { endLesson, type Lesson, type Room } from '../../core/lesson';
import type { Deps } from '../deps';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';

export function endCalls(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  const rooms = lessons.flatMap((l) =>
    (l.status === 'open' || l.status === 'cancelled') && l.room
      ? [{ lesson: l, room: l.room }]
      : [],
  );
  const answers = deps.rooms.endAndLock(
    rooms.map((r) => ({ host: r.lesson.teacher, room: r.room })),
  );
  const changes: Change[] = [];
  let failed = 0;
  let cannotActAs = 0;
  rooms.forEach((r, i) => {
    const answer = answers[i];
    if (answer) {
      if (isFailure(answer, 'cannot-act-as')) cannotActAs += 1;
      else failed += 1;
      deps.log.warn(`ending the call for ${r.lesson.id} will be retried: ${kindOf(answer)}`);
      return;
    }
    deps.log.info(`ended call for ${r.lesson.id}`);
    changes.push({ id: r.lesson.id, apply: (fresh) => ended(fresh, r.room, now) });
  });
  return outcome({ changes, done: changes.length, failed, cannotActAs });
}

function ended(fresh: Lesson, room: Room, now: number): Lesson {
  if (fresh.status === 'open' && fresh.room.space === room.space) return endLesson(fresh, now);
  if (fresh.status === 'cancelled' && fresh.room?.space === room.space)
    return { ...fresh, room: null, version: fresh.version + 1 };
  return fresh;
}

function kindOf(error: Error): string {
  return isFailure(error) ? error.kind : 'error';
}
