// What a teacher does from the sidebar (R6, R9, R10, R13, R18): open the room, share
// the link (refused with the reason unless they are in the call), let pupils chat,
// end the lesson for everyone, confirm consent, write their log. Each runs at once, in
// the teacher's own execution, through the same steps as the automation.

import { isFailure, ServiceFailure } from '../core/errors';
import { verifyHostInCall } from '../core/host-presence';
import {
  confirmConsent,
  isApproved,
  type Lesson,
  linkIsLive,
  notePupilChat,
  noteTeacherLog,
} from '../core/lesson';
import { sharingClosedAt } from '../core/lifecycle-plan';
import { confirmParentPresent, needsParentPresent, shareHeldBack } from '../core/share-policy';
import {
  checkTeacherLog,
  entryTarget,
  MAX_UNCHECKED_ENTRIES,
  type TeacherLogEntry,
} from '../core/teacher-log';
import type { Deps } from './deps';
import { combine, commit, outcome, type StepOutcome, tell } from './lesson-commits';
import { KEEP_CLOSED_MS } from './log-sync';
import { endCalls } from './steps/end-calls';
import { openRooms } from './steps/open-rooms';
import { shareLinks } from './steps/share-links';
import { showRoomLinks } from './steps/show-room-links';
import { withdrawLinks } from './steps/withdraw-links';

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

export const NOT_FOUND = 'That lesson could not be found. It may have been cancelled.';
export const NOT_YOURS = 'Only the teacher who scheduled this lesson can do that.';

/**
 * The lesson `lessonId` as stored now, if `teacher` (the signed-in user, never an action
 * parameter) is its teacher: what a card that only shows a lesson checks before showing it.
 */
export function ownLesson(
  deps: Deps,
  teacher: string,
  lessonId: string,
): { ok: true; lesson: Lesson } | { ok: false; message: string } {
  const lesson = lessonId ? deps.store.get(lessonId) : undefined;
  if (!lesson) return { ok: false, message: NOT_FOUND };
  if (lesson.teacher !== teacher.toLowerCase()) return { ok: false, message: NOT_YOURS };
  return { ok: true, lesson };
}

/**
 * Runs a teacher's action on their own lesson: the server reads the lesson and checks it is
 * theirs (nothing on the card is trusted), then the action goes through the same steps as the
 * automation, over a list of one, and its answers are written the same way.
 */
function run(
  deps: Deps,
  teacher: string,
  lessonId: string,
  act: (lesson: Lesson) => ActionResult,
): ActionResult {
  try {
    const mine = ownLesson(deps, teacher, lessonId);
    if (!mine.ok) return mine;
    return act(mine.lesson);
  } catch (error) {
    deps.log.warn(
      `teacher action on ${lessonId} failed: ${isFailure(error) ? error.kind : 'error'}`,
    );
    return { ok: false, message: explain(error) };
  }
}

/** Writes a step's answers and tells whoever it says; returns the lesson as it now stands. */
function settle(
  deps: Deps,
  lessonId: string,
  outcomes: readonly StepOutcome[],
): Lesson | undefined {
  const all = combine(outcomes);
  const saved = commit(deps, all.changes);
  tell(deps, all.notices);
  return saved?.get(lessonId) ?? deps.store.get(lessonId);
}

const BUSY: ActionResult = {
  ok: false,
  message: 'The automation is working on this lesson right now. Please try again in a few seconds.',
};

export function openRoomNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    if (lesson.status === 'open') return { ok: true, message: 'Your room is open.', lesson };
    if (lesson.status !== 'scheduled')
      return { ok: false, message: `This lesson is ${lesson.status}.` };
    if (deps.clock.now() < lesson.start - 30 * 60_000)
      return { ok: false, message: 'The room can be opened from 30 minutes before the start.' };
    if (deps.clock.now() >= lesson.end)
      return { ok: false, message: 'This lesson has already finished.' };
    if (!isApproved(lesson))
      return {
        ok: false,
        message: 'This lesson has not been approved yet, so its room cannot open.',
      };
    const opened = openRooms(deps, [lesson], { asTeacher: true });
    const now = settle(deps, lessonId, [opened]);
    if (opened.busy > 0) return BUSY;
    if (now?.status !== 'open')
      return { ok: false, message: explain(new ServiceFailure('transient', 'meet', 'not opened')) };
    // The link goes on the Calendar event too, as the automation would do.
    settle(deps, lessonId, [showRoomLinks(deps, [now])]);
    return {
      ok: true,
      message: 'Your room is open. Join it first; then share the link with your class.',
      lesson: deps.store.get(lessonId) ?? now,
    };
  });
}

/** Past this share of its limit, a share the store refused is put down to the store being full. */
const STORE_FULL_SHARE = 0.98;

