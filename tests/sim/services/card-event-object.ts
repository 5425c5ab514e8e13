// The event object Google passes to a Workspace add-on's trigger and action functions,
// built from what a test says the teacher did (host app, form values, open Calendar event).
// doc: https://developers.google.com/workspace/add-ons/concepts/event-objects

import type { InputNode } from './card-tree';

export type HostApp = 'CALENDAR' | 'GMAIL' | 'DRIVE' | 'DOCS' | 'SHEETS' | 'SLIDES';
export type Platform = 'WEB' | 'IOS' | 'ANDROID';

/** A date (DatePicker) or date-time (DateTimePicker: say hasDate / hasTime) value. */
export interface DateValue {
  msSinceEpoch: number;
  hasDate?: boolean;
  hasTime?: boolean;
}

export interface TimeValue {
  hours: number;
  minutes: number;
}

/** A value as the teacher left it; `null` clears the field, a boolean sets a switch. */
export type FormValue = string | string[] | DateValue | TimeValue | boolean | null;

export interface CalendarAttendee {
  email: string;
  displayName?: string;
  optional?: boolean;
  organizer?: boolean;
  resource?: boolean;
  responseStatus?: 'accepted' | 'declined' | 'needsAction' | 'tentative';
  self?: boolean;
  additionalGuests?: number;
  comment?: string;
}

/** The open Calendar event (eventOpenTrigger, and every action while it stays open). */
export interface CalendarContext {
  /** The event id. */
  id: string;
  calendarId: string;
  organizer?: string;
  recurringEventId?: string;
  capabilities?: Partial<CalendarCapabilities>;
  /** Only sent when the manifest grants current-event read access; pass them to include. */
  attendees?: CalendarAttendee[];
  conferenceData?: unknown;
}

export interface CalendarCapabilities {
  canAddAttendees: boolean;
  canSeeAttendees: boolean;
  canSeeConferenceData: boolean;
  canSetConferenceData: boolean;
  canAddAttachments: boolean;
}

export interface EventOptions {
  /** Who clicks: not part of the event object (Google does not send it); the harness runs as them. */
  user?: string;
  hostApp?: HostApp;
  platform?: Platform;
  parameters?: Record<string, string>;
  formInputs?: Record<string, FormValue>;
  calendar?: CalendarContext;
  /** IANA id; sent only when `useLocaleFromApp`. */
  timeZone?: string;
  /** e.g. en-GB; sent only when `useLocaleFromApp`. */
  locale?: string;
  /**
   * The manifest's addOns.common.useLocaleFromApp: without it Google leaves userLocale and
   * timeZone out (doc: https://developers.google.com/workspace/add-ons/how-tos/access-user-locale).
   */
  useLocaleFromApp?: boolean;
  /** When the event happens (simulated clock), for the time zone offset under daylight saving. */
  now?: number;
}

export type StringInputs = { stringInputs: { value: string[] } };
export type EncodedInput =
  | StringInputs
  | { dateInput: { msSinceEpoch: string } }
  | { dateTimeInput: { msSinceEpoch: string; hasDate: boolean; hasTime: boolean } }
  | { timeInput: { hours: number; minutes: number } };

/**
 * The add-on event object. (@types/google-apps-script's CommonEventObject requires a Rhino-only
 * `""` key in each form input, so this is typed here from the docs.)
 */
export interface SimEventObject {
  commonEventObject: {
    hostApp: HostApp;
    platform: Platform;
    userLocale?: string;
    timeZone?: { id: string; offset: number };
    formInputs?: Record<string, EncodedInput>;
    parameters?: Record<string, string>;
  };
  calendar?: Record<string, unknown>;
  // Deprecated Gmail add-on fields the docs still list next to commonEventObject.
  clientPlatform: string;
  formInput?: Record<string, string>;
  formInputs?: Record<string, string[]>;
  parameters?: Record<string, string>;
  userLocale?: string;
  userCountry?: string;
  userTimezone?: { id: string; offSet: string };
}

/** Offset of `timeZone` from UTC at `at`, in ms (e.g. 3600000 for London in summer). */
export function timeZoneOffsetMs(timeZone: string, at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? '');
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3_600_000 + Number(m[3] ?? 0) * 60_000);
}

export function isDateValue(v: unknown): v is DateValue {
  return !!v && typeof v === 'object' && 'msSinceEpoch' in v;
}

