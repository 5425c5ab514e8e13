// R2: a lesson needs the head teacher's or a nominee's agreement before its room can open.

import { approve, decline, type Lesson } from '../core/lesson';
import { sharingClosedAt } from '../core/lifecycle-plan';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import type { ActionResult } from './teacher-actions';

export function isApprover(deps: Deps, email: string): boolean {
  return deps.settings.approvers.includes(email.toLowerCase());
}

export const OWN_LESSON =
  'You cannot approve or decline your own lesson: another approver named in the school settings must decide.';

/** Why `approver` may not decide on `lesson` now, or null when they may (R2). */
export function decisionRefusal(deps: Deps, approver: string, lesson: Lesson): string | null {
  if (!isApprover(deps, approver))
    return 'Only the approvers named in the school settings can approve lessons.';
  // Agreement means someone else's: a teacher who is also an approver cannot agree to their own lesson.
  if (lesson.teacher === approver.toLowerCase()) return OWN_LESSON;
  if (lesson.status !== 'scheduled') return `This lesson is already ${lesson.status}.`;
  if (lesson.approval.state === 'auto') return 'This lesson needs no approval.';
  if (lesson.approval.state !== 'pending')
    return `This lesson was already ${lesson.approval.state} by ${lesson.approval.by}.`;
  return null;
}

export const TOO_LATE =
  'Too late to approve: the lesson is too close to its end for the link to go to the class, so its room will not open. The teacher can schedule it again.';

/** An approval that could no longer get the link to the class opens a room nobody can reach (R10). */
function tooLate(deps: Deps, lesson: Lesson, decision: 'approve' | 'decline'): boolean {
  return (
    decision === 'approve' &&
    deps.clock.now() >= sharingClosedAt(lesson, deps.settings.withdrawBeforeEndMinutes)
  );
}

/** What the teacher is told of an approval: the room opens now if its opening time has passed. */
function approvedBody(deps: Deps, lesson: Lesson, approver: string): string {
  const opensAt = lesson.start - deps.settings.openBeforeStartMinutes * 60_000;
  const when =
    deps.clock.now() >= opensAt
      ? 'Its room opens within a minute: join it from the lesson card in the sidebar, and the link goes to your class once you are in.'
      : 'Its room opens shortly before the start.';
  return `Your live lesson ${lesson.title} was approved by ${approver}. ${when}`;
}

export function decideLesson(
  deps: Deps,
  approver: string,
  lessonId: string,
  decision: 'approve' | 'decline',
  reason: string,
): ActionResult {
  if (!isApprover(deps, approver))
    return {
      ok: false,
      message: 'Only the approvers named in the school settings can approve lessons.',
    };
  // The lesson is read again here (the card's parameters say only which lesson), and once more
  // under the lease below, so nothing on the card decides who may do what.
  const current = deps.store.get(lessonId);
  if (!current) return { ok: false, message: 'That lesson no longer exists.' };
  const refused = decisionRefusal(deps, approver, current);
  if (refused) return { ok: false, message: refused };
  if (tooLate(deps, current, decision)) return { ok: false, message: TOO_LATE };
  if (decision === 'decline' && !reason.trim())
    return {
      ok: false,
      message: 'Give a reason for declining, so the teacher knows what to change.',
    };
  const outcome = withLessonLease(deps, lessonId, (lesson) => {
    const again =
      decisionRefusal(deps, approver, lesson) ??
      (tooLate(deps, lesson, decision) ? TOO_LATE : null);
    if (again !== null || lesson.status !== 'scheduled') {
      const message = again ?? `This lesson is already ${lesson.status}.`;
      return { lesson, value: { ok: false, message } as ActionResult };
    }
    const now = deps.clock.now();
    const decided =
      decision === 'approve'
        ? approve(lesson, approver, now)
        : decline(lesson, approver, reason.trim().slice(0, 500), now);
    const cleaned = {
      ...decided,
      flags: decided.flags.filter((f) => f.code !== 'not-approved' || decision === 'decline'),
    };
    deps.notifier.send(
      [lesson.teacher],
      decision === 'approve' ? `Approved: ${lesson.title}` : `Declined: ${lesson.title}`,
      decision === 'approve'
        ? approvedBody(deps, lesson, approver)
        : `Your live lesson ${lesson.title} was declined by ${approver}: ${reason.trim()}`,
    );
    return {
      lesson: cleaned,
      value: {
        ok: true,
        message:
          decision === 'approve'
            ? 'Lesson approved.'
            : 'Lesson declined; the teacher has been told.',
      } as ActionResult,
    };
  });
  if (outcome.ok) return outcome.value;
  return {
    ok: false,
    message:
      outcome.reason === 'missing' ? 'That lesson no longer exists.' : 'Busy; please try again.',
  };
}
