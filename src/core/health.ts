// R28, issue 9 (point 4): the health record, and what one run adds to it. Pure: what each job
// last did, what Google answered in each run, the last look at the log, the shared drive and
// delegation, and how much of each Apps Script quota the day has used; and the limits each is
// held to. What is wrong, in words, is judged in `health-problems.ts`.
// Quotas: https://developers.google.com/apps-script/guides/services/quotas (Workspace accounts:
// URL Fetch calls 100,000 / day, triggers total runtime 6 hours / day, email recipients 1,500 /
// day, Properties 500 KB a store; "Quotas are per user and reset 24 hours after the first
// request").

import type { QuotaShort } from './mail-ledger';
import type { StoreUsage } from './ports';
import { localParts } from './time';

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
/**
 * A quota warning, once given, stands until use falls under this share. Without the gap a store
 * going up and down around 80% as lessons come and go (a full-size school's day) would warn the
 * admin afresh each time it crossed the line.
 */
export const QUOTA_CLEAR_SHARE = 0.7;
/**
 * Google's limit on a spreadsheet's cells: every cell of every sheet's grid counts, filled or not.
 * doc: https://support.google.com/drive/answer/37603 ("Up to 10 million cells")
 */
export const LOG_CELL_LIMIT = 10_000_000;
/**
 * The log's size is looked at once a day (a 100-teacher school adds about 200,000 cells a school
 * day: issue 8's day bench), and every hour while a write has been refused for want of cells.
 */
export const LOG_CELLS_EVERY_MS = 20 * HOUR;
/**
 * A log this close to the limit is full: a sheet grows 500 rows at a time (log-book.ts), and the
 * widest that grows, Sessions, has 30 columns.
 */
export const LOG_CELLS_HEADROOM = 500 * 30;
/** Daily looks kept for the rate the log grows at: a week's. */
export const LOG_CELLS_KEPT = 8;
/** Apps Script quotas for a Google Workspace account (quotas page, cited above). */
export const URLFETCH_PER_DAY = 100_000;
export const TRIGGER_RUNTIME_PER_DAY_MS = 6 * HOUR;
export const MAIL_RECIPIENTS_PER_DAY = 1_500;

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
  /** Runs in a row in which every call to this service (or to its failing kind of call) failed. */
  failingRuns: number;
  since: number | null;
  lastError: string | null;
  /** The last run that called it. */
  at: number;
  /**
   * The kinds of call (HTTP methods) failing every time since `since`, and not answered since:
   * a service whose deletes fail while its reads work is still failing, not "working again".
   */
  failingOps?: string[];
  /** Some of its calls were answered while it failed: only `failingOps` fail, not everything. */
  othersAnswered?: true;
}

/** One kind of call (an HTTP method) to a service in one run: answered or failed. */
export interface OpSeen {
  ok: number;
  failed: number;
}

/** Calls to one Google service in one run: answered (any HTTP answer but 5xx/429) or failed. */
export interface ServiceSeen {
  ok: number;
  failed: number;
  lastError: string | null;
  /** The same, by kind of call (HTTP method: GET, POST, PATCH, DELETE…), where it is known. */
  ops?: Record<string, OpSeen>;
}

/**
 * Two tallies of the same execution's calls, added per service and per kind of call: the
 * second's last error is the later one. Neither is changed.
 */