export function shareNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    if (lesson.status !== 'open') return { ok: false, message: 'Open the room first.' };
    if (lesson.post.state === 'live')
      return { ok: true, message: 'The link is already on Classroom.', lesson };
    if (lesson.post.state === 'withdrawn')
      return {
        ok: false,
        message: 'The link has been withdrawn for this lesson and cannot be shared again.',
      };
    if (deps.clock.now() >= sharingClosedAt(lesson, deps.settings.withdrawBeforeEndMinutes))
      return { ok: false, message: 'It is too close to the end of the lesson to share the link.' };
    // R25: a 1:1 waits for the teacher to confirm a parent/carer is in the room.
    const held = shareHeldBack(lesson, deps.settings);
    if (held) return { ok: false, message: held };
    const calls = deps.rooms.whoIsIn([
      { host: lesson.teacher, room: lesson.room, conference: lesson.conference },
    ]);
    const answer = calls.get(lesson.room.space) ?? null;
    const call = answer instanceof Error ? null : answer;
    const proof =
      call && verifyHostInCall(call.participants, lesson.teacherUserId, deps.clock.now());
    if (!proof)
      return {
        ok: false,
        message:
          'You are not in the call yet. Policy: the link goes to the class only once you are in the meeting. Join the Meet first, then share.',
      };
    const shared = shareLinks(deps, [{ lesson, proof }]);
    const now = settle(deps, lessonId, [shared]);
    if (now?.status === 'open' && now.post.state === 'live')
      return { ok: true, message: 'The link is on your class stream in Classroom.', lesson: now };
    if (shared.busy > 0) return BUSY;
    // R28: Classroom refused this teacher's post (share-links.ts told them and SLT): trying again
    // will not help until someone puts them back on the class.
    if (
      shared.failed > 0 &&
      now?.googleFailure?.kind === 'forbidden' &&
      now.googleFailure.service === 'classroom'
    )
      return {
        ok: false,
        message:
          'Google Classroom refused to post the link: you may no longer be a teacher of this class in Classroom. Pupils do not have the link. SLT have been told; ask for the class back in Classroom, or end the lesson.',
      };
    // R28: a full store refuses the mark made before posting; the post is not made, since one
    // the automation cannot record it could not take down on time. Said as that, not "try again".
    const usage = deps.store.usage?.();
    if (usage && usage.bytes >= usage.limit * STORE_FULL_SHARE)
      return {
        ok: false,
        message:
          "The link could not be shared: the script's store is full, so the automation cannot record a post it would need to take down on time. Pupils do not have the link. The school's admin has been told and must make room; the automation shares it within a minute once there is.",
      };
    return { ok: false, message: 'The link could not be shared yet. Please try again.' };
  });
}

/** R10: the teacher ends early: link withdrawn and call ended at once, safety steps first. */
export function endNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => endLessonNow(deps, lesson));
}

/** Withdraws the link and ends the call for everyone (the teacher's End, or a second adult's). */
export function endLessonNow(deps: Deps, lesson: Lesson): ActionResult {
  if (lesson.status !== 'open')
    return { ok: false, message: `This lesson is ${lesson.status}; there is no call to end.` };
  const withdrawn = withdrawLinks(deps, [lesson]);
  const ended = endCalls(deps, [lesson]);
  const now = settle(deps, lesson.id, [withdrawn, ended]);
  if (ended.done === 0)
    return {
      ok: false,
      message:
        'Google Meet did not answer, so the call may still be running. Please end it in Meet (End call for everyone); the automation also keeps trying every minute.',
    };
  const stillLive = now !== undefined && linkIsLive(now);
  const note = stillLive
    ? ' Classroom did not answer, so the link will be removed automatically within a minute; the room is already locked.'
    : '';
  return {
    ok: true,
    message: `Lesson ended for everyone and the room is locked.${note}`,
    lesson: now,
  };
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
      return { ok: false, message: 'Chat can be changed while the room is open.' };
    deps.rooms.setChat(lesson.teacher, lesson.room, allowed);
    const now = settle(deps, lessonId, [
      outcome({
        changes: [
          {
            id: lessonId,
            apply: (fresh) => (fresh.status === 'open' ? notePupilChat(fresh, allowed) : fresh),
          },
        ],
      }),
    ]);
    return {
      ok: true,
      message: allowed ? 'Pupils can now use chat.' : 'Chat is now for hosts only.',
      lesson: now,
    };
  });
}

/** R13: the teacher confirms expectations were given and consent checked. */
export function confirmConsentNow(deps: Deps, teacher: string, lessonId: string): ActionResult {
  return run(deps, teacher, lessonId, () => {
    const at = deps.clock.now();
    const now = settle(deps, lessonId, [
      outcome({ changes: [{ id: lessonId, apply: (fresh) => confirmConsent(fresh, at) }] }),
    ]);
    return {
      ok: true,
      message: 'Thank you: recorded that expectations were given and consent checked.',
      lesson: now,
    };
  });
}

/**
 * R25, policy 001: the teacher confirms a parent/carer is present in the room of a 1:1, which
 * lets its link be shared (by the teacher or the automation). Kept on the lesson and in the log.
 */
export function confirmParentPresentNow(
  deps: Deps,
  teacher: string,
  lessonId: string,
): ActionResult {
  return run(deps, teacher, lessonId, (lesson) => {
    if (!needsParentPresent(lesson, deps.settings))
      return { ok: false, message: 'This lesson does not need a parent/carer confirmed.' };
    if (lesson.status !== 'open')
      return {
        ok: false,
        message: 'Confirm a parent/carer is present once the room is open and you can see them.',
      };
    if (lesson.parentPresentAt)
      return { ok: true, message: 'Already recorded: a parent/carer is present.', lesson };
    const at = deps.clock.now();
    const tz = deps.settings.timeZone;
    const now = settle(deps, lessonId, [
      outcome({
        changes: [
          {
            id: lessonId,
            apply: (fresh) =>
              fresh.status === 'open' && !fresh.parentPresentAt
                ? confirmParentPresent(fresh, at, tz)
                : fresh,
          },
        ],
      }),
    ]);
    return {
      ok: true,
      message:
        'Thank you: recorded that a parent/carer is present in the room. The link goes to Classroom once you are in the call.',
      lesson: now,
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
