// R28, issue 9 (point 4): the health record judged into problems a person must hear about, in
// plain words, and whom to tell; which to tell now (new, or a day since the last word) and which
// are over. The wording helpers (times, counts, Google's services by name) live here too, for
// the notices and the Status sheet.

import {
  type DelegationHealth,
  GOOGLE_FAILING_RUNS,
  type HealthState,
  JOBS,
  type JobName,
  LOG_CELL_LIMIT,
  lateJobs,
  logCellsPerDay,
  MAIL_RECIPIENTS_PER_DAY,
  NEW_LOG_NIGHT,
  NEW_LOG_SHARE,
  type OpenProblem,
  QUOTA_CLEAR_SHARE,
  QUOTA_WARN_SHARE,
  refusedAccounts,
  SERVICE_QUIET_MS,
  type ServiceHealth,
  TRIGGER_RUNTIME_PER_DAY_MS,
  teacherKey,
  URLFETCH_PER_DAY,
} from './health';
import { DAY_MS, localDate, localTime, MINUTE_MS, ukDate } from './time';

/** A problem still open is told again once a day. */
export const REMIND_EVERY_MS = DAY_MS;

/** Something the admin must hear about, in plain words. */
export interface Problem {
  key: string;
  /** Sent at once (an alert) rather than with the next flush. */
  urgent: boolean;
  subject: string;
  body: string;
  since: number;
  /** The teacher whose lessons today fill the body's LESSONS_MARKER (else every lesson at risk). */
  lessonsOf?: string;
  /** SLT hear of it too, besides the admin (a teacher's lessons are at risk). */
  toSlt?: boolean;
  /**
   * One refused account: what the grouped alert says of it when several are told at once
   * (health-notices.ts, refusedAccountsNotice).
   */
  account?: RefusedAccountWords;
}

/** One refused account, as the grouped alert words it. */
export interface RefusedAccountWords {
  teacher: string;
  since: number;
  detail: string;
  /** How many teachers' accounts Google refuses now, this one included. */
  refusedNow: number;
  /** Google refuses delegation for the whole school as well. */
  schoolWide: boolean;
}

/** From this many teachers refused at once, the words say it looks like a bulk suspension. */
export const BULK_REFUSALS = 3;

/** What the shell knows that the state does not: who runs the automation, and what it just did about late jobs. */
export interface HealthContext {
  timeZone: string;
  automationAccount: string;
  serviceAccount: string | null;
  /** Late jobs whose trigger was missing and was installed again just now (by this run). */
  reinstalled: readonly JobName[];
  /** Late jobs whose trigger is installed all the same (so Google is not running it). */
  installedButLate: readonly JobName[];
}

const SERVICE_LABELS: Record<string, string> = {
  meet: 'Google Meet',
  classroom: 'Google Classroom',
  calendar: 'Google Calendar',
  drive: 'Google Drive',
  admin: 'the school directory (Admin SDK)',
  auth: 'Google sign-in for the automation (IAM and OAuth)',
  sheets: 'Google Sheets',
};

const SERVICE_EFFECTS: Record<string, string> = {
  meet: 'rooms cannot be made, the product cannot see who is in a call, and calls cannot be ended by the automation',
  classroom: 'links cannot be posted to or taken off Classroom by the automation',
  calendar: 'room links cannot be written on lesson events, and Calendar changes wait',
  drive: 'recordings cannot be moved or purged',
  admin: 'people in calls cannot be checked against the directory (they are flagged "unverified")',
  auth: 'the automation cannot act as teachers',
  sheets: 'the log is not being written (rows wait in the store)',
};

export function serviceLabel(service: string): string {
  return SERVICE_LABELS[service] ?? `Google (${service})`;
}

const OP_WORDS: Record<string, string> = {
  GET: 'read',
  POST: 'create',
  PUT: 'change',
  PATCH: 'change',
  DELETE: 'delete',
};

/**
 * Which requests to a service fail, as far as the product knows: the kinds it tried that failed
 * every time ("every delete request"), saying so when it answers the others (Classroom deleting
 * posts while it still lists and creates them); "every request" when the kinds are not known.
 */
export function failingRequests(s: Pick<ServiceHealth, 'failingOps' | 'othersAnswered'>): string {
  const ops = s.failingOps ?? [];
  if (ops.length === 0) return 'every request';
  const words = [...new Set(ops.map((op) => OP_WORDS[op] ?? op.toLowerCase()))];
  return `every ${words.join(' and ')} request${s.othersAnswered ? ' (it answers the others)' : ''}`;
}

