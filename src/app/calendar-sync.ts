// R1: the Calendar event is the lesson's appointment. This runs in the teacher's own execution
// (their installable `onEventUpdated` trigger) and reads only their own calendar. A change counts
// only if it is to the event the product made, on the lesson's own teacher's calendar: a forged
// tag, a copied event id or the second adult's copy changes nothing. What a change does is the
// core's decision (core/calendar-change.ts); here it is stored under the lesson's lease, then
// any safety step it makes due (withdraw the link, end the call) is sent at once with the
// monitor's own steps, and then the teacher and SLT are told. The sync token moves on only once
// every change is applied.

import {
  changeMessages,
  claimChange,
  type DecideContext,
  type Decision,
  decideChange,
  decisionLine,
  ignoredIsNotable,
  ignoredLine,
} from '../core/calendar-change';
import { isFailure } from '../core/errors';
import { noteEventGuests, outsideGuests } from '../core/event-guests';
import type { Lesson } from '../core/lesson';
import { dueActions } from '../core/lifecycle-plan';
import type { CalendarChange, CalendarChanges } from '../core/ports';
import { schoolLeads } from '../core/settings';
import { SAFETY_STEPS } from '../core/tick-plan';
import type { Deps } from './deps';
import { commit, LEASE_MS, tell as tellNotices } from './lesson-commits';
import { withLessonLease } from './lesson-lease';
import { endCalls } from './steps/end-calls';
import { withdrawLinks } from './steps/withdraw-links';

export interface CalendarSyncReport {
  /** Changes that changed a lesson. */
  applied: number;
  /** Changes that name or mirror a lesson but are not its own event on its teacher's calendar. */
  ignored: number;
  /** Changes not yet applied (the lesson stayed busy): read again at the next sync. */
  pending: number;
  /** The calendar could not be read: the teacher was told. */
  unreadable: boolean;
}

/** How long to wait for a lesson another run is working on, and how often to look again. */
const BUSY_WAIT_MS = 20_000;
/** Enough waits to outlast a lease left by a run that was killed (LEASE_MS). */
const BUSY_TRIES = Math.ceil(LEASE_MS / BUSY_WAIT_MS) + 1;
/** Stop waiting on busy lessons after this long: the execution must end well inside 6 minutes. */
const WAIT_BUDGET_MS = 3 * 60_000;
/** A Calendar read that failed is tried once more after this pause. */
const READ_RETRY_MS = 10_000;

export function syncCalendar(deps: Deps, owner: string): CalendarSyncReport {
  const me = owner.toLowerCase();
  const report: CalendarSyncReport = { applied: 0, ignored: 0, pending: 0, unreadable: false };
  const read = readChanges(deps, me);
  if (!read) return { ...report, unreadable: true };
  if (read.restarted)
    deps.log.info('calendar sync: sync token expired (410): the whole calendar was read again');
  if (read.changes.length === 0) {
    read.commit();
    return report;
  }
  const started = deps.clock.now();
  const lessons = deps.store.all();
  for (const change of read.changes) {
    const claim = claimChange(lessons, me, change);
    if (claim.kind === 'unrelated') continue;
    if (claim.kind === 'ignored') {
      report.ignored += 1;
      if (ignoredIsNotable(claim, change, lessons)) {
        const line = ignoredLine(claim.lessonId, claim.why);
        if (claim.why === 'second-adult-copy') deps.log.info(line);
        else deps.log.warn(line);
      }
      continue;
    }
    const outcome = applyChange(deps, claim.lesson.id, change, started);
    if (outcome === 'busy') report.pending += 1;
    else if (outcome === 'applied') report.applied += 1;
  }
  if (report.pending === 0) read.commit();
  else {
    // The sync token stays where it was: these changes are read again at the next sync.
    deps.log.warn(`calendar sync: ${report.pending} change(s) not yet applied: lesson busy`);
    deps.notifier.send(
      [me],
      'Safe Live Lessons: a Calendar change is waiting',
      'A change you made to a live lesson’s Calendar event could not be applied yet, because the lesson was busy with another step. It will be applied the next time your Calendar changes. Open Safe Live Lessons in the sidebar to check the lesson’s times now.',
    );
  }
  if (report.applied + report.ignored > 0)
    deps.log.info(
      `calendar sync: ${report.applied} applied, ${report.ignored} ignored, ${report.pending} pending`,
    );
  return report;
}

/** The owner's changes, tried twice; if Calendar cannot be read, the owner is told (R28). */
function readChanges(deps: Deps, me: string): CalendarChanges | null {
  for (let attempt = 1; ; attempt++) {
    try {
      return deps.calendar.changes(me);
    } catch (error) {
      if (!isFailure(error)) throw error;
      if (attempt === 1 && isFailure(error, 'transient') && deps.clock.sleep) {
        deps.clock.sleep(READ_RETRY_MS);
        continue;
      }
      deps.log.warn(`calendar sync: calendar not read: ${error.kind}`);
      deps.notifier.send(
        [me],
        'Safe Live Lessons could not read your Calendar',
        'Safe Live Lessons could not read your Google Calendar just now, so a change you made to a live lesson’s event may not have reached the lesson. It will be picked up the next time your Calendar changes. Open Safe Live Lessons in the sidebar to check your lessons’ times; if one is wrong, move or delete its event again.',
      );
      return null;
    }
  }
}

