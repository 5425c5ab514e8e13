// What a teacher does from the sidebar (R6, R9, R10, R13, R18): open the room, share
// the link (refused with the reason unless they are in the call), let pupils chat,
// end the lesson for everyone, confirm consent, write their log. Each runs at once, in
// the teacher's own execution, through the same steps as the automation.

import { isFailure } from '../core/errors';
import { verifyHostInCall } from '../core/host-presence';
import { confirmConsent, type Lesson, noteTeacherLog } from '../core/lesson';
import {
  checkTeacherLog,
  entryTarget,
  MAX_UNCHECKED_ENTRIES,
  type TeacherLogEntry,
} from '../core/teacher-log';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import { stepEndCall, stepOpenRoom, stepWatchCall, stepWithdraw } from './lesson-steps';
import { KEEP_CLOSED_MS } from './log-sync';

export type ActionResult =
  | { ok: true; message: string; lesson?: Lesson }
  | { ok: false; message: string };

/** Turns an error into words a teacher can act on; no stack trace ever reaches a card. */
export function explain(error: unknown): string {
  if (isFailure(error, 'transient'))
    return 'Google did not answer in time. Nothing was lost: please try again in a moment.';
  if (isFailure(error, 'forbidden'))
    return 'Google refused this for your account. Ask your Google Workspace administrator to check your access.';
  if (isFailure(error, 'gone')) return 'That item no longer exists in Google.';
  if (isFailure(error, 'cannot-act-as'))
    return 'The automation cannot act for you yet. Please use the sidebar buttons.';
  return 'Something went wrong. Nothing was lost; please try again, and tell your administrator if it keeps happening.';
}

function run(
  deps: Deps,
  teacher: string,
  lessonId: string,
  act: (lesson: Lesson, save: (l: Lesson) => void) => { lesson: Lesson; value: ActionResult },
): ActionResult {
  try {
    const outcome = withLessonLease(deps, lessonId, (lesson, save) => {
      if (lesson.teacher !== teacher.toLowerCase()) {
        return {
          lesson,
          value: {
            ok: false,
            message: 'Only the teacher who scheduled this lesson can do that.',
          } as ActionResult,
        };
      }
      return act(lesson, save);
    });
    if (outcome.ok) return outcome.value;
    if (outcome.reason === 'missing')
      return { ok: false, message: 'That lesson could not be found. It may have been cancelled.' };
    return {
      ok: false,
      message:
        'The automation is working on this lesson right now. Please try again in a few seconds.',
    };
  } catch (error) {
    deps.log.warn(
      `teacher action on ${lessonId} failed: ${isFailure(error) ? error.kind : 'error'}`,
    );
    return { ok: false, message: explain(error) };
  }
}

export function openRoomNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    if (lesson.status === 'open')
      return { lesson, value: { ok: true, message: 'Your room is open.', lesson } };
    if (lesson.status !== 'scheduled')
      return { lesson, value: { ok: false, message: `This lesson is ${lesson.status}.` } };
    if (deps.clock.now() < lesson.start - 30 * 60_000) {
      return {
        lesson,
        value: { ok: false, message: 'The room can be opened from 30 minutes before the start.' },
      };
    }
    if (deps.clock.now() >= lesson.end)
      return { lesson, value: { ok: false, message: 'This lesson has already finished.' } };
    const step = stepOpenRoom(deps, lesson);
    if (step.value === 'not-approved')
      return {
        lesson,
        value: {
          ok: false,
          message: 'This lesson has not been approved yet, so its room cannot open.',
        },
      };
    return {
      lesson: step.lesson,
      value: {
        ok: true,
        message: 'Your room is open. Join it first; then share the link with your class.',
        lesson: step.lesson,
      },
    };
  });
}

