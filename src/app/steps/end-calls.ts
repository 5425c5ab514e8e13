// R10, R21, R22: every call that is due is ended for everyone and its room locked, together: at
// the end (plus the school's grace), or at once when pupils were left without staff or an
// outsider was admitted. This happens on time even if Classroom has not yet let the post be
// deleted: a locked room makes the link useless, and the deletion keeps being retried. Safe to
// repeat, so nothing is claimed first and nothing waits on the store. When Meet keeps refusing
// (429, 5xx), the monitor tries again within the run; after the last try SLT are told once, in
// plain words, and the tries go on every minute (R28). A call that ended but whose room Meet
// would not lock is told as that (not as a call still running); the lock is tried every minute
// for a while, then the lesson closes with the room left unlocked and flagged, so its log and
// attendance do not wait for ever on a lock.

import { isAccountRefused, isFailure } from '../../core/errors';
import {
  inCallOf,
  noteEndFailed,
  noteEndFailureTold,
  noteLocked,
  noteLockFailed,
} from '../../core/in-call';
import {
  endLesson,
  type Lesson,
  linkIsLive,
  noteGoogleFailure,
  noteInCall,
  type Room,
  safetyStepFailedLately,
} from '../../core/lesson';
import type { Notice } from '../../core/ports';
import { localTime } from '../../core/time';
import type { Deps } from '../deps';
import { admins, googleFailureOf } from '../health';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';
import { askTwice } from './ask-twice';

/**
 * Failed attempts before SLT hear of it: the monitor tries a safety step three times in a run
 * (monitor.ts SAFETY_TRIES), so the third failure is the run's last.
 */
export const END_FAILURES_BEFORE_TELLING = 3;

/**
 * Failed locks of a room whose call has ended, before the lesson closes anyway (flagged
 * room-not-locked): the monitor tries three times a run, so this is about five minutes.
 */
export const LOCK_FAILURES_BEFORE_CLOSING = 15;

export function endCalls(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  const rooms = lessons.flatMap((l) =>
    (l.status === 'open' || l.status === 'cancelled') && l.room
      ? [{ lesson: l, room: l.room }]
      : [],
  );
  // Each call is ended and its room locked; a call whose end failed before is asked to end
  // twice in the same round (ask-twice.ts): it is ended if either end was answered, and its
  // room locked if either lock was.
  const answers = askTwice(
    rooms,
    (r) => safetyStepFailedLately(r.lesson, 'end-call', now),
    (rs) => deps.rooms.endAndLock(rs.map((r) => ({ host: r.lesson.teacher, room: r.room }))),
    (first, second) => ({
      end: first.end && second.end ? first.end : null,
      lock: first.lock && second.lock ? first.lock : null,
    }),
  );
  const changes: Change[] = [];
  const notices: Notice[] = [];
  let failed = 0;
  let cannotActAs = 0;
  rooms.forEach((r, i) => {
    const { end: answer, lock } = answers[i]!;
    if (!answer && lock) {
      if (r.lesson.status !== 'open') {
        // A cancelled lesson's room: its lock is tried again next minute, as before.
        failed += 1;
        deps.log.warn(`the room of ${r.lesson.id} could not be locked: will be retried`);
        return;
      }
      // The call ended; only the lock failed. Said as that, and not held open for ever.
      const tries = (inCallOf(r.lesson).lockFailures ?? 0) + 1;
      const tell = tries >= END_FAILURES_BEFORE_TELLING && !inCallOf(r.lesson).lockFailureToldAt;
      if (tell) notices.push(lockFailedNotice(deps, r.lesson, tries, now));
      const closing = tries >= LOCK_FAILURES_BEFORE_CLOSING;
      deps.log.warn(
        `the room of ${r.lesson.id} could not be locked (${kindOf(lock)}): ${closing ? 'closing it unlocked' : 'will be retried'}`,
      );
      failed += closing ? 0 : 1;
      const failure = googleFailureOf(lock);
      changes.push({
        id: r.lesson.id,
        apply: (fresh) => {
          if (fresh.status !== 'open') return fresh;
          const noted = noteGoogleFailure(
            noteInCall(fresh, noteLockFailed(inCallOf(fresh), tell ? now : null)),
            failure,
            now,
          );
          return closing ? ended(noted, r.room, now, { locked: false }) : noted;
        },
      });
      return;
    }
    if (answer) {
      if (isFailure(answer, 'cannot-act-as')) cannotActAs += 1;
      else failed += 1;
      deps.log.warn(`ending the call for ${r.lesson.id} will be retried: ${kindOf(answer)}`);
      if (r.lesson.status === 'open') {
        const tries = inCallOf(r.lesson).endFailures + 1;
        const tell =
          tries >= END_FAILURES_BEFORE_TELLING && inCallOf(r.lesson).endFailureToldAt === null;
        if (tell) notices.push(endFailedNotice(deps, r.lesson, tries, now, answer));
        // R28: what Google refused is kept on the lesson (the link-live alert words it truthfully).
        const failure = googleFailureOf(answer);
        changes.push({
          id: r.lesson.id,
          apply: (fresh) => {
            if (fresh.status !== 'open') return fresh;
            const next = noteEndFailed(inCallOf(fresh));
            return noteGoogleFailure(
              noteInCall(fresh, tell ? noteEndFailureTold(next, now) : next),
              failure,
              now,
            );
          },
        });
      }
      return;
    }
    deps.log.info(`ended call for ${r.lesson.id}`);
    changes.push({ id: r.lesson.id, apply: (fresh) => ended(fresh, r.room, now) });
  });
  return outcome({
    changes,
    notices,
    done: rooms.length - failed - cannotActAs,
    failed,
    cannotActAs,
  });
}

