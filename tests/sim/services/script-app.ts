// ScriptApp: the script's OAuth token and id, and installable triggers (time-driven and
// Calendar "event updated") with Apps Script's limits. It only keeps the schedule: the
// workspace loop asks `nextDue` what fires next and runs the handler as the trigger's owner
// with the event object `eventFor` builds.
// doc: https://developers.google.com/apps-script/reference/script/script-app
// doc: https://developers.google.com/apps-script/guides/triggers/installable

import { appsScriptException } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';
import type { CalendarWorld } from '../kernel/world-ports';
import { zonedFields, zonedTimeToUtc } from './utilities';

type Trigger = GoogleAppsScript.Script.Trigger;
type ClockTriggerBuilder = GoogleAppsScript.Script.ClockTriggerBuilder;
type CalendarTriggerBuilder = GoogleAppsScript.Script.CalendarTriggerBuilder;
type TriggerBuilder = GoogleAppsScript.Script.TriggerBuilder;

export const SCRIPTAPP_SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';

/** doc: https://developers.google.com/apps-script/guides/services/quotas "Triggers 20 / user / script". */
export const MAX_TRIGGERS_PER_USER = 20;
export const TOO_MANY_TRIGGERS_MESSAGE =
  'This script has too many triggers. Triggers must be deleted from the script before more can be added.';

/**
 * doc: guides/triggers/installable "add-ons can only use time-driven triggers at most once per
 * hour". The guide gives no error text; this wording is the simulation's.
 */
export const ADDON_TRIGGER_TOO_FREQUENT_MESSAGE =
  'Add-ons may not create time-driven triggers that run more frequently than once per hour.';

/** doc: clock-trigger-builder#everyMinutes(Integer) "n must be 1, 5, 10, 15 or 30". */
const EVERY_MINUTES = [1, 5, 10, 15, 30];
/** Hours Apps Script accepts for everyHours (the reference lists no set; users report these). */
const EVERY_HOURS = [1, 2, 4, 6, 8, 12];

/**
 * How long after a Calendar change its onEventUpdated trigger runs. Google gives no figure
 * (the trigger is asynchronous); a few seconds is what users observe.
 */
export const CALENDAR_TRIGGER_DELAY_MS = 5_000;
/** A one-off trigger never runs inside the execution that created it (no doc: chosen). */
const ONE_OFF_MIN_DELAY_MS = 1_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Apps Script enums are objects whose string form is their name; strings compare the same way.
const AUTH_MODE = {
  NONE: 'NONE',
  CUSTOM_FUNCTION: 'CUSTOM_FUNCTION',
  LIMITED: 'LIMITED',
  FULL: 'FULL',
} as unknown as typeof GoogleAppsScript.Script.AuthMode;
const EVENT_TYPE = {
  CLOCK: 'CLOCK',
  ON_OPEN: 'ON_OPEN',
  ON_EDIT: 'ON_EDIT',
  ON_FORM_SUBMIT: 'ON_FORM_SUBMIT',
  ON_CHANGE: 'ON_CHANGE',
  ON_EVENT_UPDATED: 'ON_EVENT_UPDATED',
} as unknown as typeof GoogleAppsScript.Script.EventType;
const TRIGGER_SOURCE = {
  SPREADSHEETS: 'SPREADSHEETS',
  CLOCK: 'CLOCK',
  FORMS: 'FORMS',
  DOCUMENTS: 'DOCUMENTS',
  CALENDAR: 'CALENDAR',
} as unknown as typeof GoogleAppsScript.Script.TriggerSource;

export type ClockSchedule =
  | { kind: 'every'; periodMs: number }
  | { kind: 'daily'; everyDays: number; hour: number; minute: number; timeZone: string }
  | { kind: 'once'; at: number };

/** A trigger as the simulated Apps Script back end keeps it. */
export interface SimTriggerRecord {
  id: string;
  handlerFunction: string;
  /** The user who created it: installable triggers always run as their creator. */
  owner: string;
  scriptId: string;
  eventType: 'CLOCK' | 'ON_EVENT_UPDATED';
  source: 'CLOCK' | 'CALENDAR';
  /** The calendar id for Calendar triggers; null for clock triggers. */
  sourceId: string | null;
  createdAt: number;
  schedule?: ClockSchedule;
  /** Calendar triggers: when changes make it due (not yet delivered). */
  pending: number[];
  /** One-off clock triggers: already delivered (they stay listed until deleted). */
  fired: boolean;
}

export interface DueTrigger {
  trigger: SimTriggerRecord;
  at: number;
}

