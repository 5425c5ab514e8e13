// R3, R18, R20: the automation writes the log spreadsheet, and tells SLT and approvers what
// was scheduled. A lesson counts as logged only after its write succeeded, so a Sheets outage
// delays rows but loses none.
//
// The rule (issue 8), decided by the pure `logWriteDue` in src/core/log-moment.ts: a lesson's
// Sessions row is written
//   - when it is first scheduled (R3), at the next minute's run;
//   - when something SLT must see at once changes: cancelled, moved, approved or declined, a
//     serious flag gained or lost;
//   - when it closes: all the times, attendance and flags in one go;
//   - and its recording cells when the recordings job links it (recordings-sheet.ts).
// Opening, sharing, withdrawing, ending, consent and warning flags bump the lesson's version
// but wait for the next of those writes. A standard lesson is thus written twice by this job
// (2 + 3 Sheets calls) and once by the recordings job (5 calls with its registry and audit).
// SLT hear of new lessons in one list an hour at most; approvers at once, one email a run.
//
// Staff entries and incident reports are placed only from the lesson's teacher or second adult
// as its Sessions row names them; a refused or impossible one leaves the queue with its author
// (or the DSL) told, so the queue cannot fill with entries that will never be placed.
//
// Bounded and resumable: syncLog stops starting work once its budget is spent and the rest
// waits for the next run. A run killed at any point loses nothing (queues are emptied only
// after their writes) and writes nothing twice (a row's place is kept before it is written,
// an entry already in its cell is not added again, an incident is found by its id).

import { noteApproversAsked } from '../core/approval-notices';
import { incidentFlag } from '../core/incident';
import { addFlags, type Lesson, markLogged, writeAgain } from '../core/lesson';
import { isSettled } from '../core/lifecycle-plan';
import { logMark, logWriteDue } from '../core/log-moment';
import { NOTICE_MAX_BYTES, utf8Bytes } from '../core/mail-plan';
import type { Placement } from '../core/ports';
import type { TeacherLogEntry } from '../core/teacher-log';
import { localDate, localTime } from '../core/time';
import type { Deps } from './deps';

/** Closed lessons stay in the store this long, so the teacher's sidebar can show them. */
export const KEEP_CLOSED_MS = 7 * 24 * 3_600_000;
/**
 * How long syncLog may start new work in one run. The monitor calls it at the end of its own
 * run (budget 4.5 minutes of the 6-minute limit); a normal run needs a second or two, and 30 s
 * leaves room for one Sheets call that times out (60 s) inside the limit. A caller that knows
 * its own deadline passes it.
 */
export const SYNC_BUDGET_MS = 30_000;
/** Lessons written per block: one Sheets write each, small enough to finish well inside the budget. */
export const LESSONS_PER_WRITE = 100;
/**
 * SLT hear of newly scheduled lessons in one list at most this often (R3: each within the
 * hour: a monitor run comes every minute, so the list is never more than an hour late).
 */
export const SCHEDULED_LIST_EVERY_MS = 59 * 60_000;

const LOCK_MS = 10_000;

export interface SyncOptions {
  /** Stop starting work at this time (default: SYNC_BUDGET_MS from now). */
  deadline?: number;
}

/** Writes what is due; returns how many lessons, entries and reports it wrote or settled. */
export function syncLog(deps: Deps, options: SyncOptions = {}): number {
  const log = deps.safeguardingLog;
  if (!log) return 0;
  const deadline = options.deadline ?? deps.clock.now() + SYNC_BUDGET_MS;
  const outOfTime = () => deps.clock.now() >= deadline;
  let count = 0;

  const due = deps.store.all().filter((l) => logWriteDue(l) !== null);
  const firstLogged: Lesson[] = [];
  for (let i = 0; i < due.length; i += LESSONS_PER_WRITE) {
    if (outOfTime()) {
      deps.log.info(`log: ${due.length - i} lesson row(s) left for the next run`);
      break;
    }
    const block = due.slice(i, i + LESSONS_PER_WRITE);
    const byId = new Map(block.map((l) => [l.id, l]));
    log.record(block, (ids) => {
      const written = ids.map((id) => byId.get(id)!);
      markWritten(deps, written);
      firstLogged.push(...written.filter((l) => l.loggedVersion === 0));
    });
    count += block.length;
  }
  tellApprovers(deps, firstLogged);
  if (!outOfTime()) count += placeIncidents(deps);
  if (!outOfTime()) count += placeEntries(deps);
  if (!outOfTime()) tellSltOfScheduled(deps);
  prune(deps);
  return count;
}

