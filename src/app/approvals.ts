// R2: a lesson needs the head teacher's or a nominee's agreement before its room can open.

import { approve, decline } from '../core/lesson';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import type { ActionResult } from './teacher-actions';

export function isApprover(deps: Deps, email: string): boolean {
  return deps.settings.approvers.includes(email.toLowerCase());
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
  if (decision === 'decline' && !reason.trim())
    return {
      ok: false,
      message: 'Give a reason for declining, so the teacher knows what to change.',
    };
  const outcome = withLessonLease(deps, lessonId, (lesson) => {
    if (lesson.status !== 'scheduled')
      return {
        lesson,
        value: { ok: false, message: `This lesson is already ${lesson.status}.` } as ActionResult,
      };
    if (lesson.approval.state !== 'pending')
      return {
        lesson,
        value: {
          ok: false,
          message: `This lesson was already ${lesson.approval.state}.`,
        } as ActionResult,
      };
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
        ? `Your live lesson ${lesson.title} was approved by ${approver}. Its room opens shortly before the start.`
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