export function addServicesSeen(
  a: Readonly<Record<string, ServiceSeen>>,
  b: Readonly<Record<string, ServiceSeen>> | undefined,
): Record<string, ServiceSeen> {
  const out: Record<string, ServiceSeen> = { ...a };
  for (const [name, seen] of Object.entries(b ?? {})) {
    const had = out[name];
    if (!had) {
      out[name] = seen;
      continue;
    }
    const sum: ServiceSeen = {
      ok: had.ok + seen.ok,
      failed: had.failed + seen.failed,
      lastError: seen.lastError ?? had.lastError,
    };
    if (had.ops || seen.ops) {
      const ops: Record<string, OpSeen> = { ...had.ops };
      for (const [op, o] of Object.entries(seen.ops ?? {})) {
        const before = ops[op];
        ops[op] = before ? { ok: before.ok + o.ok, failed: before.failed + o.failed } : o;
      }
      sum.ops = ops;
    }
    out[name] = sum;
  }
  return out;
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

/**
 * Whose the refusal is, from Google's answer: the whole school's (no teacher can be acted for) or
 * one account's (the teacher asked for is gone; everyone else is fine).
 * doc: https://developers.google.com/identity/protocols/oauth2/service-account (the token
 * endpoint's error-codes table: `unauthorized_client` when the client id or its scopes are not
 * authorised under domain-wide delegation in the Admin console; `invalid_grant` for a JWT that is
 * badly signed, out of its time window, for another audience or from an unknown service account;
 * `invalid_grant` "Invalid email or User ID" / "Not a valid email" when the `sub` asked for is not
 * an account of the domain). The `search` tool's corpus did not hold that page, so the wordings
 * matched below are those the brief and tests/sim/services/auth.ts give.
 * doc: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt
 * (403 without iam.serviceAccounts.signJwt: the automation lost Service Account Token Creator).
 */
export type RefusalScope = 'school' | 'account';

/** One refused step of the delegated-token exchange, as the adapter read Google's answer. */
export interface DelegationRefusal {
  /** `sign`: IAM Credentials signJwt; `exchange`: the OAuth token endpoint. */
  step: 'sign' | 'exchange';
  status: number;
  /** The OAuth `error` code (`invalid_grant`, `unauthorized_client`...), null when absent. */
  error: string | null;
  description: string;
}

const ONE_ACCOUNT = /invalid email or user id|not a valid email/i;

/** Whose problem a refusal is. Anything not clearly about the one account is the school's. */
export function refusalScope(refusal: DelegationRefusal): RefusalScope {
  // signJwt never looks at `sub`: a refusal there is the automation's own role, for everyone.
  if (refusal.step === 'sign') return 'school';
  // assumption: Google documents no other per-account answer for a deleted, suspended or renamed
  // account; `admin_policy_enforced` (an organisational unit's API policy) may concern some
  // teachers only, but Google does not say so, so it stays school-wide (the louder alert).
  if (refusal.error === 'invalid_grant' && ONE_ACCOUNT.test(refusal.description)) return 'account';
  return 'school';
}

/** A teacher Google will not let the automation act as (their account deleted, suspended or renamed). */
export interface AccountRefusal {
  /** The staff address (not pupil data): the admin must be told whose lessons to cover. */
  teacher: string;
  since: number;
  /** The last refusal seen. */
  at: number;
  detail: string;
  /** When a token for them was issued again (the entry is kept a day to say so, then dropped). */
  clearedAt: number | null;
}

/**
 * A refused account nobody has asked for in this long is no longer reported: its lessons were
 * moved, or it is not needed. Asked for again and refused, it is reported again.
 */
export const ACCOUNT_QUIET_MS = DAY;
/** Entries kept at most (the health record is one 9 KB property): the most recently refused. */
export const MAX_ACCOUNTS = 20;

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
  /** The script-properties store at the last look (`lessons`: absent in records from before). */
  store:
    | (Omit<StoreUsage, 'lessons'> & Partial<Pick<StoreUsage, 'lessons'>> & { at: number })
    | null;
  /** Email recipients today, as the mail queue counts them, at the last look. */
  mail: {
    recipients: number;
    failingSince: number | null;
    /** Alerts held back by the sending account's spent quota (absent in records from before). */
    quotaShort?: MailQuotaShort | null;
    at: number;
  } | null;
  /** Problems the admin has been told of and that are not yet over. */
  open: Record<string, OpenProblem>;
  /** Teachers told, while delegation fails, to run their lessons from the sidebar. */
  teachersTold: string[];
  /** Accounts Google refuses one by one (absent in records from before). */
  accounts?: AccountRefusal[];
  /** When the triggers were last looked at because a job was late (at most every 10 minutes). */
  triggersCheckedAt: number | null;
  /** Links still on Classroom at their lesson's end, as the monitor last saw (absent before). */
  linksLate?: LinksLate | null;
  /** The log spreadsheet's cells against Google's 10 million (absent in records from before). */
  logCells?: LogCells | null;
}

/** R18, R28: how full the log spreadsheet is, so the admin hears before it refuses rows. */
export interface LogCells {
  /** Its cells at the last look (every sheet's rows times columns). */
  cells: number;
  at: number;
  /** It has no room for more rows: a write was refused for want of cells, or a look found it so. */
  full: boolean;
  /** The daily looks, oldest first (at most LOG_CELLS_KEPT), for the rate it grows at. */
  looks: { at: number; cells: number }[];
  /** When the product last tried to start a new log itself (newLogDue); absent until it has. */
  newLogTried?: number;
}