/** The written versions are logged; a lesson logged for the first time waits for SLT's list. */
function markWritten(deps: Deps, written: readonly Lesson[]): void {
  deps.mutex.run(() => {
    const updates: Lesson[] = [];
    for (const lesson of written) {
      const fresh = deps.store.get(lesson.id);
      if (!fresh) continue;
      // R2: a lesson first logged is put to the approvers named now (tellApprovers, below).
      const asked = lesson.loggedVersion === 0 ? askedOnFirstLog(deps, fresh) : fresh;
      updates.push({
        ...markLogged(asked, lesson.version),
        logMark: logMark(lesson),
        sltToldAt: lesson.loggedVersion === 0 ? (fresh.sltToldAt ?? null) : fresh.sltToldAt,
      });
    }
    if (updates.length > 0) deps.store.putMany(updates);
  }, LOCK_MS);
}

function askedOnFirstLog(deps: Deps, lesson: Lesson): Lesson {
  return lesson.approval.state === 'pending' && deps.settings.approvers.length > 0
    ? noteApproversAsked(lesson, deps.settings.approvers)
    : lesson;
}

function when(deps: Deps, lesson: Lesson): string {
  const tz = deps.settings.timeZone;
  return `${localDate(lesson.start, tz)} ${localTime(lesson.start, tz)}-${localTime(lesson.end, tz)}`;
}

function lessonLine(deps: Deps, lesson: Lesson): string {
  const flags = lesson.flags.filter((f) => f.code !== 'not-approved');
  return [
    `- ${when(deps, lesson)} ${lesson.title} (${lesson.courseName}), ${lesson.teacher}; second member of staff: ${lesson.secondStaff ?? 'none named'}; lesson id ${lesson.id}${lesson.status === 'cancelled' ? ' (since cancelled)' : ''}`,
    ...flags.map((f) => `    ${f.detail}`),
  ].join('\n');
}

/** R2: approvers hear at once of lessons awaiting them: one email per run listing them all. */
function tellApprovers(deps: Deps, lessons: readonly Lesson[]): void {
  const waiting = lessons.filter((l) => l.approval.state === 'pending');
  if (waiting.length === 0 || deps.settings.approvers.length === 0) return;
  const lists = listParts(deps, waiting, deps.settings.approvers);
  const parts = lists.length;
  for (let p = 0; p < parts; p++) {
    const { lessons: part, lines } = lists[p]!;
    const of = parts > 1 ? ` (list ${p + 1} of ${parts})` : '';
    deps.notifier.send(
      deps.settings.approvers,
      part.length === 1 && parts === 1
        ? `Approval needed: ${part[0]!.title} (${when(deps, part[0]!)})`
        : `Approval needed: ${part.length} live lessons${of}`,
      [
        `${part.length === 1 ? 'This live lesson awaits' : 'These live lessons await'} approval:`,
        ...lines,
        '',
        'Open Safe Live Lessons in the Google Workspace sidebar to approve or decline. A room cannot open until its lesson is approved.',
      ].join('\n'),
      { kind: 'approval-needed', urgency: listUrgency(parts) },
    );
  }
}

/**
 * R3: SLT are told of every scheduled lesson, in one list per hour at most: the lessons in the
 * log that SLT have not heard of yet. The list is sent before the lessons are marked as told,
 * so a run cut off between the two sends it again rather than not at all.
 */
/** Lessons named in one email of SLT's list. */
const LESSONS_PER_LIST = 40;
/** Room in one queued notice for its subject, its opening and closing words and its fields. */
const LIST_WORDS_BYTES = 1_000;

/**
 * R2, R3: the lessons of a list in emails of at most LESSONS_PER_LIST lessons whose lines fit one
 * queued notice with its recipients, so that no email is shortened and no lesson left out of it
 * (40 lessons with a flag each would not fit, and the queue cuts what does not).
 */