export function isTimeValue(v: unknown): v is TimeValue {
  return !!v && typeof v === 'object' && 'hours' in v && 'minutes' in v;
}

/**
 * doc: https://developers.google.com/workspace/add-ons/concepts/event-objects#form-inputs
 * text and selections → stringInputs.value[]; DatePicker → dateInput; DateTimePicker →
 * dateTimeInput; TimePicker → timeInput. msSinceEpoch is an int64, which Google's JSON
 * carries as a string (as @types/google-apps-script types it).
 */
function encodeInput(
  field: string,
  value: FormValue,
  kind?: InputNode['kind'],
): EncodedInput | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return { stringInputs: { value: [value] } };
  if (Array.isArray(value))
    return value.length ? { stringInputs: { value: [...value] } } : undefined;
  if (isTimeValue(value)) return { timeInput: { hours: value.hours, minutes: value.minutes } };
  if (isDateValue(value)) {
    const ms = String(Math.trunc(value.msSinceEpoch));
    const dateTime = kind
      ? kind === 'dateTimePicker'
      : value.hasDate !== undefined || value.hasTime !== undefined;
    if (!dateTime) return { dateInput: { msSinceEpoch: ms } };
    return {
      dateTimeInput: {
        msSinceEpoch: ms,
        hasDate: value.hasDate ?? true,
        hasTime: value.hasTime ?? true,
      },
    };
  }
  throw new Error(
    `Form input "${field}": a ${typeof value} needs the card (use click) to be encoded`,
  );
}

function encodedStrings(input: EncodedInput): string[] | undefined {
  return 'stringInputs' in input ? input.stringInputs.value : undefined;
}

/** The event object Google passes to a trigger or action function. */
export function eventObject(
  options: EventOptions = {},
  kinds: Record<string, InputNode['kind']> = {},
): SimEventObject {
  const hostApp = options.hostApp ?? 'CALENDAR';
  const platform = options.platform ?? 'WEB';
  const common: SimEventObject['commonEventObject'] = { hostApp, platform };
  const event: SimEventObject = {
    commonEventObject: common,
    clientPlatform: platform.toLowerCase(),
  };

  if (options.useLocaleFromApp) {
    const id = options.timeZone ?? 'Europe/London';
    const locale = options.locale ?? 'en-GB';
    const offset = timeZoneOffsetMs(id, options.now ?? Date.now());
    common.userLocale = locale;
    common.timeZone = { id, offset };
    event.userLocale = locale.split('-')[0]!;
    const country = locale.split('-')[1];
    if (country) event.userCountry = country.toLowerCase();
    event.userTimezone = { id, offSet: String(offset) };
  }

  if (options.formInputs) {
    const encoded: Record<string, EncodedInput> = {};
    for (const [field, value] of Object.entries(options.formInputs)) {
      const input = encodeInput(field, value, kinds[field]);
      if (input) encoded[field] = input;
    }
    common.formInputs = encoded;
    event.formInputs = {};
    event.formInput = {};
    for (const [field, input] of Object.entries(encoded)) {
      const values = encodedStrings(input);
      if (!values) continue;
      event.formInputs[field] = [...values];
      event.formInput[field] = values[0]!;
    }
  }

  if (options.parameters) {
    common.parameters = { ...options.parameters };
    event.parameters = { ...options.parameters };
  }

  if (options.calendar) event.calendar = calendarObject(options.calendar, options.user);
  return event;
}

/** doc: https://developers.google.com/workspace/add-ons/concepts/event-objects#calendar-event-object */
function calendarObject(c: CalendarContext, user?: string): Record<string, unknown> {
  const organizer = c.organizer ?? c.calendarId;
  // Choice: the organizer may do everything; a guest sees but cannot change the event.
  const owner = !user || organizer.toLowerCase() === user.toLowerCase();
  const capabilities: CalendarCapabilities = {
    canAddAttendees: owner,
    canSeeAttendees: true,
    canSeeConferenceData: true,
    canSetConferenceData: owner,
    canAddAttachments: owner,
    ...c.capabilities,
  };
  const out: Record<string, unknown> = {
    id: c.id,
    calendarId: c.calendarId,
    organizer: { email: organizer },
    capabilities,
  };
  if (c.recurringEventId) out.recurringEventId = c.recurringEventId;
  if (c.attendees) out.attendees = c.attendees.map((a) => ({ ...a }));
  if (c.conferenceData !== undefined) out.conferenceData = structuredClone(c.conferenceData);
  return out;
}