/**
 * R10, R28: lessons whose link is still on Classroom at their scheduled end. Kept by id for the
 * first `LINKS_LATE_KEPT` (the record is one 9 KB script property), counted in all: the Status
 * sheet names them whether or not the alerts about them could be emailed.
 */
export interface LinksLate {
  ids: string[];
  count: number;
  /** The monitor run that saw them. */
  at: number;
}

export const LINKS_LATE_KEPT = 24;

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
    accounts: [],
    triggersCheckedAt: null,
  };
}

/** One teacher's delegated token in one run: when last issued, when last refused for them alone. */
export interface AccountSeen {
  user: string;
  workedAt: number | null;
  refusedAt: number | null;
  detail: string | null;
}

/** What one run of a job saw, gathered by the shell at its end. */
/** What the Status sheet shows of alerts waiting for the mail quota (kinds, lesson ids, times). */
export type MailQuotaShort = Pick<QuotaShort, 'since' | 'left' | 'alerts' | 'count'>;

export interface RunObservation {
  job: JobName;
  startedAt: number;
  endedAt: number;
  /** Null when the job did its work (Google failures inside it are counted below); else why not. */
  error: string | null;
  /** UrlFetch requests this execution made. */
  urlFetch: number;
  /** Calls per Google service: answered (any HTTP answer but 5xx/429) or failed. */
  services: Record<string, ServiceSeen>;
  /**
   * Delegation as this run found it: null when not configured; times of the last exchange each
   * way (`refusedAt`: school-wide refusals only), and each teacher's own (`accounts`).
   */
  delegation: {
    workedAt: number | null;
    refusedAt: number | null;
    detail: string | null;
    accounts?: AccountSeen[];
  } | null;
  store?: StoreUsage;
  mail?: { recipients: number; failingSince: number | null; quotaShort?: MailQuotaShort | null };
  /** The monitor's lessons whose link is still on Classroom at their end (ids; no names). */
  linksLate?: readonly string[];
  /** The log's cells as a look counted them, or 'full': Sheets refused a write for want of cells. */
  logCells?: number | 'full';
  log?: { state: PlaceState; detail: string };
  drive?: { state: PlaceState; detail: string };
}

/**
 * A service after one run that called it, or undefined when the run tells nothing new. It is
 * failing while every call failed, or while a kind of call that failed every time has not been
 * answered since: calls of another kind answering do not make it "working again".
 */
export function noteService(
  had: ServiceHealth | undefined,
  seen: ServiceSeen,
  startedAt: number,
  now: number,
): ServiceHealth | undefined {
  const ops = Object.entries(seen.ops ?? {});
  const failingOps = new Set(had?.failingOps ?? []);
  for (const [op, o] of ops) {
    if (o.ok > 0) failingOps.delete(op);
    else if (o.failed > 0) failingOps.add(op);
  }
  const allFailed = seen.ok === 0 && seen.failed > 0;
  const failingOpFailed = ops.some(([op, o]) => failingOps.has(op) && o.failed > 0);
  if (allFailed || failingOpFailed) {
    const failing: ServiceHealth = {
      failingRuns: (had?.failingRuns ?? 0) + 1,
      since: had?.since ?? startedAt,
      lastError: seen.lastError ?? had?.lastError ?? null,
      at: now,
    };
    if (failingOps.size > 0) failing.failingOps = [...failingOps].sort();
    if (had?.othersAnswered || seen.ok > 0) failing.othersAnswered = true;
    return failing;
  }
  // Still failing, but this run did not try the kind of call that fails: only what it answered
  // is known now (the run of failures neither grows nor ends).
  if (had && had.failingRuns > 0 && failingOps.size > 0) {
    const still: ServiceHealth = { ...had, failingOps: [...failingOps].sort() };
    if (seen.ok > 0) still.othersAnswered = true;
    return still;
  }
  if (seen.ok > 0) return { failingRuns: 0, since: null, lastError: null, at: now };
  return undefined;
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
    const next = noteService(services[name], seen, run.startedAt, now);
    if (next) services[name] = next;
  }
  const delegation = noteDelegation(state.delegation, run.delegation, now);
  return {
    ...state,
    jobs,
    usage,
    services,
    delegation,
    accounts: noteAccounts(state.accounts ?? [], run.delegation?.accounts ?? [], now),
    store: run.store ? { ...run.store, at: now } : state.store,
    mail: run.mail ? { ...run.mail, at: now } : state.mail,
    log: run.log ? notePlace(state.log, run.log, now) : state.log,
    drive: run.drive ? notePlace(state.drive, run.drive, now) : state.drive,
    linksLate: run.linksLate ? noteLinksLate(run.linksLate, now) : (state.linksLate ?? null),
    logCells:
      run.logCells !== undefined
        ? noteLogCells(state.logCells ?? null, run.logCells, now)
        : (state.logCells ?? null),
    // Once delegation, the minute monitor and Meet work again, a later failure tells every
    // teacher afresh.
    teachersTold:
      delegation.state === 'failing' ||
      (services.meet?.failingRuns ?? 0) > 0 ||
      monitorStopped(jobs, now)
        ? state.teachersTold
        : [],
  };
}

