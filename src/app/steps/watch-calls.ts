// R6, R12-R14, R21-R23: one look at every open room's call, together. Lessons whose teacher is
// now in the call have their links shared (or shared again, after staff came back) in one
// batch; who else is there is worked out against the roster and the directory, and what the
// look decided (the link must come down, the call must end) is written on the lesson, so the
// very next pass of the run withdraws and ends, safety steps first. Nothing here waits on the
// directory: guests, callers and staff are judged without it, and an account it cannot answer
// for is only "unverified" until the next look. A look Google refuses because it will not let
// the automation act as the teacher's own account (deleted, suspended, renamed) marks a lesson
// whose link is up (cannot-watch.ts): nobody can watch that call or end it, so the next pass
// takes the link down, as the class's other teachers (R21). Delegation refused or not set up
// for everyone is not that: the teacher still runs the lesson from the sidebar, watching it.

import { assessCall } from '../../core/call-watch';
import { cannotWatch, noteCannotWatch } from '../../core/cannot-watch';
import { isAccountRefused, mustRethrow } from '../../core/errors';
import { hostLate } from '../../core/host-late';
import { type HostInCall, verifyHostInCall } from '../../core/host-presence';
import { callEmpty, inCallOf, openGap } from '../../core/in-call';
import {
  type Lesson,
  linkIsLive,
  noteConference,
  noteInCall,
  type OpenLesson,
} from '../../core/lesson';
import { dueActions } from '../../core/lifecycle-plan';
import type { CallNow } from '../../core/ports';
import { SAFETY_STEPS } from '../../core/tick-plan';
import { resolvePeople } from '../call-people';
import type { Deps } from '../deps';
import { combine, outcome, type StepOutcome } from '../lesson-commits';
import { shareLinks } from './share-links';

/** Rooms looked at in one go: a round of requests for each. */
const WATCH_GROUP = 100;

/**
 * Looks at the calls a group at a time. Before each round of requests it asks `urgent()`
 * whether a link must come down or a call end (a slow look must not hold the safety steps
 * back: a round Google leaves unanswered takes a minute); once it does, the rooms not yet
 * looked at are put off to the next pass, which runs the safety steps first.
 *
 * R21: calls whose pupils are without staff are looked at first, in a group of their own.
 * UrlFetchApp.fetchAll gives back responses only, so a request that goes unanswered (a
 * timeout) throws for its whole round: another room's slow answer must not take theirs down
 * for a minute. Nor may a token Google failed to issue for their teacher earlier in the run
 * keep them unlooked at until the next run: it is asked for again, as for the safety steps.
 * And when their look says the link must come down or the call end, that is done before the
 * other rooms are looked at (the same requests, one round more, only while a gap is open).
 * So is their look again, when Google did not answer it: the other rooms wait for the next
 * pass, where it goes first (a lost round of theirs would cost it a minute more).
 * doc: https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetchAll(Object)
 */
export function watchCalls(
  deps: Deps,
  lessons: readonly Lesson[],
  urgent: () => boolean = () => false,
): StepOutcome {
  const alone = lessons.filter(pupilsWithoutStaff);
  const others = lessons.filter((l) => !pupilsWithoutStaff(l));
  const groups = [alone];
  for (let i = 0; i < others.length; i += WATCH_GROUP)
    groups.push(others.slice(i, i + WATCH_GROUP));
  const outcomes: StepOutcome[] = [];
  for (const [i, group] of groups.entries()) {
    if (group.length === 0) continue;
    const seen = watchGroup(deps, group, urgent, { askAgain: group === alone });
    outcomes.push(seen);
    if (
      seen.postponed.length > 0 ||
      (group === alone && (seen.retrySoon.length > 0 || safetyNowDue(deps, group, seen)))
    ) {
      const later = groups.slice(i + 1).flat();
      outcomes.push(outcome({ postponed: later.map((l) => l.id) }));
      break;
    }
  }
  return combine(outcomes);
}

function pupilsWithoutStaff(lesson: Lesson): boolean {
  return lesson.status === 'open' && openGap(inCallOf(lesson)) !== null;
}

/** Whether the look just taken makes a link come down or a call end for one of `lessons`. */
function safetyNowDue(deps: Deps, lessons: readonly Lesson[], seen: StepOutcome): boolean {
  const now = deps.clock.now();
  const safety = (l: Lesson) =>
    dueActions(l, now, deps.settings).filter((a) => SAFETY_STEPS.includes(a));
  return lessons.some((lesson) => {
    const after = seen.changes
      .filter((c) => c.id === lesson.id)
      .reduce((l, c) => c.apply(l), lesson);
    const before = safety(lesson);
    return safety(after).some((a) => !before.includes(a));
  });
}

