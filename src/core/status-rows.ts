// R28, issue 9 (point 4): the log's Status sheet, from the health record: one row per thing
// that can break, with its state in words.

import {
  GOOGLE_FAILING_RUNS,
  type HealthState,
  JOB_NAMES,
  JOBS,
  LOG_CELL_LIMIT,
  lateJobs,
  MAIL_RECIPIENTS_PER_DAY,
  type PlaceHealth,
  QUOTA_WARN_SHARE,
  refusedAccounts,
  TRIGGER_RUNTIME_PER_DAY_MS,
  URLFETCH_PER_DAY,
} from './health';
import type { LessonAtRisk } from './health-notices';
import { at, failingRequests, percent, serviceLabel, thousands } from './health-problems';
import { quotaShortWords } from './mail-ledger';
import { localDate, localTime, MINUTE_MS } from './time';

/** What the log's Status sheet keeps of a cell (adapters/status-sheet.ts). */
export const STATUS_CELL_CHARS = 500;

/**
 * The Status sheet: one row per thing that can break, with its state in words. Given the
 * store's lessons, each refused account's row names that teacher's lessons at risk today (R28:
 * while mail cannot go out, the sheet is the only channel).
 */
export function statusRows(
  state: HealthState,
  now: number,
  tz: string,
  storeLessons?: readonly LessonAtRisk[],
): string[][] {
  const when = (ms: number | null) => (ms === null ? 'never' : at(ms, tz, now));
  const rows: string[][] = [['Checked at', at(now, tz, now), '']];
  if (state.linksLate) rows.push(...linksLateRows(state, tz, now));
  const late = new Set(lateJobs(state, now));
  for (const name of JOB_NAMES) {
    const job = state.jobs[name];
    rows.push([
      JOBS[name].label,
      !job ? 'not seen yet' : late.has(name) ? 'LATE' : job.lastRun === null ? 'not run yet' : 'OK',
      !job
        ? ''
        : job.lastRun === null
          ? `installed ${when(job.installedAt)}`
          : `last success ${when(job.lastOk)}; last run ${when(job.lastRun)}${job.lastError ? `; last failure ${when(job.lastError.at)}: ${job.lastError.what}` : ''}`,
    ]);
  }
  const d = state.delegation;
  rows.push([
    'Delegation (acting as teachers)',
    d.state === 'ok'
      ? 'OK'
      : d.state === 'failing'
        ? 'FAILING'
        : d.state === 'off'
          ? 'not configured'
          : 'not tried yet',
    d.state === 'ok'
      ? `worked at ${when(d.at)}`
      : d.state === 'failing'
        ? `refused since ${when(d.since)}: ${d.detail}`
        : '',
  ]);
  for (const a of refusedAccounts(state, now)) {
    const head = `Google refuses the automation this account since ${when(a.since)} (last at ${when(a.at)}: ${a.detail}); it may have been deleted, suspended or renamed.`;
    const tail = `Its lessons need a cover teacher or the account restored${d.state === 'failing' ? '' : '; other teachers are unaffected'}.`;
    rows.push([
      `Acting as ${a.teacher}`,
      'REFUSED',
      storeLessons === undefined
        ? `${head} ${tail}`
        : withinCell(head, atRiskToday(storeLessons, a.teacher, tz, now), tail, tz, now),
    ]);
  }
  const place = (label: string, p: PlaceHealth | null) =>
    rows.push([
      label,
      p === null
        ? 'not checked yet'
        : p.state === 'ok'
          ? 'OK'
          : p.state === 'binned'
            ? 'IN THE BIN'
            : 'CANNOT BE OPENED',
      p === null
        ? ''
        : `${p.state === 'ok' ? 'checked' : `since ${when(p.since)}; checked`} ${when(p.at)}${p.state === 'ok' ? '' : `: ${p.detail}`}`,
    ]);
  place('Log spreadsheet', state.log);
  place('Safeguarding shared drive', state.drive);
  for (const [name, s] of Object.entries(state.services).sort(([a], [b]) => a.localeCompare(b)))
    rows.push([
      serviceLabel(name),
      s.failingRuns === 0 ? 'OK' : s.failingRuns >= GOOGLE_FAILING_RUNS ? 'FAILING' : 'errors',
      s.failingRuns === 0
        ? ''
        : `${s.failingRuns} run(s) in a row failed ${failingRequests(s)} since ${when(s.since)}${s.lastError ? `: ${s.lastError}` : ''}`,
    ]);
  const usage = (label: string, used: number, limit: number, words: string) =>
    rows.push([label, used >= QUOTA_WARN_SHARE * limit ? 'OVER 80%' : 'OK', words]);
  usage(
    'Script-properties store',
    state.store?.bytes ?? 0,
    state.store?.limit ?? 500_000,
    state.store
      ? `${Math.round(state.store.bytes / 1000)} KB of ${Math.round(state.store.limit / 1000)} KB (${percent(state.store.bytes, state.store.limit)})`
      : 'not measured yet',
  );
  const lessons = state.store?.lessons;
  usage(
    'Lessons’ share of the store',
    lessons?.bytes ?? 0,
    lessons?.limit ?? 360_000,
    lessons
      ? `${Math.round(lessons.bytes / 1000)} KB of ${Math.round(lessons.limit / 1000)} KB (${percent(lessons.bytes, lessons.limit)}), ${thousands(lessons.count)} lessons; past it new lessons are refused`
      : 'not measured yet',
  );
  const cells = state.logCells;
  usage(
    'Log spreadsheet’s cells',
    cells?.full ? LOG_CELL_LIMIT : (cells?.cells ?? 0),
    LOG_CELL_LIMIT,
    cells
      ? cells.full
        ? `FULL: no room for more rows at ${when(cells.at)}; rows wait in the script’s store. Run setup again to start a new log.`
        : `${thousands(cells.cells)} of 10,000,000 (${percent(cells.cells, LOG_CELL_LIMIT)}) at ${when(cells.at)}; looked at once a day`
      : 'not measured yet',
  );
  usage(
    'UrlFetch calls today',
    state.usage.urlFetch,
    URLFETCH_PER_DAY,
    `${thousands(state.usage.urlFetch)} of 100,000 (${percent(state.usage.urlFetch, URLFETCH_PER_DAY)}) since ${when(state.usage.since)}`,
  );
  usage(
    'Trigger run time today',
    state.usage.runMs,
    TRIGGER_RUNTIME_PER_DAY_MS,
    `${Math.round(state.usage.runMs / MINUTE_MS)} of 360 minutes (${percent(state.usage.runMs, TRIGGER_RUNTIME_PER_DAY_MS)})`,
  );
  const short = state.mail?.quotaShort;
  if (short) rows.push(['Email recipients today', 'NOT SENT', quotaShortWords(short, tz)]);
  else if (state.mail && state.mail.failingSince !== null)
    rows.push([
      'Email recipients today',
      'FAILING',
      `MailApp FAILING since ${when(state.mail.failingSince)}: emails wait in the queue and go, once each, when it works again (the Mail sheet lists them). Tell the DSL and SLT in person of anything urgent meanwhile. ${thousands(state.mail.recipients)} of 1,500 recipients used today.`,
    ]);
  else
    usage(
      'Email recipients today',
      state.mail?.recipients ?? 0,
      MAIL_RECIPIENTS_PER_DAY,
      state.mail
        ? `${thousands(state.mail.recipients)} of 1,500 (${percent(state.mail.recipients, MAIL_RECIPIENTS_PER_DAY)}); the product itself stops non-urgent mail at 450`
        : 'not measured yet',
    );
  const down = mailDownSince(state);
  for (const [key, p] of Object.entries(state.open))
    rows.push([
      'Open problem',
      key,
      // The notice is queued when the problem is found and sent at the end of that run: one
      // queued from a run before mail stopped has left; one queued since waits in the queue.
      `since ${when(p.since)}; ${down !== null && p.toldAt >= down - RUN_MAX_MS ? `admin NOT told yet: the email waits in the queue since ${when(p.toldAt)} (mail is not being sent)` : `admin told ${when(p.toldAt)}`}`,
    ]);
  return rows;
}