type ClockEvent = GoogleAppsScript.Events.TimeDriven;
type CalendarEvent = Omit<GoogleAppsScript.Events.CalendarEventUpdated, 'user'>;

function copy(record: SimTriggerRecord): SimTriggerRecord {
  return {
    ...record,
    pending: [...record.pending],
    schedule: record.schedule ? { ...record.schedule } : undefined,
  };
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** ISO-8601 week number of a UTC calendar date. */
function isoWeek(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday = 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // Thursday of this week
  const firstThursday = new Date(Date.UTC(date.getUTCFullYear(), 0, 4));
  return 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * DAY));
}

/** What a ClockTriggerBuilder has been told so far. */
interface ClockSpec {
  minutes?: number;
  hours?: number;
  days?: number;
  hour?: number;
  minute?: number;
  at?: number;
  afterMs?: number;
  timeZone?: string;
}

export interface ScriptAppOptions {
  /** The manifest's time zone, used for daily triggers without inTimezone(). */
  timeZone?: string;
}

export class SimScriptApp {
  private records = new Map<string, SimTriggerRecord>();
  /** Triggers Google has stopped firing (`handler@owner`), though installed. */
  private stalled = new Set<string>();
  private serial = 0;
  private tokens = new Map<number, { token: string; expiresAt: number }>();
  private readonly timeZone: string;

  constructor(
    private readonly kernel: SimKernel,
    calendar: CalendarWorld,
    readonly scriptId = 'sim-script-id',
    options: ScriptAppOptions = {},
  ) {
    this.timeZone = options.timeZone ?? 'Europe/London';
    // doc: calendar-trigger-builder#onEventUpdated "a trigger that fires when a calendar entry
    // is created, updated, or deleted".
    calendar.onEventsChanged((calendarId) => this.calendarChanged(calendarId));
  }

  global(): Pick<
    GoogleAppsScript.Script.ScriptApp,
    | 'AuthMode'
    | 'EventType'
    | 'TriggerSource'
    | 'getOAuthToken'
    | 'getScriptId'
    | 'newTrigger'
    | 'getProjectTriggers'
    | 'deleteTrigger'
  > {
    const k = this.kernel;
    return {
      AuthMode: AUTH_MODE,
      EventType: EVENT_TYPE,
      TriggerSource: TRIGGER_SOURCE,
      // doc: script-app#getOAuthToken "Gets the OAuth 2.0 access token for the effective user",
      // carrying the manifest's scopes. One token per execution, renewed once expired.
      getOAuthToken: () =>
        k.invoke('script.ScriptApp.getOAuthToken', () => this.oauthToken(), { latencyMs: 0 }),
      getScriptId: () =>
        k.invoke('script.ScriptApp.getScriptId', () => this.scriptId, { latencyMs: 0 }),
      newTrigger: (functionName) => {
        this.requireScope('ScriptApp.newTrigger');
        return this.triggerBuilder(String(functionName));
      },
      // doc: script-app#getProjectTriggers "Gets all installable triggers associated with the
      // current project and current user."
      getProjectTriggers: () => {
        this.requireScope('ScriptApp.getProjectTriggers');
        return k.invoke('script.ScriptApp.getProjectTriggers', () =>
          this.ownTriggers().map((r) => this.triggerObject(r.id)),
        );
      },
      // doc: script-app#deleteTrigger "Removes the given trigger so it no longer runs."
      deleteTrigger: (trigger) => {
        this.requireScope('ScriptApp.deleteTrigger');
        k.invoke('script.ScriptApp.deleteTrigger', () => {
          const id = trigger?.getUniqueId();
          const record = id === undefined ? undefined : this.records.get(id);
          if (record && record.owner === k.effectiveUser()) this.records.delete(record.id);
        });
      },
    };
  }

  // --- world API: the workspace's trigger loop ---

  /**
   * Someone deletes a trigger by hand, from the project's Triggers page (as its owner): it no
   * longer runs. Returns how many were deleted.
   * doc: https://developers.google.com/apps-script/guides/triggers/installable#manage_triggers_manually
   */
  removeTrigger(handlerFunction: string, owner?: string): number {
    let n = 0;
    for (const [id, record] of this.records)
      if (
        record.handlerFunction === handlerFunction &&
        (owner === undefined || record.owner === owner.toLowerCase())
      ) {
        this.records.delete(id);
        n += 1;
      }
    return n;
  }