function watchGroup(
  deps: Deps,
  lessons: readonly Lesson[],
  urgent: () => boolean,
  options: { askAgain: boolean },
): StepOutcome {
  const open = lessons.filter((l): l is OpenLesson => l.status === 'open');
  let calls: Map<string, CallNow | null | Error>;
  try {
    calls = deps.rooms.whoIsIn(
      open.map((l) => ({ host: l.teacher, room: l.room, conference: l.conference })),
      urgent,
      options,
    );
  } catch (error) {
    if (mustRethrow(error)) throw error;
    deps.log.warn(
      `could not look at the calls this pass: ${error instanceof Error ? error.name : 'error'}`,
    );
    return outcome({ failed: open.length, retrySoon: open.map((l) => l.id) });
  }
  const now = deps.clock.now();
  const result = outcome();
  // Rooms the look left unanswered because a safety step came due first (asked once).
  const stoppedForSafety = open.some((l) => !calls.has(l.room.space)) && urgent();
  const inCall: { lesson: OpenLesson; call: CallNow }[] = [];
  for (const lesson of open) {
    const answer = calls.get(lesson.room.space);
    if (answer === undefined && stoppedForSafety) {
      // Not looked at: a safety step came due first.
      result.postponed.push(lesson.id);
      continue;
    }
    if (answer === undefined || answer instanceof Error) {
      result.failed += 1;
      result.retrySoon.push(lesson.id);
      if (isAccountRefused(answer) && linkIsLive(lesson) && !cannotWatch(lesson)) {
        deps.log.warn(
          `cannot watch the call of ${lesson.id} (cannot-act-as): taking its link down`,
        );
        const tz = deps.settings.timeZone;
        result.changes.push({
          id: lesson.id,
          apply: (fresh) => (fresh.status === 'open' ? noteCannotWatch(fresh, now, tz) : fresh),
        });
      }
      continue;
    }
    const call = answer;
    // R6, R28: the lesson has started without its teacher: they (then SLT) are told.
    const seen = {
      teacherIn:
        call !== null &&
        verifyHostInCall(call.participants, lesson.teacherUserId, now) !== undefined,
      othersIn: call?.participants.some((p) => p.lastLeft === null) === true,
    };
    const late = hostLate(lesson, seen, deps.settings, now);
    if (late) {
      result.notices.push(...late.notices);
      result.changes.push({
        id: lesson.id,
        apply: (fresh) => (fresh.status === 'open' ? late.apply(fresh) : fresh),
      });
    }
    if (call) inCall.push({ lesson, call });
    else if (lesson.conference !== null || inCallOf(lesson) !== callEmpty(inCallOf(lesson), now))
      // Nobody in the call: it is over; a gap with pupils alone ends with it.
      result.changes.push({
        id: lesson.id,
        apply: (fresh) =>
          fresh.status === 'open'
            ? noteInCall(noteConference(fresh, null), callEmpty(inCallOf(fresh), now))
            : fresh,
      });
  }
  const people = resolvePeople(
    deps,
    inCall.map((c) => ({
      lesson: c.lesson,
      participants: [...c.call.participants, ...(c.call.departed ?? [])],
    })),
  );
  const toShare: {
    lesson: OpenLesson;
    proof: HostInCall;
    update: (fresh: OpenLesson) => OpenLesson;
  }[] = [];
  for (const { lesson, call } of inCall) {
    const who = people.get(lesson.id)!;
    if (who.roster === null) {
      // The roster could not be read: staff, guests and callers are still judged, the link
      // still goes up once the teacher is in; pupils are looked at again next time.
      result.failed += 1;
      deps.log.warn(`could not check the pupils in the call for ${lesson.id} this pass`);
    }
    const assessed = assessCall(lesson, call, who, deps.settings, now);
    result.notices.push(...assessed.notices);
    result.changes.push({
      id: lesson.id,
      apply: (fresh) => (fresh.status === 'open' ? assessed.apply(fresh) : fresh),
    });
    if (assessed.share)
      toShare.push({ lesson: assessed.lesson, proof: assessed.share, update: assessed.apply });
    result.done += 1;
  }
  return toShare.length > 0 ? combine([result, shareLinks(deps, toShare)]) : result;
}