function listParts(
  deps: Deps,
  lessons: readonly Lesson[],
  to: readonly string[],
): { lessons: Lesson[]; lines: string[] }[] {
  const room = NOTICE_MAX_BYTES - LIST_WORDS_BYTES - utf8Bytes(JSON.stringify(to));
  const parts: { lessons: Lesson[]; lines: string[] }[] = [];
  let bytes = 0;
  for (const lesson of lessons) {
    const line = lessonLine(deps, lesson);
    // As the queue stores it: JSON, so each newline is two bytes.
    const size = utf8Bytes(JSON.stringify(line));
    const last = parts[parts.length - 1];
    if (last && last.lessons.length < LESSONS_PER_LIST && bytes + size <= room) {
      last.lessons.push(lesson);
      last.lines.push(line);
      bytes += size;
    } else {
      parts.push({ lessons: [lesson], lines: [line] });
      bytes = size;
    }
  }
  return parts;
}

/**
 * A list of one email waits for the recipient's next combined email ('soon'). A list of several
 * (a school planning its week at once) goes as it is made, one email each: the mail queue's
 * share of the store holds about 40 KB, and 600 lessons' lines would not fit in it, so they
 * would be folded into a digest that names none of them.
 */
function listUrgency(parts: number): 'now' | 'soon' {
  return parts > 1 ? 'now' : 'soon';
}

function tellSltOfScheduled(deps: Deps): void {
  const lessons = deps.store.all();
  const waiting = lessons.filter((l) => l.sltToldAt === null);
  if (waiting.length === 0) return;
  const now = deps.clock.now();
  const last = Math.max(0, ...lessons.map((l) => l.sltToldAt ?? 0));
  if (now - last < SCHEDULED_LIST_EVERY_MS) return;
  // One email per 40 lessons at most (fewer when their lines are long): a school planning its
  // whole week at once still reaches SLT lesson by lesson, each email within one queued notice.
  const lists = listParts(deps, waiting, deps.settings.sltEmails);
  const parts = lists.length;
  for (let p = 0; p < parts; p++) {
    const { lessons: part, lines } = lists[p]!;
    const first = part[0]!;
    const of = parts > 1 ? ` (list ${p + 1} of ${parts})` : '';
    deps.notifier.send(
      deps.settings.sltEmails,
      part.length === 1 && parts === 1
        ? `Live lesson scheduled: ${first.title} (${when(deps, first)})`
        : `${part.length} live lessons scheduled${of}: ${part
            .slice(0, 3)
            .map((l) => l.title)
            .join(', ')}${part.length > 3 ? ', …' : ''}`,
      [
        `Scheduled since the last list (${waiting.length}${parts > 1 ? `; ${part.length} in this email` : ''}):`,
        ...lines,
        '',
        'The Sessions sheet of the safeguarding log has each of them.',
      ].join('\n'),
      { kind: 'lesson-scheduled', urgency: listUrgency(parts) },
    );
  }
  const told = new Set(waiting.map((l) => l.id));
  deps.mutex.run(() => {
    const updates = deps.store
      .all()
      .filter((l) => told.has(l.id) && l.sltToldAt === null)
      .map((l) => ({ ...l, sltToldAt: now }));
    if (updates.length > 0) deps.store.putMany(updates);
  }, LOCK_MS);
  deps.log.info(`SLT told of ${told.size} newly scheduled lesson(s)`);
}

/**
 * Incident reports into the Incidents sheet (the DSL had the email already). A report the log
 * refuses (not from the lesson's staff, or for a lesson it has never had) leaves the queue and
 * the DSL and SLT are told, so nothing stays stuck or goes unheard.
 */
function placeIncidents(deps: Deps): number {
  const log = deps.safeguardingLog!;
  const reports = deps.incidents.pending();
  if (reports.length === 0) return 0;
  const outcomes = log.addIncidents(reports);
  const inStore = new Set(deps.store.all().map((l) => l.id));
  const waiting = new Set<string>();
  const settled = reports.filter((r, i) => {
    const outcome = outcomes[i];
    if (outcome === 'placed') return true;
    if (outcome === 'no-row' && inStore.has(r.lessonId)) {
      waiting.add(r.lessonId); // its row comes first
      return false;
    }
    deps.notifier.send(
      [...deps.settings.dslEmails, ...deps.settings.sltEmails],
      `Incident ${r.id} was NOT added to the Incidents sheet`,
      `The incident report ${r.id} from ${r.reportedBy} about lesson ${r.lessonId} was not added to the log: ${
        outcome === 'not-staff'
          ? 'the Sessions sheet does not name them as the lesson’s teacher or second adult'
          : 'the log has no such lesson'
      }. The DSL had the report by email when it was made; please record it by hand.`,
    );
    deps.log.warn(`incident ${r.id} refused by the log: ${outcome}`);
    return true;
  });
  // The lesson carries the serious flag even if the reporter's execution could not add it.
  const placed = reports.filter((_, i) => outcomes[i] === 'placed');
  if (placed.length > 0)
    deps.mutex.run(() => {
      const updates: Lesson[] = [];
      for (const report of placed) {
        const fresh = deps.store.get(report.lessonId);
        if (fresh && !fresh.flags.some((f) => f.code === 'incident'))
          updates.push(addFlags(fresh, [incidentFlag(report)]));
      }
      if (updates.length > 0) deps.store.putMany(updates);
    }, LOCK_MS);
  deps.incidents.done(settled);
  rowsToCome(deps, waiting);
  return settled.length;
}