/** A run's longest life: a notice queued this long before mail stopped was sent by its run. */
const RUN_MAX_MS = 6 * MINUTE_MS;

/** Since when no email leaves (MailApp failing, or the quota spent), or null while mail goes. */
function mailDownSince(state: HealthState): number | null {
  const mail = state.mail;
  if (!mail) return null;
  if (mail.quotaShort) return mail.quotaShort.since;
  return mail.failingSince;
}

/**
 * R10, R28: the links still on Classroom at their lesson's end: a summary, then a row per lesson
 * (by id, as many as the record keeps), whether or not the alerts about them could be emailed.
 */
function linksLateRows(state: HealthState, tz: string, now: number): string[][] {
  const late = state.linksLate!;
  const n = late.count;
  const more = n - late.ids.length;
  const summary = `At ${at(late.at, tz, now)}, ${n} lesson${n === 1 ? '' : 's'} past ${n === 1 ? 'its' : 'their'} end still had the pupils’ link on Classroom (listed below${more > 0 ? `, the first ${late.ids.length}` : ''}). ${
    mailDownSince(state) !== null
      ? 'The alerts to SLT wait, as mail is not being sent: tell SLT in person, and delete each post in Classroom.'
      : 'SLT have an alert for each; the automation keeps trying to delete the posts.'
  }`;
  return [
    ['Links still on Classroom', 'LINK LIVE', summary],
    ...late.ids.map((id) => ['Link still on Classroom', 'LINK LIVE', `Lesson ${id}, past its end`]),
    ...(more > 0 ? [['Link still on Classroom', 'LINK LIVE', `${more} more lessons`]] : []),
  ];
}