/** A time as the admin reads it: the time alone today, else the date and the time. */
export function at(ms: number, tz: string, now: number): string {
  return localDate(ms, tz) === localDate(now, tz)
    ? localTime(ms, tz)
    : `${localDate(ms, tz)} ${localTime(ms, tz)}`;
}

/** A share of a limit, as a whole percentage. */
export function percent(used: number, limit: number): string {
  return `${Math.round((100 * used) / limit)}%`;
}

/** A count with thousands separated by commas (100,000). */
export function thousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Everything wrong now, from the state (and what the shell just did about late triggers). */
export function assess(state: HealthState, now: number, ctx: HealthContext): Problem[] {
  const tz = ctx.timeZone;
  const out: Problem[] = [];
  const setupAgain = `Run setup again from the script project, signed in as ${ctx.automationAccount}.`;

  // A full log refuses the housekeeping's writes too: that is told once, as the log.
  const logDown = (state.log !== null && state.log.state !== 'ok') || state.logCells?.full === true;
  for (const name of lateJobs(state, now)) {
    const job = state.jobs[name]!;
    // The housekeeping fails because the log cannot be opened: that is told once, as the log.
    if (name === 'housekeeping' && logDown && now - (job.lastRun ?? 0) <= JOBS[name].lateAfterMs)
      continue;
    const spec = JOBS[name];
    const ran = Math.max(job.lastRun ?? 0, job.installedAt ?? 0);
    const neverRan = job.lastRun === null;
    const failing = now - ran <= spec.lateAfterMs;
    const since = failing ? Math.max(job.lastOk ?? 0, job.installedAt ?? 0) : ran;
    let what: string;
    let fix: string;
    if (failing) {
      what = `${spec.label} runs but has not finished its work since ${at(since, tz, now)}${job.lastError ? ` (last failure: ${job.lastError.what})` : ''}.`;
      fix = `The Status sheet of the log spreadsheet and the script's executions list show what fails. ${setupAgain}`;
    } else if (ctx.reinstalled.includes(name)) {
      what = `${spec.label} ${neverRan ? 'never ran after setup' : `had not run since ${at(since, tz, now)}`}: its trigger had been deleted. The automation installed it again at ${at(now, tz, now)}, so it runs again from the next minute.`;
      fix = `If the trigger was removed on purpose, remove Safe Live Lessons properly instead. If it keeps disappearing, check who edits the script project's triggers.`;
    } else if (ctx.installedButLate.includes(name)) {
      what = `${spec.label} ${neverRan ? 'has never run since setup' : `has not run since ${at(since, tz, now)}`}, although its trigger is installed.`;
      fix = `Google may have disabled the trigger (it stops triggers that keep failing, and those of an account that is suspended or lost its authorisation). ${setupAgain}`;
    } else {
      what = `${spec.label} ${neverRan ? 'has never run since setup' : `has not run since ${at(since, tz, now)}`}.`;
      fix = `Its trigger may have been deleted. ${setupAgain} It installs each trigger once.`;
    }
    const meanwhile = ctx.reinstalled.includes(name)
      ? name === 'monitor'
        ? 'What it missed (links to take down, calls to end) was done at once by the job that found it.'
        : 'What it missed is done at its next run.'
      : `Until it runs, ${spec.consequence}.`;
    out.push({
      key: `job:${name}`,
      urgent: name === 'monitor',
      subject: `Safe Live Lessons: ${spec.label.toLowerCase()} ${failing ? 'is failing' : 'is not running'}`,
      body: `${what}\n${meanwhile}\n${fix}`,
      since,
    });
  }

  const d = state.delegation;
  if (d.state === 'failing')
    out.push({
      key: 'delegation',
      urgent: true,
      subject: 'Safe Live Lessons: the automation cannot act for teachers',
      body: delegationBody(d, ctx, now),
      since: d.since,
    });

  const refused = refusedAccounts(state, now);
  for (const a of refused) {
    const words = {
      teacher: a.teacher,
      since: a.since,
      detail: a.detail,
      refusedNow: refused.length,
      schoolWide: d.state === 'failing',
    };
    out.push({
      key: accountProblemKey(a.teacher),
      urgent: true,
      subject: `Safe Live Lessons: the automation cannot act as ${a.teacher}`,
      body: accountBody(words, ctx, now),
      since: a.since,
      lessonsOf: a.teacher,
      toSlt: true,
      account: words,
    });
  }

  for (const [name, s] of Object.entries(state.services)) {
    if (s.failingRuns < GOOGLE_FAILING_RUNS || s.since === null) continue;
    if (now - s.at > SERVICE_QUIET_MS) continue;
    const label = serviceLabel(name);
    out.push({
      key: `service:${name}`,
      urgent: name === 'meet' || name === 'classroom',
      subject: `Safe Live Lessons: ${label} is failing`,
      body:
        `${label} has failed ${failingRequests(s)} since ${at(s.since, tz, now)} (${s.failingRuns} runs in a row${s.lastError ? `; last answer: ${s.lastError}` : ''}). ` +
        `While it fails, ${SERVICE_EFFECTS[name] ?? 'the product cannot do what needs it'}. The product keeps trying every run and catches up when Google answers again. ` +
        'A lesson that could not run because of this is logged as "google-failed", not as the teacher’s absence.\n' +
        'Nothing at the school can fix this: Google’s status is at https://www.google.com/appsstatus. Tell teachers whose lessons are affected if it lasts.',
      since: s.since,
    });
  }

  // Drive says when a file was binned only for shared drives: the words say when it was found.
  const log = state.log;
  if (log && log.state !== 'ok')
    out.push({
      key: 'log',
      urgent: true,
      subject:
        log.state === 'binned'
          ? 'Safe Live Lessons: the log spreadsheet is in the Bin'
          : 'Safe Live Lessons: the log spreadsheet cannot be opened',
      body:
        log.state === 'binned'
          ? `The log spreadsheet is in the Bin of ${ctx.automationAccount} (found there at ${at(log.since, tz, now)}). SLT and the DSL cannot open it, and Google deletes it for good 30 days after it was binned. The automation still writes to it, so nothing is lost if it is restored.\nSign in as ${ctx.automationAccount}, open Google Drive, Bin, and restore "Safe Live Lessons: safeguarding log".`
          : `The log spreadsheet cannot be opened (found at ${at(log.since, tz, now)}: ${log.detail}). Lessons, attendance and staff entries wait in the script's store and are written once it opens; the store keeps closed lessons a week.\nIf it was deleted for good, ${setupAgain} It makes a new log, and the waiting rows go there.`,
      since: log.since,
    });

  const drive = state.drive;
  if (drive && drive.state !== 'ok')
    out.push({
      key: 'drive',
      urgent: true,
      subject: 'Safe Live Lessons: the safeguarding shared drive cannot be opened',
      body: `The safeguarding shared drive cannot be opened (found at ${at(drive.since, tz, now)}: ${drive.detail}). Until it is back, recordings stay in teachers’ Drives, outside the safeguarding folder; nothing is lost.\n${setupAgain} It makes or adopts the shared drive, and collection resumes at once.`,
      since: drive.since,
    });

  out.push(...quotaProblems(state, now, tz, ctx.automationAccount));
  return out;
}