const REFUSED: Record<Exclude<Placement, 'placed' | 'no-row'>, string> = {
  'not-staff':
    'only the lesson’s teacher and its second adult, as the log names them, can write its log',
  full: 'its log cells are full. Please send it to SLT by email',
};

/**
 * Staff's Appendix A entries into their lessons' rows, below what the rows hold. An entry that
 * cannot be placed leaves the queue and its author gets it back by email, word for word.
 */
function placeEntries(deps: Deps): number {
  const log = deps.safeguardingLog!;
  const entries = deps.teacherLogs.pending();
  if (entries.length === 0) return 0;
  const outcomes = log.addTeacherEntries(entries);
  const inStore = new Set(deps.store.all().map((l) => l.id));
  const waiting = new Set<string>();
  const settled = entries.filter((entry, i) => {
    const outcome = outcomes[i]!;
    if (outcome === 'placed') return true;
    if (outcome === 'no-row' && inStore.has(entry.lessonId)) {
      waiting.add(entry.lessonId); // its row comes first
      return false;
    }
    returnToAuthor(
      deps,
      entry,
      outcome === 'no-row' ? 'the log has no such lesson' : REFUSED[outcome],
    );
    deps.log.warn(`log entry for ${entry.lessonId} refused: ${outcome}`);
    return true;
  });
  deps.teacherLogs.done(settled);
  rowsToCome(deps, waiting);
  return settled.length;
}

/**
 * Entries and reports wait in their queue for their lesson's Sessions row. A lesson already
 * logged whose row is not in the log now in use would never get one there: its rows are in a
 * log kept as the record since a new one was started (or in a log deleted since). It is written
 * again, whole (times, flags, attendance), by the next sync, and what waited is placed after it.
 */
function rowsToCome(deps: Deps, lessonIds: ReadonlySet<string>): void {
  if (lessonIds.size === 0) return;
  deps.mutex.run(() => {
    const again = [...lessonIds]
      .map((id) => deps.store.get(id))
      .filter((l): l is Lesson => !!l && logWriteDue(l) === null)
      .map(writeAgain);
    if (again.length > 0) deps.store.putMany(again);
  }, LOCK_MS);
}

function returnToAuthor(deps: Deps, entry: TeacherLogEntry, why: string): void {
  deps.notifier.send(
    [entry.teacher],
    `Your lesson log for ${entry.lessonId} was not recorded`,
    [
      `Your log entry for lesson ${entry.lessonId} was not recorded: ${why}.`,
      '',
      'What you wrote, so nothing is lost:',
      `Any technology issues: ${entry.technologyIssues}`,
      `Any inappropriate behaviour: ${entry.inappropriateBehaviour}`,
      `Anything to share with SLT: ${entry.shareWithSlt}`,
    ].join('\n'),
  );
}

/** Settled lessons leave the store a week after their end; the log keeps where rows are only for those that stay. */
function prune(deps: Deps): void {
  const now = deps.clock.now();
  for (const lesson of deps.store.all()) {
    if (isSettled(lesson) && now - lesson.end > KEEP_CLOSED_MS) {
      deps.mutex.run(() => {
        const fresh = deps.store.get(lesson.id);
        if (fresh && isSettled(fresh)) deps.store.remove(lesson.id);
      }, LOCK_MS);
    }
  }
  deps.safeguardingLog?.retainPlaces(deps.store.all().map((l) => l.id));
}
