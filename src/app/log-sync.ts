// R3, R18: the automation writes every lesson's changes, and teachers' queued entries,
// into the log spreadsheet. A lesson counts as logged only after the write succeeded,
// so a Sheets outage delays rows but loses none. SLT (and approvers) hear of each new
// lesson the first time it is logged.

import { incidentFlag } from '../core/incident';
import { addFlags, type Lesson, markLogged } from '../core/lesson';
import { isSettled } from '../core/lifecycle-plan';
import { localDate, localTime } from '../core/time';
import type { Deps } from './deps';

/** Closed lessons stay in the store this long, so the teacher's sidebar can show them. */
export const KEEP_CLOSED_MS = 7 * 24 * 3_600_000;

export function syncLog(deps: Deps): number {
  const log = deps.safeguardingLog;
  if (!log) return 0;
  const changed = deps.store.all().filter((l) => l.version > l.loggedVersion);
  const byId = new Map(changed.map((l) => [l.id, l]));
  if (changed.length > 0) {
    log.record(changed, (ids) => {
      for (const id of ids) {
        const lesson = byId.get(id)!;
        deps.mutex.run(() => {
          const fresh = deps.store.get(id);
          if (fresh) deps.store.put(markLogged(fresh, lesson.version));
        }, 10_000);
        if (lesson.loggedVersion === 0) announce(deps, lesson);
      }
    });
  }
  const entries = deps.teacherLogs.pending();
  if (entries.length > 0) {
    // Only entries that reached their row leave the queue; the rest wait for the row.
    deps.teacherLogs.done(log.addTeacherEntries(entries));
  }
  const incidents = deps.incidents.pending();
  if (incidents.length > 0) {
    const placed = log.addIncidents(incidents);
    // The lesson carries the serious flag even if the teacher's execution could not add it.
    for (const report of placed) {
      deps.mutex.run(() => {
        const fresh = deps.store.get(report.lessonId);
        if (fresh && !fresh.flags.some((f) => f.code === 'incident'))
          deps.store.put(addFlags(fresh, [incidentFlag(report)]));
      }, 10_000);
    }
    deps.incidents.done(placed);
  }
  prune(deps);
  return changed.length + entries.length + incidents.length;
}

/** R3: SLT are told of every scheduled lesson; R2: approvers of one awaiting them. */
function announce(deps: Deps, lesson: Lesson): void {
  const { timeZone } = deps.settings;
  const when = `${localDate(lesson.start, timeZone)} ${localTime(lesson.start, timeZone)}-${localTime(lesson.end, timeZone)}`;
  const flags = lesson.flags.filter((f) => f.code !== 'not-approved');
  const body =
    `${lesson.teacher} scheduled a live lesson: ${lesson.title} (${lesson.courseName}), ${when}.\n` +
    `Second member of staff: ${lesson.secondStaff ?? 'none named'}.\n` +
    (flags.length > 0 ? `Flags:\n${flags.map((f) => `- ${f.detail}`).join('\n')}\n` : '') +
    `Lesson id ${lesson.id}; the log spreadsheet has the details.`;
  deps.notifier.send(
    deps.settings.sltEmails,
    `Live lesson scheduled: ${lesson.title} (${when})`,
    body,
  );
  if (lesson.approval.state === 'pending' && deps.settings.approvers.length > 0) {
    deps.notifier.send(
      deps.settings.approvers,
      `Approval needed: ${lesson.title} (${when})`,
      `${body}\n\nOpen Safe Live Lessons in the Google Workspace sidebar to approve or decline it. Its room cannot open until it is approved.`,
    );
  }
}

function prune(deps: Deps): void {
  const now = deps.clock.now();
  for (const lesson of deps.store.all()) {
    if (isSettled(lesson) && now - lesson.end > KEEP_CLOSED_MS) {
      deps.mutex.run(() => {
        const fresh = deps.store.get(lesson.id);
        if (fresh && isSettled(fresh)) deps.store.remove(lesson.id);
      }, 10_000);
    }
  }
}