export const STATUS_HEADERS = ['What', 'State', 'Detail'];

/**
 * A refused teacher's lessons today that are at risk: a room not made (or never made: the lesson
 * did not take place), a link still up, a call running the automation cannot end.
 */
export function atRiskToday<T extends LessonAtRisk>(
  lessons: readonly T[],
  teacher: string,
  tz: string,
  now: number,
): T[] {
  const today = localDate(now, tz);
  return lessons
    .filter(
      (l) =>
        l.teacher.toLowerCase() === teacher.toLowerCase() &&
        localDate(l.start, tz) === today &&
        (l.status === 'scheduled' || l.status === 'open' || l.linkLive || l.roomNeverMade),
    )
    .sort((x, y) => x.start - y.start);
}

/** One lesson at risk, short: id, time, class, and what is true of it (no pupil data). */
export function riskWords(l: LessonAtRisk, tz: string, now: number): string {
  const what =
    l.status === 'scheduled' || l.roomNeverMade
      ? now < l.end
        ? 'room not made'
        : 'room never made, did not take place'
      : [
          l.linkLive ? 'link up on Classroom' : null,
          l.callRunning ? 'call running that the automation cannot end' : null,
        ]
          .filter((x) => x !== null)
          .join(', ') || 'nobody in its call at the last look';
  const name = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
  return `${l.id ?? 'lesson'} ${localTime(l.start, tz)} ${name(l.title)} (${name(l.courseName)}): ${what}`;
}

/**
 * The row's words with as many lessons as the cell holds, the rest counted ("and N more"): the
 * sheet keeps STATUS_CELL_CHARS of a cell and drops the rest silently.
 */
function withinCell(
  head: string,
  lessons: readonly LessonAtRisk[],
  tail: string,
  tz: string,
  now: number,
): string {
  if (lessons.length === 0) return `${head} No lesson of theirs at risk today. ${tail}`;
  const words = lessons.map((l) => riskWords(l, tz, now));
  for (let shown = words.length; shown >= 0; shown--) {
    const more = words.length - shown;
    const list = [
      ...words.slice(0, shown),
      ...(more > 0 ? [`and ${more} more${shown === 0 ? ' lessons' : ''}`] : []),
    ].join('; ');
    const text = `${head} At risk today: ${list}. ${tail}`;
    if (text.length <= STATUS_CELL_CHARS) return text;
  }
  return `${head} ${lessons.length} lessons at risk today. ${tail}`.slice(0, STATUS_CELL_CHARS);
}