type Applied = 'applied' | 'unchanged' | 'busy';
type Told = { decision: Decision; before: Lesson; after: Lesson };

/** Applies one change to its lesson under the lesson's lease, waiting a little if another run holds it. */
function applyChange(
  deps: Deps,
  lessonId: string,
  change: CalendarChange,
  started: number,
): Applied {
  for (let tries = 1; ; tries++) {
    const outcome = withLessonLease<Told>(deps, lessonId, (lesson) => {
      const decision = decideChange(lesson, change, {
        now: deps.clock.now(),
        settings: deps.settings,
        ...othersOf(deps, lesson),
      });
      const decided = decision.kind === 'none' ? lesson : decision.lesson;
      // R5, R7: who the event's guests are now, whatever else changed.
      const next = noteEventGuests(
        decided,
        outsideGuests(decided, change.guests, schoolLeads(deps.settings)),
      );
      return { lesson: next, value: { decision, before: lesson, after: next } };
    });
    if (outcome.ok) {
      const { decision, before, after } = outcome.value;
      const guestsCame = after.eventGuests! > 0 && !(before.eventGuests! > 0);
      if (decision.kind !== 'none') safetyNow(deps, lessonId);
      if (guestsCame) tellLinkKeptOff(deps, lessonId);
      if (decision.kind === 'none') return after === before ? 'unchanged' : 'applied';
      tell(deps, lessonId, before, decision);
      return 'applied';
    }
    if (outcome.reason === 'missing') return 'unchanged';
    const canWait = deps.clock.sleep && deps.clock.now() - started < WAIT_BUDGET_MS;
    if (tries >= BUSY_TRIES || !canWait) return 'busy';
    deps.clock.sleep?.(BUSY_WAIT_MS);
  }
}

/** The class's other live lessons' starts (the weekly cap) and the teacher's (double booking). */
function othersOf(
  deps: Deps,
  lesson: Lesson,
): Pick<DecideContext, 'otherLessonStarts' | 'teacherLessons'> {
  const others = deps.store
    .all()
    .filter(
      (l) => l.id !== lesson.id && l.status !== 'cancelled' && l.approval.state !== 'declined',
    );
  return {
    otherLessonStarts: others.filter((l) => l.courseId === lesson.courseId).map((l) => l.start),
    teacherLessons: others.filter((l) => l.teacher === lesson.teacher),
  };
}

/**
 * R10: safety first. A change that makes the link or the call due to end (the event deleted
 * during the lesson, moved to an end already past) is acted on now, as the teacher, with the
 * monitor's own steps (safe to repeat, so nothing is claimed), not at the monitor's next run.
 * A step that fails is left to the monitor, which retries every minute.
 */
function safetyNow(deps: Deps, lessonId: string): void {
  for (const action of SAFETY_STEPS) {
    const lesson = deps.store.get(lessonId);
    if (!lesson || !dueActions(lesson, deps.clock.now(), deps.settings).includes(action)) continue;
    try {
      const out =
        action === 'withdraw-link' ? withdrawLinks(deps, [lesson]) : endCalls(deps, [lesson]);
      commit(deps, out.changes);
      tellNotices(deps, out.notices);
      if (out.failed + out.cannotActAs > 0)
        deps.log.warn(`calendar sync: ${action} for ${lessonId} left to the monitor`);
    } catch (error) {
      if (!isFailure(error)) throw error;
      deps.log.warn(`calendar sync: ${action} for ${lessonId} left to the monitor: ${error.kind}`);
    }
  }
}

/**
 * R5, R7: the teacher invited people who are not the lesson's staff to its event. The monitor
 * keeps the link off the event (its next run takes off one already there); the teacher is told
 * why, and the lesson's flag tells SLT.
 */
function tellLinkKeptOff(deps: Deps, lessonId: string): void {
  const lesson = deps.store.get(lessonId);
  if (lesson?.status === 'scheduled' || lesson?.status === 'open')
    deps.notifier.send(
      [lesson.teacher],
      `Safe Live Lessons: the room link is kept off the event of “${lesson.title}”`,
      `You invited people to the lesson's Calendar event who are not its staff (a pupil, a class's group or someone from outside the school, for example). Their copy of the event would show the room link before you are in the call, so Safe Live Lessons keeps the link off the event; SLT see this in the log. Your class still gets the link on Google Classroom once you are in the call, and you find it on the lesson card in the Safe Live Lessons sidebar. To have it on the event again, remove those guests.`,
    );
}

/** Bookkeeping after the safety steps: the operations log, then the teacher and SLT in words. */
function tell(deps: Deps, lessonId: string, before: Lesson, decision: Decision): void {
  const line = decisionLine(lessonId, decision);
  if (line) deps.log.info(line);
  for (const message of changeMessages(before, decision, deps.settings))
    deps.notifier.send(message.to, message.subject, message.body);
}
