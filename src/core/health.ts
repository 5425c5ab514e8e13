// R28, issue 9 (point 4): broken plumbing is reported to a person within an hour. Pure: from
// what each job last did, what Google answered in each run, the last look at the log, the
// shared drive and delegation, and how much of each Apps Script quota the day has used, this
// says what is wrong, in plain words, and whom to tell; and what the log's Status sheet shows.
// Quotas: https://developers.google.com/apps-script/guides/services/quotas (Workspace accounts:
// URL Fetch calls 100,000 / day, triggers total runtime 6 hours / day, email recipients 1,500 /
// day, Properties 500 KB a store; "Quotas are per user and reset 24 hours after the first
// request").

import { localDate, localTime, ukTimeRange } from './time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The automation's timed jobs, each run by its own trigger as the automation account. */
export type JobName = 'monitor' | 'housekeeping' | 'collect' | 'purge' | 'digest';
export const JOB_NAMES: readonly JobName[] = [
  'monitor',
  'housekeeping',
  'collect',
  'purge',
  'digest',
];

export interface JobSpec {
  label: string;
  /** No run, or no successful run, for this long after the last (or after setup) is a problem. */
  lateAfterMs: number;
  /** What stops happening while it does not run, in the words the admin reads. */
  consequence: string;
}

export const JOBS: Record<JobName, JobSpec> = {
  // Every minute. A long run (up to 5.5 minutes) makes the runs meanwhile step aside, and those
  // count as runs: four minutes without one means nothing is firing the trigger.
  monitor: {
    label: 'The minute monitor',
    lateAfterMs: 4 * MIN,
    consequence:
      'rooms are not opened, links are not shared or taken off Classroom, and calls are not ended by the automation: teachers must run their lessons from the sidebar',
  },
  housekeeping: {
    label: 'The hourly housekeeping',
    lateAfterMs: 75 * MIN,
    consequence:
      'the Settings and Consent sheets are not read, the Dashboard and the Mail sheet are not updated, and this Status sheet is not refreshed',
  },
  collect: {
    label: 'Recording collection',
    lateAfterMs: 30 * MIN,
    consequence: 'recordings stay in teachers’ Drives instead of the safeguarding shared drive',
  },
  purge: {
    label: 'The recordings purge',
    lateAfterMs: 75 * MIN,
    consequence: 'recordings past their retention period are not deleted',
  },
  digest: {
    label: 'The daily digest',
    lateAfterMs: 25 * HOUR,
    consequence: 'SLT and the DSL do not get their morning email of serious flags',
  },
};

/** A Google API failing (5xx, 429, time-outs, nothing answered) this many runs in a row is reported. */
export const GOOGLE_FAILING_RUNS = 5;
/** The admin is told at this share of any quota. */
export const QUOTA_WARN_SHARE = 0.8;
/** Apps Script quotas for a Google Workspace account (quotas page, cited above). */
export const URLFETCH_PER_DAY = 100_000;
export const TRIGGER_RUNTIME_PER_DAY_MS = 6 * HOUR;
export const MAIL_RECIPIENTS_PER_DAY = 1_500;
/** A problem still open is told again once a day. */
export const REMIND_EVERY_MS = DAY;
/** Teachers are told of lessons open now or starting within this long. */
export const TEACHER_NOTICE_AHEAD_MS = HOUR;

export interface JobHealth {
  /** When setup last installed its trigger (a job that never ran after it is late too). */
  installedAt: number | null;
  /** When a run last ended, successful or not (one that stepped aside for another counts). */
  lastRun: number | null;
  lastOk: number | null;
  /** The last failure in a word or two (a failure kind), and when. */
  lastError: { at: number; what: string } | null;
}

export interface ServiceHealth {
  /** Runs in a row in which every call to this service failed. */
  failingRuns: number;
  since: number | null;
  lastError: string | null;
  /** The last run that called it. */
  at: number;
}

/**
 * A service failing with no call to it for this long is no longer reported (the product has
 * stopped needing it, e.g. after the day's lessons); it is reported again when calls fail again.
 */
export const SERVICE_QUIET_MS = 3 * HOUR;

export type DelegationHealth =
  | { state: 'off' }
  | { state: 'unknown' }
  | { state: 'ok'; at: number }
  | { state: 'failing'; since: number; at: number; detail: string };

/** What a look at the log spreadsheet or the shared drive found. */
export type PlaceState = 'ok' | 'binned' | 'missing' | 'unreadable';