/**
 * The log's size after a look (`had`: null for a new log, whose rate starts afresh). Setup's
 * count (`daily` false) is not one of the daily looks the rate is taken from.
 */
export function noteLogCells(
  had: LogCells | null,
  seen: number | 'full',
  now: number,
  daily = true,
): LogCells {
  const tried = had?.newLogTried !== undefined ? { newLogTried: had.newLogTried } : {};
  if (seen === 'full')
    return {
      cells: Math.max(had?.cells ?? 0, LOG_CELL_LIMIT),
      at: now,
      full: true,
      looks: had?.looks ?? [],
      ...tried,
    };
  const looks = daily
    ? [...(had?.looks ?? []), { at: now, cells: seen }].slice(-LOG_CELLS_KEPT)
    : (had?.looks ?? []);
  return {
    cells: seen,
    at: now,
    full: seen + LOG_CELLS_HEADROOM > LOG_CELL_LIMIT,
    looks,
    ...tried,
  };
}

/** The log's size is due a look: none yet, a day since the last, or a write refused since. */
export function logCellsDue(state: HealthState | null, now: number): boolean {
  const c = state?.logCells;
  return !c || c.full || now - c.at >= LOG_CELLS_EVERY_MS;
}

/**
 * A log this full (or refusing rows) that nobody has replaced is replaced by the product itself:
 * from QUOTA_WARN_SHARE the admin is told to run setup, at a time of their choosing; from here the
 * hourly job runs setup itself, at night.
 */
export const NEW_LOG_SHARE = 0.9;
/** The local hours, from and up to, in which the product starts a new log: no lesson runs then. */
export const NEW_LOG_NIGHT = { from: 1, to: 5 } as const;
/** After a try, none again for this long: once a night, whatever became of it. */
const NEW_LOG_RETRY_MS = 12 * HOUR;

/**
 * R18, R28: the product should start a new log now: the last look found the log past
 * NEW_LOG_SHARE of its cells, or a write was refused for want of them; it is night where the
 * school is; and it has not tried since the night before.
 */
export function newLogDue(state: HealthState | null, now: number, timeZone: string): boolean {
  const c = state?.logCells;
  if (!c || !(c.full || c.cells >= NEW_LOG_SHARE * LOG_CELL_LIMIT)) return false;
  if (c.newLogTried !== undefined && now - c.newLogTried < NEW_LOG_RETRY_MS) return false;
  const { hour } = localParts(now, timeZone);
  return hour >= NEW_LOG_NIGHT.from && hour < NEW_LOG_NIGHT.to;
}

/** Cells a day the log grew by over the looks kept; null until two looks at least a day apart. */
export function logCellsPerDay(c: LogCells): number | null {
  const first = c.looks[0];
  const last = c.looks[c.looks.length - 1];
  if (!first || !last || last.at - first.at < LOG_CELLS_EVERY_MS) return null;
  return Math.max(0, ((last.cells - first.cells) * DAY) / (last.at - first.at));
}

function noteLinksLate(ids: readonly string[], now: number): LinksLate | null {
  if (ids.length === 0) return null;
  const sorted = [...ids].sort();
  return { ids: sorted.slice(0, LINKS_LATE_KEPT), count: ids.length, at: now };
}

/** Why teachers must run their lessons themselves, or be told of Meet failing. */
export type TeacherTrouble = { why: 'delegation' | 'monitor' | 'meet'; since: number };

/**
 * Why teachers must be told now: delegation refused, the minute monitor stopped (nothing opens,
 * shares, withdraws or ends for them), or Meet failing; null when none.
 */