function delegationBody(
  d: Extract<DelegationHealth, { state: 'failing' }>,
  ctx: HealthContext,
  now: number,
): string {
  const tz = ctx.timeZone;
  const sa = ctx.serviceAccount ?? 'the automation’s service account';
  return (
    `Since ${at(d.since, tz, now)}, Google refuses to let the automation act as teachers (domain-wide delegation): "${d.detail}". ` +
    'Until this is fixed the automation cannot open rooms, share or take down links, or end calls: it has not done any of these for any lesson since then.\n' +
    `${LESSONS_MARKER}\n` +
    'Teachers with a lesson open or starting within the hour have been emailed to run it from the Safe Live Lessons sidebar: open the room, share once they are in the call, and end the lesson for everyone.\n' +
    `To fix it: in the Admin console (Security, Access and data control, API controls, Manage domain-wide delegation), check that the client id of ${sa} is listed with the scopes setup prints, and that ${ctx.automationAccount} still has the Service Account Token Creator role on ${sa}. Then run setup again: its health check tries delegation.`
  );
}

/** One refused account's problem key: a hash, so no address is written in script logs. */
export function accountProblemKey(teacher: string): string {
  return `account:${teacherKey(teacher)}`;
}

export function isAccountKey(key: string): boolean {
  return key.startsWith('account:');
}

