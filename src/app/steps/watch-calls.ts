// R6, R13, R14: one look at every open room's call, together. Lessons whose teacher is now in
// the call have their links shared in one batch; who else is there is worked out against the
// roster and the directory and reported at once where it must be.

import { assessCall } from '../../core/call-watch';
import { type Lesson, noteConference, type OpenLesson } from '../../core/lesson';
import { resolvePeople } from '../call-people';
import type { Deps } from '../deps';
import { combine, outcome, type StepOutcome } from '../lesson-commits';
import { shareLinks } from './share-links';

export function watchCalls(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const open = lessons.filter((l): l is OpenLesson => l.status === 'open');
  let calls: ReturnType<Deps['rooms']['whoIsIn']>;
  try {
    calls = deps.rooms.whoIsIn(
      open.map((l) => ({ host: l.teacher, room: l.room, conference: l.conference })),
    );
  } catch (error) {
    deps.log.warn(
      `could not look at the calls this pass: ${error instanceof Error ? error.name : 'error'}`,
    );
    return outcome({ failed: open.length });
  }
  const result = outcome();
  const inCall: { lesson: OpenLesson; call: NonNullable<ReturnType<typeof calls.get>> }[] = [];
  for (const lesson of open) {
    if (!calls.has(lesson.room.space)) {
      result.failed += 1;
      continue;
    }
    const call = calls.get(lesson.room.space) ?? null;
    if (call) inCall.push({ lesson, call });
    else if (lesson.conference !== null)
      result.changes.push({
        id: lesson.id,
        apply: (fresh) => (fresh.status === 'open' ? noteConference(fresh, null) : fresh),
      });
  }
  const people = resolvePeople(
    deps,
    inCall.map((c) => ({ lesson: c.lesson, participants: c.call.participants })),
  );
  const now = deps.clock.now();
  const toShare: {
    lesson: OpenLesson;
    proof: NonNullable<ReturnType<typeof assessCall>['share']>;
  }[] = [];
  for (const { lesson, call } of inCall) {
    const who = people.get(lesson.id);
    if (!who || who instanceof Error) {
      // The roster could not be read: the link still goes up once the teacher is in; who
      // else is there is looked at again next time.
      result.failed += 1;
      deps.log.warn(`could not check who is in the call for ${lesson.id} this pass`);
    }
    const assessed = assessCall(
      lesson,
      call,
      who && !(who instanceof Error)
        ? who
        : { roster: new Map(), staff: new Map(), external: new Set(), unverified: new Set() },
      deps.settings,
      now,
      { judgePeople: Boolean(who && !(who instanceof Error)) },
    );
    result.notices.push(...assessed.notices);
    result.changes.push({
      id: lesson.id,
      apply: (fresh) => (fresh.status === 'open' ? assessed.apply(fresh) : fresh),
    });
    if (assessed.share) toShare.push({ lesson: assessed.lesson, proof: assessed.share });
    result.done += 1;
  }
  return toShare.length > 0 ? combine([result, shareLinks(deps, toShare)]) : result;
}
