// R2: a lesson needs the head teacher's or a nominee's agreement before its room can open.

import {
  approversNotAsked,
  approversReminder,
  newApproverNotices,
  notApprovedNotice,
  notApprovedNoticeDue,
  noteApproversAsked,
  noteNotApprovedTold,
} from '../core/approval-notices';
import { approve, decline, type Lesson } from '../core/lesson';
import { sharingClosedAt } from '../core/lifecycle-plan';
import { ukTimeRange } from '../core/time';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import type { ActionResult } from './teacher-actions';

export function isApprover(deps: Deps, email: string): boolean {
  return deps.settings.approvers.includes(email.toLowerCase());
}

export const OWN_LESSON =
  'You cannot approve or decline your own lesson: another approver named in the school settings must decide.';

/**
 * R2: a decline once the room is open comes too late to stop it: what it is running for is the
 * teacher's "End lesson for everyone", and a concern goes to the DSL as an incident.
 */
export const ALREADY_OPEN_DECLINE =
  'This lesson is already open: its room is running, so it can no longer be declined. If it must stop now, ask its teacher to press “End lesson for everyone”; if something is wrong, report an incident from Safe Live Lessons (it reaches the DSL at once).';

/**
 * Why `approver` may not decide on `lesson` now, or null when they may (R2). An approver may
 * withdraw their own agreement (decline a lesson they approved) until its room opens; another
 * approver's decline of it is refused (two review cards open at once: the first decision holds).
 */
export function decisionRefusal(
  deps: Deps,
  approver: string,
  lesson: Lesson,
  decision?: 'approve' | 'decline',
): string | null {
  if (!isApprover(deps, approver))
    return 'Only the approvers named in the school settings can approve lessons.';
  // Agreement means someone else's: a teacher who is also an approver cannot agree to their own lesson.
  if (lesson.teacher === approver.toLowerCase()) return OWN_LESSON;
  if (lesson.status === 'open' && decision === 'decline') return ALREADY_OPEN_DECLINE;
  if (lesson.status !== 'scheduled') return `This lesson is already ${lesson.status}.`;
  if (lesson.approval.state === 'auto') return 'This lesson needs no approval.';
  if (withdrawing(approver, lesson, decision)) return null;
  if (lesson.approval.state !== 'pending')
    return `This lesson was already ${lesson.approval.state} by ${lesson.approval.by}.`;
  return null;
}

/** R2: the approver who agreed to a lesson not yet open declines it: their agreement is withdrawn. */
function withdrawing(
  approver: string,
  lesson: Lesson,
  decision: 'approve' | 'decline' | undefined,
): boolean {
  return (
    decision === 'decline' &&
    lesson.status === 'scheduled' &&
    lesson.approval.state === 'approved' &&
    lesson.approval.by.toLowerCase() === approver.toLowerCase()
  );
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
  const refused = decisionRefusal(deps, approver, current, decision);
  if (refused) return { ok: false, message: refused };
  if (tooLate(deps, current, decision)) return { ok: false, message: TOO_LATE };
  if (decision === 'decline' && !reason.trim())
    return {
      ok: false,
      message: 'Give a reason for declining, so the teacher knows what to change.',
    };
  const outcome = withLessonLease(deps, lessonId, (lesson) => {
    const again =
      decisionRefusal(deps, approver, lesson, decision) ??
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
    const withdrawn = withdrawing(approver, lesson, decision);
    deps.notifier.send(
      [lesson.teacher],
      decision === 'approve' ? `Approved: ${lesson.title}` : `Declined: ${lesson.title}`,
      decision === 'approve'
        ? approvedBody(deps, lesson, approver)
        : withdrawn
          ? `${approver} has withdrawn their approval of your live lesson ${lesson.title} (${ukTimeRange(lesson.start, lesson.end, deps.settings.timeZone, now)}), so its room will not open: ${reason.trim()}\n\nIf you move the lesson in Calendar, it goes back to the approvers at its new time.`
          : `Your live lesson ${lesson.title} was declined by ${approver}: ${reason.trim()}`,
    );
    return {
      lesson: cleaned,
      value: {
        ok: true,
        message:
          decision === 'approve'
            ? 'Lesson approved.'
            : withdrawn
              ? 'Approval withdrawn: the lesson is declined, its room will not open, and the teacher has been told.'
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

/**
 * R2, R28: each minute, after the log: a lesson still awaiting a decision at its room's opening
 * time is told to its teacher (and its approvers are reminded), and approvers named since a
 * lesson was put to the approvers hear of it. What was told is written on the lessons first
 * (so a run that cannot write tells nobody, and is tried again next minute), then the notices
 * are queued; each person hears of each lesson once. A lesson needing no approval costs nothing.
 */
export function chaseApprovals(deps: Deps, mine: (lesson: Lesson) => boolean = () => true): void {
  const s = deps.settings;
  const now = deps.clock.now();
  const lessons = deps.store.all().filter(mine);
  const told = lessons.filter((l) => notApprovedNoticeDue(l, now, s));
  const asking = lessons
    .map((lesson) => ({ lesson, approvers: approversNotAsked(lesson, now, s.approvers) }))
    .filter((w) => w.approvers.length > 0);
  if (told.length === 0 && asking.length === 0) return;
  const toldIds = new Set(told.map((l) => l.id));
  const askingIds = new Set(asking.map((w) => w.lesson.id));
  const toldNow = new Set<string>();
  const askedNow = new Set<string>();
  const marked = deps.mutex.run(() => {
    const updates: Lesson[] = [];
    for (const id of new Set([...toldIds, ...askingIds])) {
      let fresh = deps.store.get(id);
      if (!fresh) continue;
      if (toldIds.has(id) && notApprovedNoticeDue(fresh, now, s)) {
        fresh = noteNotApprovedTold(fresh, now);
        toldNow.add(id);
      }
      if (askingIds.has(id) && approversNotAsked(fresh, now, s.approvers).length > 0) {
        fresh = noteApproversAsked(fresh, s.approvers);
        askedNow.add(id);
      }
      if (toldNow.has(id) || askedNow.has(id)) updates.push(fresh);
    }
    if (updates.length > 0) deps.store.putMany(updates);
  }, 10_000);
  if (!marked.ok) {
    deps.log.warn(`approval notices for ${toldIds.size + askingIds.size} lesson(s) wait a run`);
    return;
  }
  const nowTold = told.filter((l) => toldNow.has(l.id));
  const nowAsked = asking.filter((w) => askedNow.has(w.lesson.id));
  const notices = [
    ...nowTold.map((l) => notApprovedNotice(l, now, s)),
    ...approversReminder(nowTold, now, s),
    ...newApproverNotices(nowAsked, now, s),
  ];
  for (const n of notices)
    deps.notifier.send(n.to, n.subject, n.body, { kind: n.kind, urgency: n.urgency });
  if (nowTold.length > 0)
    deps.log.info(`${nowTold.length} lesson(s) not approved by their opening time: teachers told`);
  if (nowAsked.length > 0)
    deps.log.info(`approvers named since told of ${nowAsked.length} lesson(s) awaiting them`);
}