export function teacherTrouble(state: HealthState, now: number): TeacherTrouble | null {
  if (state.delegation.state === 'failing')
    return { why: 'delegation', since: state.delegation.since };
  const monitor = state.jobs.monitor;
  if (monitor && monitorStopped(state.jobs, now))
    return {
      why: 'monitor',
      since: monitor.lastOk ?? monitor.lastRun ?? monitor.installedAt ?? now,
    };
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

/**
 * The accounts refused one by one after a run: a refusal opens (or extends) the teacher's entry,
 * a token issued after it clears it; cleared entries are dropped a day later, and entries nobody
 * asked for in a week too.
 */
export function noteAccounts(
  had: readonly AccountRefusal[],
  seen: readonly AccountSeen[],
  now: number,
): AccountRefusal[] {
  const byTeacher = new Map(had.map((a) => [a.teacher.toLowerCase(), a]));
  for (const s of seen) {
    const key = s.user.toLowerCase();
    const was = byTeacher.get(key);
    if (s.refusedAt !== null && (s.workedAt === null || s.refusedAt >= s.workedAt))
      byTeacher.set(key, {
        teacher: key,
        since: was && was.clearedAt === null ? was.since : s.refusedAt,
        at: s.refusedAt,
        detail: s.detail ?? 'refused',
        clearedAt: null,
      });
    else if (s.workedAt !== null && was && was.clearedAt === null)
      byTeacher.set(key, { ...was, clearedAt: s.workedAt });
  }
  return [...byTeacher.values()]
    .filter((a) => (a.clearedAt === null ? now - a.at <= 7 * DAY : now - a.clearedAt <= DAY))
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_ACCOUNTS);
}

/** Teachers refused one by one and still to be reported (asked for, and refused, within a day). */
export function refusedAccounts(state: HealthState, now: number): AccountRefusal[] {
  return (state.accounts ?? []).filter(
    (a) => a.clearedAt === null && now - a.at <= ACCOUNT_QUIET_MS,
  );
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

/** A job's last run and last success as a heartbeat kept outside the store, when it refused the record. */
export interface Heartbeat {
  lastRun: number;
  lastOk: number | null;
}

/**
 * The record with each job's run taken from its heartbeat where that is later: runs the full
 * store could not note still count as runs (no "is not running" while every job runs).
 */
export function withHeartbeats(
  state: HealthState,
  beats: Partial<Record<JobName, Heartbeat>>,
): HealthState {
  let jobs = state.jobs;
  for (const name of JOB_NAMES) {
    const beat = beats[name];
    const job = jobs[name];
    if (!beat || !job) continue;
    const lastRun = Math.max(job.lastRun ?? 0, beat.lastRun);
    const lastOk = Math.max(job.lastOk ?? 0, beat.lastOk ?? 0) || null;
    if (lastRun === job.lastRun && lastOk === job.lastOk) continue;
    jobs = { ...jobs, [name]: { ...job, lastRun, lastOk } };
  }
  return jobs === state.jobs ? state : { ...state, jobs };
}

/** Jobs that have not run, or not succeeded, for longer than their period allows. */
export function lateJobs(state: HealthState, now: number): JobName[] {
  return JOB_NAMES.filter((name) => isLate(state.jobs, name, now));
}

function isLate(
  jobs: HealthState['jobs'],
  name: JobName,
  now: number,
  lateAfterMs = JOBS[name].lateAfterMs,
): boolean {
  const job = jobs[name];
  if (!job) return false;
  const ran = Math.max(job.lastRun ?? 0, job.installedAt ?? 0);
  const ok = Math.max(job.lastOk ?? 0, job.installedAt ?? 0);
  if (ran === 0) return false;
  return now - ran > lateAfterMs || now - ok > lateAfterMs;
}

/**
 * How long the minute monitor may be silent (or fail every run) before teachers are asked to run
 * their lessons from the sidebar. Longer than the admin's 4 minutes: a stall the admin should look
 * at is not yet a reason to hand every lesson to its teacher; ten minutes without opening,
 * sharing, withdrawing or ending is (a room opens 10 minutes before its start, a link comes down
 * 5 minutes before the end).
 */
export const MONITOR_STOPPED_MS = 10 * MIN;

/**
 * The minute monitor has not run (or not without failing) for MONITOR_STOPPED_MS: rooms are not
 * opened, links not shared or taken down, calls not ended for anyone (R28).
 */
export function monitorStopped(jobs: HealthState['jobs'], now: number): boolean {
  return isLate(jobs, 'monitor', now, MONITOR_STOPPED_MS);
}