  /**
   * An Apps Script incident: Google stops firing a trigger that is still installed (it stays on
   * the Triggers page and in getProjectTriggers()), until `resumeTrigger`. An assumption: Google
   * documents no such failure mode, but trigger runs that do not come are a known symptom the
   * product must survive (R28); nothing else in the simulation does this by itself.
   */
  stallTrigger(handlerFunction: string, owner: string): void {
    this.stalled.add(`${handlerFunction}@${owner.toLowerCase()}`);
  }

  resumeTrigger(handlerFunction: string, owner: string): void {
    this.stalled.delete(`${handlerFunction}@${owner.toLowerCase()}`);
  }

  /** Every trigger of this script, all users. */
  triggers(): SimTriggerRecord[] {
    return [...this.records.values()].map(copy);
  }

  /** The earliest trigger run strictly after `after` (ties: oldest trigger first). */
  nextDue(after: number): DueTrigger | undefined {
    let best: DueTrigger | undefined;
    for (const record of this.records.values()) {
      const at = this.nextFireAfter(record, after);
      if (at !== undefined && (best === undefined || at < best.at)) {
        best = { trigger: copy(record), at };
      }
    }
    return best;
  }

  /** Every trigger due at the earliest fire time after `after` (several can fire at once). */
  dueTogether(after: number): DueTrigger[] {
    const first = this.nextDue(after);
    if (!first) return [];
    const all: DueTrigger[] = [];
    for (const record of this.records.values()) {
      if (this.nextFireAfter(record, after) === first.at)
        all.push({ trigger: copy(record), at: first.at });
    }
    return all;
  }

  /**
   * The event object the handler receives for the run at `at`, and the run is consumed (a
   * one-off trigger will not be due again; a Calendar trigger's pending change is delivered).
   * doc: https://developers.google.com/apps-script/guides/triggers/events (time-driven events:
   * fields in UTC, "timezone" 'UTC', "day-of-week" 1 = Monday ... 7 = Sunday; Calendar events:
   * authMode, calendarId, triggerUid).
   */
  eventFor(trigger: SimTriggerRecord | string, at: number): ClockEvent | CalendarEvent {
    const id = typeof trigger === 'string' ? trigger : trigger.id;
    const record = this.records.get(id);
    if (!record) throw new Error(`SimScriptApp: no trigger ${id}`);
    if (record.source === 'CALENDAR') {
      record.pending = record.pending.filter((p) => p > at);
      return {
        authMode: AUTH_MODE.FULL,
        calendarId: record.sourceId ?? '',
        triggerUid: record.id,
      };
    }
    if (record.schedule?.kind === 'once') record.fired = true;
    const f = zonedFields(at, 'UTC');
    return {
      authMode: AUTH_MODE.FULL,
      'day-of-month': f.day,
      'day-of-week': f.weekday,
      hour: f.hour,
      minute: f.minute,
      month: f.month,
      second: f.second,
      timezone: 'UTC',
      triggerUid: record.id,
      'week-of-year': isoWeek(f.year, f.month, f.day),
      year: f.year,
    };
  }

  // --- internals ---

  private requireScope(method: string): void {
    // doc: script-app reference, "Authorization: Scripts that use this method require
    // authorization with ... https://www.googleapis.com/auth/script.scriptapp".
    if (!this.kernel.manifestScopes.includes(SCRIPTAPP_SCOPE)) {
      throw appsScriptException(
        `You do not have permission to call ${method}. Required permissions: ${SCRIPTAPP_SCOPE}`,
      );
    }
  }

  private oauthToken(): string {
    const execution = this.kernel.current()?.id ?? 0;
    const cached = this.tokens.get(execution);
    if (cached && cached.expiresAt > this.kernel.now()) return cached.token;
    const principal = this.kernel.scriptPrincipal();
    const token = this.kernel.tokens.issue(principal);
    this.tokens.set(execution, { token, expiresAt: principal.expiresAt });
    return token;
  }

  private ownTriggers(): SimTriggerRecord[] {
    const me = this.kernel.effectiveUser();
    return [...this.records.values()].filter((r) => r.owner === me);
  }

  private calendarChanged(calendarId: string): void {
    const due = this.kernel.now() + CALENDAR_TRIGGER_DELAY_MS;
    for (const record of this.records.values()) {
      if (record.source !== 'CALENDAR') continue;
      if ((record.sourceId ?? '').toLowerCase() !== calendarId.toLowerCase()) continue;
      // Changes arriving while a run is already pending are delivered by that one run.
      if (!record.pending.some((p) => p >= this.kernel.now())) record.pending.push(due);
    }
  }

