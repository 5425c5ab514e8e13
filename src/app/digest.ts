// R19: SLT see at a glance what needs attention. Every morning a digest of serious flags
// and open follow-ups reaches SLT and the DSL by email (incidents and external participants
// are also told at once, elsewhere); every hour the Dashboard sheet is rewritten, and
// follow-ups SLT closed in the Incidents sheet leave the teachers' cards.

import { dashboardBlocks } from '../core/dashboard';
import { isSerious } from '../core/flags';
import { isClosedStatus } from '../core/incident';
import type { Lesson } from '../core/lesson';
import type { DashboardSheet } from '../core/ports';
import { localDate, localTime } from '../core/time';
import type { Deps } from './deps';

const DAY_MS = 24 * 3_600_000;
/** Lessons ahead that the digest looks at: a serious flag on next week's lesson can still be fixed. */
const LOOK_AHEAD_MS = 7 * DAY_MS;

export interface DigestReport {
  sent: boolean;
  lessons: number;
  followUps: number;
}

/** The lessons the digest is about: run in the last day, or coming in the next week. */
export function digestLessons(lessons: readonly Lesson[], now: number): Lesson[] {
  return lessons
    .filter((l) => l.status !== 'cancelled' && isSerious(l.flags))
    .filter(
      (l) =>
        (l.end <= now && l.end > now - DAY_MS) || (l.end > now && l.start < now + LOOK_AHEAD_MS),
    )
    .sort((a, b) => a.start - b.start);
}

/** Sends the digest when there is something serious to say; silence means nothing serious. */
export function sendDailyDigest(deps: Deps): DigestReport {
  const now = deps.clock.now();
  const { timeZone } = deps.settings;
  const lessons = digestLessons(deps.store.all(), now);
  const followUps = deps.followUps.open();
  if (lessons.length === 0 && followUps.length === 0)
    return { sent: false, lessons: 0, followUps: 0 };
  const when = (l: Lesson) => `${localDate(l.start, timeZone)} ${localTime(l.start, timeZone)}`;
  const lines: string[] = [
    `Safe Live Lessons, ${localDate(now, timeZone)}: what needs SLT's attention.`,
    '',
  ];
  if (lessons.length > 0) {
    lines.push(`Serious flags (${lessons.length} lesson(s), the last day and the week ahead):`);
    for (const l of lessons) {
      lines.push(`- ${when(l)} ${l.title} (${l.courseName}), ${l.teacher}, ${l.id}`);
      for (const f of l.flags.filter((f) => f.severity === 'serious'))
        lines.push(`    ${f.detail}`);
    }
    lines.push('');
  }
  if (followUps.length > 0) {
    lines.push(`Pupils to follow up before they join a live lesson again (${followUps.length}):`);
    for (const f of followUps)
      lines.push(
        `- ${f.personName}, removed ${localDate(f.at, timeZone)} (incident ${f.incidentId})`,
      );
    lines.push('');
  }
  lines.push('The Dashboard sheet of the safeguarding log has the details.');
  const to = [...deps.settings.sltEmails, ...deps.settings.dslEmails];
  deps.notifier.send(
    to,
    `Safe Live Lessons daily digest: ${lessons.length} flagged lesson(s), ${followUps.length} follow-up(s)`,
    lines.join('\n'),
  );
  deps.log.info(`digest sent: ${lessons.length} lessons, ${followUps.length} follow-ups`);
  return { sent: to.length > 0, lessons: lessons.length, followUps: followUps.length };
}

/** Rewrites the Dashboard; follow-ups whose incident SLT closed are closed first. */
export function refreshDashboard(deps: Deps, board: DashboardSheet): { closedFollowUps: number } {
  const { sessions, incidents } = board.read();
  const closed = incidents
    .filter((i) => isClosedStatus(i.Status))
    .map((i) => String(i['Incident ID'] ?? ''))
    .filter(Boolean);
  const open = new Set(deps.followUps.open().map((f) => f.incidentId));
  const toClose = closed.filter((id) => open.has(id));
  const closedFollowUps =
    toClose.length > 0
      ? deps.mutex.run(() => deps.followUps.close(toClose), 10_000).ok
        ? toClose.length
        : 0
      : 0;
  const now = deps.clock.now();
  board.write(
    dashboardBlocks({
      sessions,
      incidents,
      followUps: deps.followUps.open(),
      now,
      timeZone: deps.settings.timeZone,
    }),
    now,
  );
  return { closedFollowUps };
}