function accountBody(a: RefusedAccountWords, ctx: HealthContext, now: number): string {
  return (
    `Since ${at(a.since, ctx.timeZone, now)}, Google will not let the automation act as ${a.teacher} (its answer: "${a.detail}"). Google answers this way when the account has been deleted, suspended or renamed, or moved out of the school's domain.\n` +
    (a.refusedNow >= BULK_REFUSALS ? `${bulkWords(a.refusedNow)}\n` : '') +
    `Until this is fixed the automation cannot open rooms, share links, or end calls for ${a.teacher}'s lessons; a link already on Classroom is taken down as the class’s other teachers where the class has one.\n` +
    `${LESSONS_MARKER}\n` +
    `To do now: move these lessons to a cover teacher (the cover teacher schedules them from their own Safe Live Lessons sidebar), or, if the account was deleted or suspended by mistake, restore it in the Admin console (Directory, Users). If it was renamed, the lessons must be scheduled again under the new address.\n` +
    othersWords(a.schoolWide, a.refusedNow, 'this one included: see the other alerts')
  );
}

/** R28: many teachers refused at once is most likely one mistaken bulk action: where to look. */
export function bulkWords(refusedNow: number): string {
  return `Google refuses ${refusedNow} teachers’ accounts at once: this looks like a bulk suspension or deletion (by hand, or by a directory sync). Check the Admin console’s audit log (Reporting, Audit and investigation, Admin log events) for who suspended or deleted them, and restore them (Directory, Users) if it was a mistake.`;
}

/** What the refusal means for everyone else, naming how many teachers are refused now. */
export function othersWords(schoolWide: boolean, refusedNow: number, which: string): string {
  if (schoolWide)
    return 'Google also refuses delegation for the whole school at the moment: see the other alert.';
  if (refusedNow <= 1)
    return 'Other teachers’ lessons are unaffected: this answer concerns this one account, and the automation still acts for the others.';
  return `Google refuses ${refusedNow} teachers’ accounts in all at the moment (${which}); other teachers’ lessons are unaffected, and the automation still acts for them.`;
}

/** Where the delegation alert lists the lessons (filled in by the use case from the store). */
export const LESSONS_MARKER = '{{lessons}}';

function quotaProblems(
  state: HealthState,
  now: number,
  tz: string,
  automationAccount: string,
): Problem[] {
  const out: Problem[] = [];
  const warn = (
    key: string,
    used: number,
    limit: number,
    what: string,
    detail: string,
    effect: string,
    since: number,
    why = QUOTA_WHY,
  ) => {
    const warned = `quota:${key}` in state.open;
    if (used < (warned ? QUOTA_CLEAR_SHARE : QUOTA_WARN_SHARE) * limit) return;
    const share = used >= limit ? 'all' : percent(used, limit);
    out.push({
      key: `quota:${key}`,
      // A store nearly full may not even take the notice into the mail queue: it leaves at once;
      // so does word that the log refuses rows.
      urgent: key === 'store' || (key === 'log' && used >= limit),
      subject: `Safe Live Lessons: ${share} of ${what} used`,
      body: `${what[0]!.toUpperCase()}${what.slice(1)}: ${share} used (${detail}). ${effect} ${why}`,
      since,
    });
  };
  const day = state.usage;
  const resets = at(day.since + DAY_MS, tz, now);
  warn(
    'urlfetch',
    day.urlFetch,
    URLFETCH_PER_DAY,
    'the day’s UrlFetch calls (100,000 a day)',
    `${thousands(day.urlFetch)} calls since ${at(day.since, tz, now)}; the count starts again at ${resets}`,
    'At the limit every call to Meet, Classroom and Drive fails until then.',
    day.since,
  );
  warn(
    'runtime',
    day.runMs,
    TRIGGER_RUNTIME_PER_DAY_MS,
    'the day’s trigger run time (6 hours a day)',
    `${Math.round(day.runMs / MINUTE_MS)} minutes since ${at(day.since, tz, now)}; it starts again at ${resets}`,
    'At the limit the triggers stop running until then.',
    day.since,
  );
  if (state.mail)
    warn(
      'mail',
      state.mail.recipients,
      MAIL_RECIPIENTS_PER_DAY,
      'the day’s email recipients (1,500 a day)',
      `${thousands(state.mail.recipients)} today`,
      'At the limit no email leaves until the quota resets; the mail queue keeps them.',
      state.mail.at,
    );
  if (state.store)
    warn(
      'store',
      state.store.bytes,
      state.store.limit,
      'the script-properties store (500 KB)',
      `${Math.round(state.store.bytes / 1000)} KB`,
      'Near the limit new lessons are refused (at 430 KB) so that running lessons can still be recorded, and when it is full the log and the mail queue can no longer keep what waits for them.',
      state.store.at,
      STORE_WHY,
    );
  // Lessons keep to their share so that running lessons, mail and incidents keep their room; a
  // share full of lessons scheduled ahead refuses teachers though the store as a whole is not.
  const lessons = state.store?.lessons;
  if (state.store && lessons)
    warn(
      'lessons',
      lessons.bytes,
      lessons.limit,
      `the lessons’ share of the store (${Math.round(lessons.limit / 1000)} KB)`,
      `${Math.round(lessons.bytes / 1000)} KB, ${thousands(lessons.count)} lessons`,
      'At the share, a teacher scheduling another lesson is refused and told so on the scheduling card; lessons already scheduled still run.',
      state.store.at,
      LESSONS_WHY,
    );
  const log = state.logCells;
  if (log) {
    const perDay = logCellsPerDay(log);
    const left = LOG_CELL_LIMIT - log.cells;
    const fullOn =
      perDay && perDay > 0 && left > 0 ? ukDate(now + (left / perDay) * DAY_MS, tz) : null;
    warn(
      'log',
      log.full ? LOG_CELL_LIMIT : log.cells,
      LOG_CELL_LIMIT,
      'the log spreadsheet’s cells (Google allows a spreadsheet 10 million)',
      log.full
        ? `it had no room for more rows at ${at(log.at, tz, now)}`
        : `${thousands(log.cells)} cells at ${at(log.at, tz, now)}${
            perDay === null
              ? ''
              : `; it grew by about ${thousands(Math.round(perDay))} a day this past week${fullOn ? `, so it is full around ${fullOn}` : ''}`
          }`,
      'When it is full, no lesson, attendance, incident or email record can be added to it: they wait in the script’s store, which keeps closed lessons only a week, and fill it.',
      log.full ? log.at : (log.looks[0]?.at ?? log.at),
      `To start a new log, run setup again from the script project, signed in as ${automationAccount}: once the log has used ${Math.round(QUOTA_WARN_SHARE * 100)}% of its cells, setup keeps it as the record (renamed with the date it ends, shared with SLT and the DSL as before) and makes a new one with the same settings, consent register, incidents and recordings not yet purged. Rows still waiting go to the new log. If nobody has by the time it has used ${Math.round(NEW_LOG_SHARE * 100)}% (or it is full), the product does it itself the next night, between ${String(NEW_LOG_NIGHT.from).padStart(2, '0')}:00 and ${String(NEW_LOG_NIGHT.to).padStart(2, '0')}:00, and tells SLT, the DSL and the admins where the new log is.`,
    );
  }
  return out;
}