export function shareNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson, save) => {
    if (lesson.status !== 'open')
      return { lesson, value: { ok: false, message: 'Open the room first.' } };
    if (lesson.post.state === 'live')
      return { lesson, value: { ok: true, message: 'The link is already on Classroom.', lesson } };
    if (lesson.post.state === 'withdrawn')
      return {
        lesson,
        value: {
          ok: false,
          message: 'The link has been withdrawn for this lesson and cannot be shared again.',
        },
      };
    const calls = deps.rooms.whoIsIn([
      { host: lesson.teacher, room: lesson.room, conference: lesson.conference },
    ]);
    const call = calls.get(lesson.room.space) ?? null;
    if (!call || !verifyHostInCall(call.participants, lesson.teacherUserId, deps.clock.now())) {
      return {
        lesson,
        value: {
          ok: false,
          message:
            'You are not in the call yet. Policy: the link goes to the class only once you are in the meeting. Join the Meet first, then share.',
        },
      };
    }
    const step = stepWatchCall(deps, lesson, call, save);
    if (step.value === 'shared' || step.value === 'shared-already') {
      return {
        lesson: step.lesson,
        value: {
          ok: true,
          message: 'The link is on your class stream in Classroom.',
          lesson: step.lesson,
        },
      };
    }
    if (step.value === 'too-late-to-share')
      return {
        lesson: step.lesson,
        value: {
          ok: false,
          message: 'It is too close to the end of the lesson to share the link.',
        },
      };
    return {
      lesson: step.lesson,
      value: { ok: false, message: 'The link could not be shared yet. Please try again.' },
    };
  });
}

/** R10: the teacher ends early: link withdrawn and call ended at once. */
export function endNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson, save) => {
    if (lesson.status !== 'open')
      return {
        lesson,
        value: { ok: false, message: `This lesson is ${lesson.status}; there is no call to end.` },
      };
    let current: Lesson = lesson;
    try {
      current = stepWithdraw(deps, current).lesson;
      save(current);
    } catch (error) {
      if (!isFailure(error)) throw error;
      // The room is locked below even if Classroom did not answer; the monitor keeps trying.
    }
    const ended = stepEndCall(deps, current);
    const note =
      'post' in ended.lesson &&
      (ended.lesson.post.state === 'live' || ended.lesson.post.state === 'posting')
        ? ' Classroom did not answer, so the link will be removed automatically within a minute; the room is already locked.'
        : '';
    return {
      lesson: ended.lesson,
      value: {
        ok: true,
        message: `Lesson ended for everyone and the room is locked.${note}`,
        lesson: ended.lesson,
      },
    };
  });
}

/** R9: pupils cannot chat by default; the teacher may turn chat on. */
export function setPupilChat(
  deps: Deps,
  teacher: string,
  lessonId: string,
  allowed: boolean,
): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    if (lesson.status !== 'open')
      return {
        lesson,
        value: { ok: false, message: 'Chat can be changed while the room is open.' },
      };
    deps.rooms.setChat(lesson.teacher, lesson.room, allowed);
    return {
      lesson,
      value: {
        ok: true,
        message: allowed ? 'Pupils can now use chat.' : 'Chat is now for hosts only.',
      },
    };
  });
}

/** R13: the teacher confirms expectations were given and consent checked. */
export function confirmConsentNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    const confirmed = confirmConsent(lesson, deps.clock.now());
    return {
      lesson: confirmed,
      value: {
        ok: true,
        message: 'Thank you: recorded that expectations were given and consent checked.',
        lesson: confirmed,
      },
    };
  });
}

/**
 * R18: the lesson's staff write its Appendix A entries; queued, because staff cannot open the
 * log (R20). The automation places each one below what the row holds, checked against the
 * row's teacher and second adult (log-sync.ts). An entry for a lesson that does not exist is
 * refused here, with the reason, and never queued.
 */
export function submitTeacherLog(deps: Deps, entry: TeacherLogEntry): ActionResult {
  const checked = checkTeacherLog(entry);
  if (!checked.ok) return { ok: false, message: checked.problems.join(' ') };
  const lesson = deps.store.get(entry.lessonId);
  const now = deps.clock.now();
  const target = entryTarget(
    entry.lessonId,
    lesson,
    entry.teacher,
    now - KEEP_CLOSED_MS,
    deps.settings.timeZone,
  );
  if (!target.ok) return { ok: false, message: target.message };
  if (!target.inStore) {
    const author = entry.teacher.toLowerCase();
    const inStore = new Set(deps.store.all().map((l) => l.id));
    const waiting = deps.teacherLogs
      .pending()
      .filter((e) => e.teacher.toLowerCase() === author && !inStore.has(e.lessonId)).length;
    if (waiting >= MAX_UNCHECKED_ENTRIES)
      return {
        ok: false,
        message: `You have ${waiting} log entries for older lessons waiting to be checked. Please try again in a few minutes.`,
      };
  }
  deps.teacherLogs.enqueue(checked.entry);
  if (lesson)
    deps.mutex.run(() => {
      const fresh = deps.store.get(entry.lessonId);
      if (fresh) deps.store.put(noteTeacherLog(fresh, now));
    }, 10_000);
  return { ok: true, message: 'Thank you. Your log has been sent to SLT.' };
}

export { stepWithdraw };