function endFailedNotice(
  deps: Deps,
  lesson: Lesson,
  tries: number,
  now: number,
  error: Error,
): Notice {
  const tz = deps.settings.timeZone;
  const at = localTime(now, tz);
  const subject = `Call NOT ended: ${lesson.title} (${lesson.courseName})`;
  const opening = `The call of lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) had to be ended at ${at}, but`;
  // R28: say truthfully who refused, and what that leaves undone. Google refusing the teacher's
  // own account (deleted, suspended) is for the admin to fix (only they can restore it), and
  // mail to that account is not read: the admin and SLT are told, not the teacher. Delegation
  // refused for everyone keeps its own words below: the teacher can still act from the sidebar.
  if (isAccountRefused(error))
    return {
      to: [...new Set([...admins(deps.settings), ...deps.settings.sltEmails])],
      subject,
      urgency: 'now',
      body: `${opening} it is still running. Only a Meet room's owner can end its call, and Google refuses to let the automation act as the owner, ${lesson.teacher} (refused ${tries} time(s): Google answers this way when the account was deleted, suspended or renamed). ${linkWords(lesson, tz)} Restoring the account in the Google Admin console (Directory, Users) lets the automation end the call at once: it keeps trying every minute. Meanwhile pupils may still be in the call with nobody from the school watching it. If someone from the school can, please join the call (the room link is on the lesson's Calendar event) and stay with the pupils or tell them to leave; if nobody can join, tell the pupils another way to leave the call.`,
    };
  const refused = isFailure(error, 'cannot-act-as')
    ? `Google refused ${tries} time(s) to let the automation act as the teacher (domain-wide delegation), so it cannot end the call or take the link off Classroom until that is fixed; the administrator has been told. The call is still running. Please ask the teacher to press "End lesson for everyone" in the Safe Live Lessons sidebar now, or end it in Meet ("End call for everyone") and delete the post in Classroom.`
    : `Google Meet refused ${tries} time(s). The link is off Classroom (or is being taken off). We keep trying every minute. Please end it now in Meet ("End call for everyone"), or ask the teacher to; the room is locked as soon as Meet answers.`;
  return {
    // Delegation refused was told to the teacher when it began, in their own steps; this asks
    // SLT to ask them (see alert-links-live.ts).
    to: isFailure(error, 'cannot-act-as')
      ? [...deps.settings.sltEmails]
      : [...deps.settings.sltEmails, lesson.teacher],
    subject,
    urgency: 'now',
    body: `${opening} ${refused}`,
  };
}

/** Whether the link is off Classroom, and since when: said only as it is (R28). */
function linkWords(lesson: Lesson, tz: string): string {
  if (linkIsLive(lesson))
    return "The link is still on Classroom: the automation keeps trying to take it down as the class's other teachers; if you can, delete the post in the class stream in Classroom.";
  const post = 'post' in lesson ? lesson.post : null;
  if (post && (post.state === 'withdrawn' || post.state === 'paused'))
    return `The link is off Classroom (taken down at ${localTime(post.withdrawnAt, tz)}), so no more pupils find it there.`;
  return 'The link is not on Classroom.';
}

function lockFailedNotice(deps: Deps, lesson: Lesson, tries: number, now: number): Notice {
  const at = localTime(now, deps.settings.timeZone);
  return {
    to: [...deps.settings.sltEmails, lesson.teacher],
    subject: `Room NOT locked: ${lesson.title} (${lesson.courseName})`,
    urgency: 'now',
    body: `The call of lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) was ended for everyone, but Google Meet refused ${tries} time(s) to lock its room (at ${at}), so someone with the link could still ask to join it again. We keep trying for about five minutes; the lesson's log says whether it was locked. If anyone is in the room again, please end it in Meet ("End call for everyone").`,
  };
}

function ended(fresh: Lesson, room: Room, now: number, { locked = true } = {}): Lesson {
  if (fresh.status === 'open' && fresh.room.space === room.space)
    return endLesson(locked ? noteInCall(fresh, noteLocked(inCallOf(fresh), now)) : fresh, now);
  if (fresh.status === 'cancelled' && fresh.room?.space === room.space)
    return { ...fresh, room: null, version: fresh.version + 1 };
  return fresh;
}

function kindOf(error: Error): string {
  return isFailure(error) ? error.kind : 'error';
}