  private nextFireAfter(record: SimTriggerRecord, after: number): number | undefined {
    if (this.stalled.has(`${record.handlerFunction}@${record.owner}`)) return undefined;
    if (record.source === 'CALENDAR') {
      const next = record.pending.filter((p) => p > after).sort((a, b) => a - b)[0];
      return next;
    }
    const schedule = record.schedule;
    if (!schedule) return undefined;
    switch (schedule.kind) {
      case 'every': {
        const k = Math.max(1, Math.floor((after - record.createdAt) / schedule.periodMs) + 1);
        return record.createdAt + k * schedule.periodMs;
      }
      case 'once':
        return !record.fired && schedule.at > after ? schedule.at : undefined;
      case 'daily':
        return nextDaily(record.createdAt, schedule, after);
    }
  }

  private create(
    spec: Omit<
      SimTriggerRecord,
      'id' | 'owner' | 'scriptId' | 'createdAt' | 'pending' | 'fired' | 'schedule'
    >,
    schedule?: (now: number) => ClockSchedule,
  ): Trigger {
    const k = this.kernel;
    const key =
      spec.source === 'CLOCK'
        ? 'script.ClockTriggerBuilder.create'
        : 'script.CalendarTriggerBuilder.create';
    return k.invoke(key, () => {
      const owner = k.effectiveUser();
      const createdAt = k.now();
      const resolved = schedule?.(createdAt);
      // doc: quotas "Triggers 20 / user / script".
      if (this.ownTriggers().length >= MAX_TRIGGERS_PER_USER) {
        throw appsScriptException(TOO_MANY_TRIGGERS_MESSAGE);
      }
      this.serial += 1;
      const id = String(8_000_000_000_000_000 + this.serial * 7_919);
      this.records.set(id, {
        ...spec,
        id,
        owner,
        scriptId: this.scriptId,
        createdAt,
        schedule: resolved,
        pending: [],
        fired: false,
      });
      return this.triggerObject(id);
    });
  }

  /** A Trigger object: a handle on the stored trigger, as Apps Script returns. */
  private triggerObject(id: string): Trigger {
    const get = () => {
      const r = this.records.get(id);
      if (!r) throw appsScriptException('The trigger no longer exists.');
      return r;
    };
    const trigger: Pick<
      Trigger,
      | 'getUniqueId'
      | 'getHandlerFunction'
      | 'getEventType'
      | 'getTriggerSource'
      | 'getTriggerSourceId'
    > = {
      getUniqueId: () => id,
      getHandlerFunction: () => get().handlerFunction,
      getEventType: () => EVENT_TYPE[get().eventType],
      getTriggerSource: () => TRIGGER_SOURCE[get().source],
      // doc: trigger#getTriggerSourceId "For clock triggers, returns null."
      getTriggerSourceId: () => get().sourceId as string,
    };
    return trigger as Trigger;
  }

  private triggerBuilder(handlerFunction: string): TriggerBuilder {
    const builder: Pick<TriggerBuilder, 'timeBased' | 'forUserCalendar'> = {
      timeBased: () => this.clockBuilder(handlerFunction),
      forUserCalendar: (emailId) => this.calendarBuilder(handlerFunction, String(emailId)),
    };
    return builder as TriggerBuilder;
  }

  private calendarBuilder(handlerFunction: string, calendarId: string): CalendarTriggerBuilder {
    let onEventUpdated = false;
    const builder: Pick<CalendarTriggerBuilder, 'onEventUpdated' | 'create'> = {
      onEventUpdated: () => {
        onEventUpdated = true;
        return builder as CalendarTriggerBuilder;
      },
      create: () => {
        if (!onEventUpdated) {
          throw appsScriptException('Missing event type: call onEventUpdated() before create().');
        }
        return this.create({
          handlerFunction,
          eventType: 'ON_EVENT_UPDATED',
          source: 'CALENDAR',
          sourceId: calendarId,
        });
      },
    };
    return builder as CalendarTriggerBuilder;
  }