export interface PlaceHealth {
  state: PlaceState;
  /** When it was last looked at, and since when it has been in this state. */
  at: number;
  since: number;
  detail: string;
}

/** One day of the automation account's quotas (Apps Script's day starts at the first request). */
export interface DayUsage {
  since: number;
  urlFetch: number;
  runMs: number;
}

export interface OpenProblem {
  since: number;
  toldAt: number;
}

export interface HealthState {
  jobs: Partial<Record<JobName, JobHealth>>;
  services: Record<string, ServiceHealth>;
  delegation: DelegationHealth;
  log: PlaceHealth | null;
  drive: PlaceHealth | null;
  usage: DayUsage;
  /** The script-properties store at the last look. */
  store: { bytes: number; limit: number; at: number } | null;
  /** Email recipients today, as the mail queue counts them, at the last look. */
  mail: { recipients: number; failingSince: number | null; at: number } | null;
  /** Problems the admin has been told of and that are not yet over. */
  open: Record<string, OpenProblem>;
  /** Teachers told, while delegation fails, to run their lessons from the sidebar. */
  teachersTold: string[];
  /** When the triggers were last looked at because a job was late (at most every 10 minutes). */
  triggersCheckedAt: number | null;
}

export function emptyHealth(now: number): HealthState {
  return {
    jobs: {},
    services: {},
    delegation: { state: 'unknown' },
    log: null,
    drive: null,
    usage: { since: now, urlFetch: 0, runMs: 0 },
    store: null,
    mail: null,
    open: {},
    teachersTold: [],
    triggersCheckedAt: null,
  };
}

/** What one run of a job saw, gathered by the shell at its end. */
export interface RunObservation {
  job: JobName;
  startedAt: number;
  endedAt: number;
  /** Null when the job did its work (Google failures inside it are counted below); else why not. */
  error: string | null;
  /** UrlFetch requests this execution made. */
  urlFetch: number;
  /** Calls per Google service: answered (any HTTP answer but 5xx/429) or failed. */
  services: Record<string, { ok: number; failed: number; lastError: string | null }>;
  /** Delegation as this run found it: null when not configured; times of the last exchange each way. */
  delegation: { workedAt: number | null; refusedAt: number | null; detail: string | null } | null;
  store?: { bytes: number; limit: number };
  mail?: { recipients: number; failingSince: number | null };
  log?: { state: PlaceState; detail: string };
  drive?: { state: PlaceState; detail: string };
}

/** The state after one run: its job, the day's usage, each service's run of failures, and what it saw. */
export function noteRun(state: HealthState, run: RunObservation): HealthState {
  const now = run.endedAt;
  const job = state.jobs[run.job] ?? {
    installedAt: null,
    lastRun: null,
    lastOk: null,
    lastError: null,
  };
  const jobs = {
    ...state.jobs,
    [run.job]: {
      ...job,
      lastRun: now,
      lastOk: run.error === null ? now : job.lastOk,
      lastError: run.error === null ? job.lastError : { at: now, what: run.error },
    },
  };
  const fresh = now - state.usage.since >= DAY;
  const usage = {
    since: fresh ? run.startedAt : state.usage.since,
    urlFetch: (fresh ? 0 : state.usage.urlFetch) + run.urlFetch,
    runMs: (fresh ? 0 : state.usage.runMs) + Math.max(0, run.endedAt - run.startedAt),
  };
  const services = { ...state.services };
  for (const [name, seen] of Object.entries(run.services)) {
    const had = services[name] ?? { failingRuns: 0, since: null, lastError: null, at: now };
    if (seen.ok > 0) services[name] = { failingRuns: 0, since: null, lastError: null, at: now };
    else if (seen.failed > 0)
      services[name] = {
        failingRuns: had.failingRuns + 1,
        since: had.since ?? run.startedAt,
        lastError: seen.lastError ?? had.lastError,
        at: now,
      };
  }
  const delegation = noteDelegation(state.delegation, run.delegation, now);
  return {
    ...state,
    jobs,
    usage,
    services,
    delegation,
    store: run.store ? { ...run.store, at: now } : state.store,
    mail: run.mail ? { ...run.mail, at: now } : state.mail,
    log: run.log ? notePlace(state.log, run.log, now) : state.log,
    drive: run.drive ? notePlace(state.drive, run.drive, now) : state.drive,
    // Once delegation and Meet work again, a later failure tells every teacher afresh.
    teachersTold:
      delegation.state === 'failing' || (services.meet?.failingRuns ?? 0) > 0
        ? state.teachersTold
        : [],
  };
}