const QUOTA_WHY =
  'Google sets these limits per account and does not raise them (https://developers.google.com/apps-script/guides/services/quotas). Nothing needs doing today unless it keeps happening; if it does, the school is running more lessons than one automation account can carry.';

const STORE_WHY =
  'Google sets this limit per script (https://developers.google.com/apps-script/guides/services/quotas). Closed lessons leave the store a week after they end, so it usually empties by itself; if it stays this full, the school schedules more lessons in a week than one store can hold and should spread them out. Do not delete the script’s properties by hand: they hold the lessons, the mail queue and incident reports on their way to the log.';

const LESSONS_WHY =
  'A lesson stays in the store from when it is scheduled until it has run and been logged, so lessons scheduled far ahead fill it. If it stays this full, ask teachers to schedule fewer days ahead, and to cancel lessons that will not run. Do not delete the script’s properties by hand: they hold the lessons, the mail queue and incident reports on their way to the log.';

export interface Reconciled {
  open: Record<string, OpenProblem>;
  /** New problems, and open ones due a daily reminder. */
  tell: Problem[];
  /** Problems that are over, with when they began. */
  resolved: { key: string; since: number }[];
}

/** Which problems to tell now (new, or a day since the last word) and which are over. */
export function reconcile(
  open: Readonly<Record<string, OpenProblem>>,
  problems: readonly Problem[],
  now: number,
): Reconciled {
  const next: Record<string, OpenProblem> = {};
  const tell: Problem[] = [];
  for (const p of problems) {
    const had = open[p.key];
    if (!had || now - had.toldAt >= REMIND_EVERY_MS) {
      tell.push(p);
      next[p.key] = { since: had?.since ?? p.since, toldAt: now };
    } else next[p.key] = had;
  }
  const resolved = Object.entries(open)
    .filter(([key]) => !(key in next))
    .map(([key, p]) => ({ key, since: p.since }));
  return { open: next, tell, resolved };
}