  private clockSchedule(spec: ClockSpec, now: number): ClockSchedule {
    if (spec.at !== undefined || spec.afterMs !== undefined) {
      const requested = spec.at ?? now + (spec.afterMs ?? 0);
      return { kind: 'once', at: Math.max(requested, now + ONE_OFF_MIN_DELAY_MS) };
    }
    if (spec.minutes !== undefined) return { kind: 'every', periodMs: spec.minutes * MINUTE };
    if (spec.hours !== undefined) return { kind: 'every', periodMs: spec.hours * HOUR };
    if (spec.days !== undefined) {
      const timeZone = spec.timeZone ?? this.timeZone;
      const local = zonedFields(now, timeZone);
      // Without atHour, a daily trigger keeps the time of day it was created at.
      return {
        kind: 'daily',
        everyDays: spec.days,
        hour: spec.hour ?? local.hour,
        minute: spec.minute ?? (spec.hour === undefined ? local.minute : 0),
        timeZone,
      };
    }
    // No doc for an incomplete builder; the simulation refuses it rather than guess.
    throw appsScriptException(
      'The trigger has no schedule: use everyMinutes, everyHours, everyDays, at or after.',
    );
  }

  private clockBuilder(handlerFunction: string): ClockTriggerBuilder {
    const spec: ClockSpec = {};
    const self = () => builder as ClockTriggerBuilder;
    const builder: Pick<
      ClockTriggerBuilder,
      | 'everyMinutes'
      | 'everyHours'
      | 'everyDays'
      | 'atHour'
      | 'nearMinute'
      | 'at'
      | 'after'
      | 'inTimezone'
      | 'create'
    > = {
      everyMinutes: (n) => {
        // Apps Script's error, as users report it verbatim.
        if (!EVERY_MINUTES.includes(Number(n))) {
          throw appsScriptException(
            'The value you passed to everyMinutes was invalid. It must be one of 1, 5, 10, 15 or 30.',
          );
        }
        spec.minutes = Number(n);
        return self();
      },
      everyHours: (n) => {
        // Worded like everyMinutes' error (users report "The value you passed to everyHours was invalid").
        if (!EVERY_HOURS.includes(Number(n))) {
          throw appsScriptException(
            'The value you passed to everyHours was invalid. It must be one of 1, 2, 4, 6, 8 or 12.',
          );
        }
        spec.hours = Number(n);
        return self();
      },
      everyDays: (n) => {
        spec.days = Math.max(1, Math.floor(Number(n)));
        return self();
      },
      // doc: clock-trigger-builder#atHour(Integer) "The hour at which to fire" (0-23).
      atHour: (hour) => {
        spec.hour = Math.floor(Number(hour));
        return self();
      },
      // doc: clock-trigger-builder#nearMinute "plus or minus 15 minutes": the simulation fires on
      // the minute itself, so schedules are reproducible.
      nearMinute: (minute) => {
        spec.minute = Math.floor(Number(minute));
        return self();
      },
      at: (date) => {
        if (!isDate(date)) throw appsScriptException('Invalid argument: date');
        spec.at = (date as unknown as Date).getTime();
        return self();
      },
      // doc: clock-trigger-builder#after "the minimum duration (in milliseconds) after the current
      // time that the trigger runs".
      after: (durationMilliseconds) => {
        spec.afterMs = Math.max(0, Number(durationMilliseconds));
        return self();
      },
      inTimezone: (timezone) => {
        spec.timeZone = String(timezone);
        return self();
      },
      create: () =>
        this.create(
          { handlerFunction, eventType: 'CLOCK', source: 'CLOCK', sourceId: null },
          (now) => {
            const schedule = this.clockSchedule(spec, now);
            const execution = this.kernel.current();
            if (
              execution?.kind === 'card' &&
              schedule.kind === 'every' &&
              schedule.periodMs < HOUR
            ) {
              throw appsScriptException(ADDON_TRIGGER_TOO_FREQUENT_MESSAGE);
            }
            return schedule;
          },
        ),
    };
    return builder as ClockTriggerBuilder;
  }
}

/** The next run of a daily trigger strictly after `after`, in its time zone's wall clock. */
function nextDaily(
  createdAt: number,
  schedule: Extract<ClockSchedule, { kind: 'daily' }>,
  after: number,
): number {
  const { everyDays, hour, minute, timeZone } = schedule;
  const dayNumber = (ms: number) => {
    const f = zonedFields(ms, timeZone);
    return Date.UTC(f.year, f.month - 1, f.day) / DAY;
  };
  const instantOn = (day: number) => {
    const d = new Date(day * DAY);
    return zonedTimeToUtc(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute },
      timeZone,
    );
  };
  let first = dayNumber(createdAt);
  if (instantOn(first) <= createdAt) first += 1;
  let day = Math.max(first, dayNumber(Math.max(after, createdAt)) - 1);
  day = first + Math.ceil((day - first) / everyDays) * everyDays;
  for (;;) {
    const at = instantOn(day);
    if (at > after && at > createdAt) return at;
    day += everyDays;
  }
}