/** Why teachers must be told now: delegation refused, or Meet failing; null when neither. */
export function teacherTrouble(
  state: HealthState,
  now: number,
): { why: 'delegation' | 'meet'; since: number } | null {
  if (state.delegation.state === 'failing')
    return { why: 'delegation', since: state.delegation.since };
  const meet = state.services.meet;
  if (
    meet &&
    meet.since !== null &&
    meet.failingRuns >= GOOGLE_FAILING_RUNS &&
    now - meet.at <= SERVICE_QUIET_MS
  )
    return { why: 'meet', since: meet.since };
  return null;
}

/**
 * A teacher as the health record remembers them (told to run their lessons from the sidebar):
 * a short hash, so a school of 300 teachers fits one 9 KB property and no address is stored.
 */
export function teacherKey(email: string): string {
  let h = 0x811c9dc5;
  for (const c of email.toLowerCase()) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36);
}

function noteDelegation(
  had: DelegationHealth,
  seen: RunObservation['delegation'],
  now: number,
): DelegationHealth {
  if (seen === null) return { state: 'off' };
  const { workedAt, refusedAt } = seen;
  if (refusedAt !== null && (workedAt === null || refusedAt >= workedAt))
    return {
      state: 'failing',
      since: had.state === 'failing' ? had.since : refusedAt,
      at: now,
      detail: seen.detail ?? 'refused',
    };
  if (workedAt !== null) return { state: 'ok', at: workedAt };
  return had.state === 'off' ? { state: 'unknown' } : had;
}

function notePlace(
  had: PlaceHealth | null,
  seen: { state: PlaceState; detail: string },
  now: number,
): PlaceHealth {
  const since = had && had.state === seen.state ? had.since : now;
  return { state: seen.state, at: now, since, detail: seen.detail };
}

/** Setup installed these jobs' triggers now: a job that then never runs is late too. */
export function noteInstalled(state: HealthState, jobs: readonly JobName[], now: number) {
  const next = { ...state.jobs };
  for (const name of jobs)
    next[name] = {
      ...(next[name] ?? { lastRun: null, lastOk: null, lastError: null }),
      installedAt: now,
    };
  return { ...state, jobs: next };
}

/** Jobs that have not run, or not succeeded, for longer than their period allows. */
export function lateJobs(state: HealthState, now: number): JobName[] {
  return JOB_NAMES.filter((name) => {
    const job = state.jobs[name];
    if (!job) return false;
    const ran = Math.max(job.lastRun ?? 0, job.installedAt ?? 0);
    const ok = Math.max(job.lastOk ?? 0, job.installedAt ?? 0);
    if (ran === 0) return false;
    return now - ran > JOBS[name].lateAfterMs || now - ok > JOBS[name].lateAfterMs;
  });
}

/** Something the admin must hear about, in plain words. */
export interface Problem {
  key: string;
  /** Sent at once (an alert) rather than with the next flush. */
  urgent: boolean;
  subject: string;
  body: string;
  since: number;
}

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

function at(ms: number, tz: string, now: number): string {
  return localDate(ms, tz) === localDate(now, tz)
    ? localTime(ms, tz)
    : `${localDate(ms, tz)} ${localTime(ms, tz)}`;
}

function percent(used: number, limit: number): string {
  return `${Math.round((100 * used) / limit)}%`;
}

function thousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Everything wrong now, from the state (and what the shell just did about late triggers). */
export function assess(state: HealthState, now: number, ctx: HealthContext): Problem[] {
  const tz = ctx.timeZone;
  const out: Problem[] = [];
  const setupAgain = `Run setup again from the script project, signed in as ${ctx.automationAccount}.`;

  const logDown = state.log !== null && state.log.state !== 'ok';
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

  for (const [name, s] of Object.entries(state.services)) {
    if (s.failingRuns < GOOGLE_FAILING_RUNS || s.since === null) continue;
    if (now - s.at > SERVICE_QUIET_MS) continue;
    const label = serviceLabel(name);
    out.push({
      key: `service:${name}`,
      urgent: name === 'meet' || name === 'classroom',
      subject: `Safe Live Lessons: ${label} is failing`,
      body:
        `${label} has failed every request since ${at(s.since, tz, now)} (${s.failingRuns} runs in a row${s.lastError ? `; last answer: ${s.lastError}` : ''}). ` +
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

  out.push(...quotaProblems(state, now, tz));
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

/** Where the delegation alert lists the lessons (filled in by the use case from the store). */
export const LESSONS_MARKER = '{{lessons}}';

function quotaProblems(state: HealthState, now: number, tz: string): Problem[] {
  const out: Problem[] = [];
  const warn = (
    key: string,
    used: number,
    limit: number,
    what: string,
    detail: string,
    effect: string,
    since: number,
  ) => {
    if (used < QUOTA_WARN_SHARE * limit) return;
    const share = used >= limit ? 'all' : percent(used, limit);
    out.push({
      key: `quota:${key}`,
      // A store nearly full may not even take the notice into the mail queue: it leaves at once.
      urgent: key === 'store',
      subject: `Safe Live Lessons: ${share} of ${what} used`,
      body: `${what[0]!.toUpperCase()}${what.slice(1)}: ${share} used (${detail}). ${effect} ${key === 'store' ? STORE_WHY : QUOTA_WHY}`,
      since,
    });
  };
  const day = state.usage;
  const resets = at(day.since + DAY, tz, now);
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
    `${Math.round(day.runMs / MIN)} minutes since ${at(day.since, tz, now)}; it starts again at ${resets}`,
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
    );
  return out;
}

const QUOTA_WHY =
  'Google sets these limits per account and does not raise them (https://developers.google.com/apps-script/guides/services/quotas). Nothing needs doing today unless it keeps happening; if it does, the school is running more lessons than one automation account can carry.';

const STORE_WHY =
  'Google sets this limit per script (https://developers.google.com/apps-script/guides/services/quotas). Closed lessons leave the store a week after they end, so it usually empties by itself; if it stays this full, the school schedules more lessons in a week than one store can hold and should spread them out. Do not delete the script’s properties by hand: they hold the lessons, the mail queue and incident reports on their way to the log.';

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

/**
 * The short note that a problem is over, or null when there is nothing true to say: quota
 * warnings end with the day, and a service that went quiet without answering is not "working".
 */
export function resolvedNotice(
  key: string,
  since: number,
  now: number,
  tz: string,
  state?: HealthState,
): { subject: string; body: string } | null {
  if (key.startsWith('quota:')) return null;
  const [kind, name] = key.split(':') as [string, string | undefined];
  if (kind === 'service' && (state?.services[name ?? '']?.failingRuns ?? 0) > 0) return null;
  const what =
    kind === 'job'
      ? JOBS[name as JobName]?.label
      : kind === 'service'
        ? serviceLabel(name ?? '')
        : kind === 'delegation'
          ? 'Delegation (the automation acting as teachers)'
          : kind === 'log'
            ? 'The log spreadsheet'
            : kind === 'drive'
              ? 'The safeguarding shared drive'
              : key;
  return {
    subject: `Safe Live Lessons: working again: ${what}`,
    body: `${what} works again (checked at ${at(now, tz, now)}; the problem began at ${at(since, tz, now)}). What waited is being done now.`,
  };
}

/** A lesson as the delegation alert and the teachers' notices describe it. */
export interface LessonAtRisk {
  title: string;
  courseName: string;
  teacher: string;
  start: number;
  end: number;
  status: 'scheduled' | 'open' | 'ended' | 'closed' | 'cancelled';
  /** The link is (as far as the product last saw) on Classroom. */
  linkLive: boolean;
  /** Someone was in the call at the product's last look. */
  callRunning: boolean;
  /** When the automation should end the call. */
  endCallAt: number;
}

/** Lessons open now or starting within the hour: those delegation failing leaves at risk. */
export function lessonsAtRisk<T extends LessonAtRisk>(lessons: readonly T[], now: number): T[] {
  return lessons.filter(
    (l) =>
      l.status === 'open' ||
      (l.status === 'scheduled' && l.start - TEACHER_NOTICE_AHEAD_MS <= now && now < l.end),
  );
}

/** One line per lesson, saying only what is so (R28: the alert says what was and was not done). */
export function lessonLine(l: LessonAtRisk, tz: string, now: number): string {
  const when = ukTimeRange(l.start, l.end, tz, now);
  const who = `${l.title} (${l.courseName}, ${l.teacher})`;
  if (l.status === 'scheduled') return `- ${when} ${who}: room not made yet; nothing on Classroom.`;
  const link = l.linkLive ? 'its link is still on Classroom' : 'its link is not on Classroom';
  const call = l.callRunning
    ? `its call is still running (the automation cannot end it; it was due to end at ${localTime(l.endCallAt, tz)})`
    : 'nobody was in its call at the last look';
  return `- ${when} ${who}: ${link}; ${call}.`;
}

/** The delegation alert with the lessons it leaves at risk listed, or a line saying there are none. */
export function withLessons(
  body: string,
  lessons: readonly LessonAtRisk[],
  tz: string,
  now: number,
): string {
  const lines =
    lessons.length === 0
      ? 'No lesson is open or starting within the hour.'
      : `Lessons open or starting within the hour:\n${lessons.map((l) => lessonLine(l, tz, now)).join('\n')}`;
  return body.replace(LESSONS_MARKER, lines);
}

/** What a teacher is told while Meet fails: their lessons at risk, and what still works. */
export function meetDownNotice(
  lessons: readonly LessonAtRisk[],
  since: number,
  tz: string,
  now: number,
): { subject: string; body: string } {
  const lines = lessons.map((l) => {
    const when = ukTimeRange(l.start, l.end, tz, now);
    const state =
      l.status === 'scheduled'
        ? 'its room could not be made yet, and nothing has been posted for pupils'
        : `${l.linkLive ? 'its link is on Classroom' : 'its link is not on Classroom'}; the automation cannot see the call or end it while Meet fails`;
    return `- ${when} ${l.title} (${l.courseName}): ${state}.`;
  });
  return {
    subject: 'Safe Live Lessons: Google Meet is not working',
    body:
      `Google Meet has not answered Safe Live Lessons since ${at(since, tz, now)}:\n${lines.join('\n')}\n` +
      'The product keeps trying every minute and carries on as soon as Meet answers. If Meet stays down past your lesson’s end, the log records that the lesson could not take place because of Google, not you.\n' +
      'If your call is running, end it in Meet yourself ("End call for everyone") at the lesson’s end, and press "End lesson for everyone" in the sidebar so the link comes off Classroom. The school’s administrator has been told.',
  };
}

/** What a teacher is told when the automation cannot act for them (their lessons at risk). */
export function teacherNotice(
  lessons: readonly LessonAtRisk[],
  since: number,
  tz: string,
  now: number,
): { subject: string; body: string } {
  const lines = lessons.map((l) => {
    const when = ukTimeRange(l.start, l.end, tz, now);
    const state =
      l.status === 'scheduled'
        ? 'its room is not open yet'
        : `${l.linkLive ? 'its link is on Classroom' : 'its link is not on Classroom'}${l.callRunning ? ' and its call is running' : ''}`;
    return `- ${when} ${l.title} (${l.courseName}): ${state}.`;
  });
  return {
    subject: 'Safe Live Lessons: please run your lesson from the sidebar',
    body:
      `Safe Live Lessons cannot act for you at the moment: since ${at(since, tz, now)} Google has refused the automation's access to your account. Nothing is done for your lesson automatically until it is fixed:\n` +
      `${lines.join('\n')}\n` +
      'Please run it yourself from the Safe Live Lessons sidebar (in Google Calendar, the side panel):\n' +
      '1. Press "Open room" if the room is not open.\n' +
      '2. Join the call, then press "Share with class" once you are in it (never before).\n' +
      '3. Before the lesson’s end, press "End lesson for everyone": it takes the link off Classroom and ends the call. Nothing else will.\n' +
      'The school’s administrator has been told and is fixing it.',
  };
}

/** The Status sheet: one row per thing that can break, with its state in words. */
export function statusRows(state: HealthState, now: number, tz: string): string[][] {
  const when = (ms: number | null) => (ms === null ? 'never' : at(ms, tz, now));
  const rows: string[][] = [['Checked at', at(now, tz, now), '']];
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
        : `${s.failingRuns} run(s) in a row failed since ${when(s.since)}${s.lastError ? `: ${s.lastError}` : ''}`,
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
    `${Math.round(state.usage.runMs / MIN)} of 360 minutes (${percent(state.usage.runMs, TRIGGER_RUNTIME_PER_DAY_MS)})`,
  );
  usage(
    'Email recipients today',
    state.mail?.recipients ?? 0,
    MAIL_RECIPIENTS_PER_DAY,
    state.mail
      ? `${thousands(state.mail.recipients)} of 1,500 (${percent(state.mail.recipients, MAIL_RECIPIENTS_PER_DAY)}); the product itself stops non-urgent mail at 450${state.mail.failingSince !== null ? `; MailApp FAILING since ${when(state.mail.failingSince)}` : ''}`
      : 'not measured yet',
  );
  for (const [key, p] of Object.entries(state.open))
    rows.push(['Open problem', key, `since ${when(p.since)}; admin told ${when(p.toldAt)}`]);
  return rows;
}

export const STATUS_HEADERS = ['What', 'State', 'Detail'];
