// The simulated Google Calendar API v3 (events): one implementation, reached both as
// the `Calendar` advanced service and over REST, with sync tokens and change
// listeners so the product's incremental sync and `onEventUpdated` triggers are exercised.
// An event with guests has a copy on each guest's calendar: the organiser's changes reach
// every copy; a guest's changes (removing it, moving their copy) stay on their own.

import { advancedCall } from '../kernel/edges';
import { type CanonicalStatus, GoogleApiError } from '../kernel/google-error';
import { RawResponse, type RouteContext } from '../kernel/http';
import type { SimKernel } from '../kernel/kernel';
import { type Principal, requireScope } from '../kernel/tokens';
import type { CalendarWorld } from '../kernel/world-ports';

type Event = GoogleAppsScript.Calendar.Schema.Event;
type Events = GoogleAppsScript.Calendar.Schema.Events;
type EventDateTime = GoogleAppsScript.Calendar.Schema.EventDateTime;
type EventsCollection = GoogleAppsScript.Calendar.Collection.EventsCollection;

// doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/list (Authorization)
// and https://developers.google.com/workspace/calendar/api/auth (the granular .owned / .app.created scopes)
const READ_SCOPES = [
  'calendar',
  'calendar.readonly',
  'calendar.events',
  'calendar.events.readonly',
  'calendar.events.owned',
  'calendar.events.owned.readonly',
  'calendar.app.created',
];
// doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/insert (Authorization)
const WRITE_SCOPES = [
  'calendar',
  'calendar.events',
  'calendar.events.owned',
  'calendar.app.created',
];

/** doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/list (maxResults) */
const DEFAULT_MAX_RESULTS = 250;
const MAX_MAX_RESULTS = 2500;

/**
 * Calendar's error bodies are the older shape: `errors[{domain, reason, message,
 * locationType?, location?}]`, `code`, `message`, and no `status`.
 * doc: https://developers.google.com/workspace/calendar/api/guides/errors
 */
export class CalendarApiError extends GoogleApiError {
  constructor(
    status: CanonicalStatus,
    message: string,
    reason: string,
    readonly domain = 'global',
    readonly location?: string,
  ) {
    super(status, message, reason);
  }

  override toJsonBody(): { error: Record<string, unknown> } {
    const item: Record<string, unknown> = {
      domain: this.domain,
      reason: this.reason,
      message: this.message,
    };
    if (this.location) {
      item.locationType = 'parameter';
      item.location = this.location;
    }
    return { error: { errors: [item], code: this.code, message: this.message } };
  }
}

// doc: https://developers.google.com/workspace/calendar/api/guides/errors (404 notFound)
const notFound = () => new CalendarApiError('NOT_FOUND', 'Not Found', 'notFound');
// doc: https://developers.google.com/workspace/calendar/api/guides/errors (410 deleted)
const alreadyDeleted = () => new CalendarApiError('GONE', 'Resource has been deleted', 'deleted');
// doc: https://developers.google.com/workspace/calendar/api/guides/sync and guides/errors (410 fullSyncRequired)
const fullSyncRequired = () =>
  new CalendarApiError(
    'GONE',
    'Sync token is no longer valid, a full sync is required.',
    'fullSyncRequired',
    'calendar',
    'syncToken',
  );
// doc: https://developers.google.com/workspace/calendar/api/guides/errors (400 timeRangeEmpty)
const timeRangeEmpty = (location: string) =>
  new CalendarApiError(
    'INVALID_ARGUMENT',
    'The specified time range is empty.',
    'timeRangeEmpty',
    'calendar',
    location,
  );
// doc: https://developers.google.com/workspace/calendar/api/guides/errors (409 duplicate)
const duplicate = () =>
  new CalendarApiError('ALREADY_EXISTS', 'The requested identifier already exists.', 'duplicate');
// Reader access only: Calendar answers 403 requiredAccessLevel.
// doc: https://developers.google.com/workspace/calendar/api/guides/errors (403 requiredAccessLevel)
const needsWriter = () =>
  new CalendarApiError(
    'PERMISSION_DENIED',
    'You need to have writer access to this calendar.',
    'requiredAccessLevel',
    'calendar',
  );
const invalid = (message: string, location?: string) =>
  new CalendarApiError('INVALID_ARGUMENT', message, 'invalid', 'global', location);
// doc: https://developers.google.com/workspace/calendar/api/guides/errors (403 forbiddenForNonOrganizer:
// "Shared properties (for example, guestsCanInviteOthers, guestsCanModify, or guestsCanSeeOtherGuests)
// can only be set by the organizer")
const forbiddenForNonOrganizer = () =>
  new CalendarApiError(
    'PERMISSION_DENIED',
    'Shared properties can only be changed by the organizer of the event.',
    'forbiddenForNonOrganizer',
    'calendar',
  );
/** The settings only the organiser's copy may change (see forbiddenForNonOrganizer). */
const ORGANIZER_ONLY = [
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
] as const;

export type CalendarRole = 'reader' | 'writer' | 'owner';

export interface EventsListArgs {
  timeMin?: string;
  timeMax?: string;
  updatedMin?: string;
  singleEvents?: boolean;
  orderBy?: string;
  q?: string;
  iCalUID?: string;
  privateExtendedProperty?: string[];
  sharedExtendedProperty?: string[];
  showDeleted?: boolean;
  maxResults?: number;
  pageToken?: string;
  syncToken?: string;
}

export interface EventWriteArgs {
  sendUpdates?: string;
  conferenceDataVersion?: number;
}

/** A notification Calendar would have emailed to guests (what `sendUpdates` decides). */
export interface CalendarNotification {
  calendarId: string;
  eventId: string;
  change: 'created' | 'updated' | 'cancelled';
  sendUpdates: string;
  recipients: string[];
  at: number;
}

interface StoredEvent {
  event: Event;
  /** Position in the global change order: what sync tokens compare against. */
  changeSeq: number;
  /** Insertion order, the "unspecified, stable order" of an unordered list. */
  serial: number;
  /**
   * The calendar holding the organiser's copy: this calendar's own id for an event made here,
   * the organiser's for a guest's copy ("the calendar on which this copy of the event appears").
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (organizer.self, attendees[].self)
   */
  organizerCalendar: string;
  /** The guest removed this copy from their calendar: the organiser's later changes leave it removed. */
  removedByGuest?: boolean;
}

interface StoredCalendar {
  id: string;
  timeZone: string;
  /** Bumped by `invalidateSyncTokens`: tokens minted under an older generation answer 410. */
  generation: number;
  acl: Map<string, CalendarRole>;
  events: Map<string, StoredEvent>;
}

interface SyncTokenBody {
  c: string;
  g: number;
  s: number;
}

interface PageTokenBody {
  o: number;
  s: number;
  k: string;
}

// Parameters that "cannot be specified together with nextSyncToken".
// doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/list (syncToken)
const NOT_WITH_SYNC_TOKEN = [
  'iCalUID',
  'orderBy',
  'privateExtendedProperty',
  'q',
  'sharedExtendedProperty',
  'timeMin',
  'timeMax',
  'updatedMin',
] as const;

// Read-only fields a client cannot set; `conferenceData` is handled on its own.
// doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (resource representation)
const SERVER_FIELDS = [
  'kind',
  'etag',
  'id',
  'htmlLink',
  'created',
  'updated',
  'creator',
  'organizer',
  'iCalUID',
  'hangoutLink',
  'conferenceData',
  'privateCopy',
  'locked',
  'sequence',
] as const;

const BASE = 'https://www.googleapis.com/calendar/v3/calendars/{calendarId}/events';

export class SimCalendar implements CalendarWorld {
  private calendars = new Map<string, StoredCalendar>();
  private listeners: ((calendarId: string) => void)[] = [];
  private seq = 0;
  private serial = 0;
  private idSerial = 0;
  /** Every guest notification Calendar would have sent, in order. */
  readonly notifications: CalendarNotification[] = [];

  constructor(private readonly kernel: SimKernel) {
    this.registerRoutes();
  }

  // ---- CalendarWorld ---------------------------------------------------------------

  onEventsChanged(listener: (calendarId: string) => void): void {
    this.listeners.push(listener);
  }

  // ---- API methods (logic once, taking the caller) ---------------------------------

  insertEvent(p: Principal, calendarId: string, resource: Event, args: EventWriteArgs = {}): Event {
    requireScope(p, WRITE_SCOPES);
    const cal = this.writable(p, calendarId);
    const body = clientFields(resource);
    checkTimes(body);
    let id = resource.id;
    if (id !== undefined) {
      // doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (id: base32hex, 5-1024 chars)
      if (!/^[a-v0-9]{5,1024}$/.test(id)) throw invalid('Invalid resource id value.');
      if (cal.events.has(id)) throw duplicate();
    } else {
      id = this.newEventId();
    }
    const now = iso(this.kernel.now());
    const event: Event = {
      kind: 'calendar#event',
      ...body,
      id,
      status: body.status ?? 'confirmed',
      htmlLink: htmlLink(id, cal.id),
      created: now,
      updated: now,
      creator: { email: p.user },
      organizer: { email: cal.id },
      iCalUID: `${id}@google.com`,
      sequence: 0,
      reminders: body.reminders ?? { useDefault: true },
      eventType: body.eventType ?? 'default',
    };
    event.attendees = normaliseAttendees(body.attendees, cal.id);
    if (!event.attendees) delete event.attendees;
    this.applyConference(event, resource, args);
    this.serial += 1;
    const stored: StoredEvent = {
      event,
      changeSeq: 0,
      serial: this.serial,
      organizerCalendar: cal.id,
    };
    cal.events.set(id, stored);
    this.touch(cal, stored, 'created', args.sendUpdates);
    this.propagate(cal, stored);
    return present(stored, cal.id);
  }

  getEvent(p: Principal, calendarId: string, eventId: string): Event {
    requireScope(p, READ_SCOPES);
    const cal = this.readable(p, calendarId);
    // doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (status: "The get method always returns them")
    return present(this.stored(cal, eventId), cal.id);
  }

  patchEvent(
    p: Principal,
    calendarId: string,
    eventId: string,
    resource: Event,
    args: EventWriteArgs = {},
  ): Event {
    requireScope(p, WRITE_SCOPES);
    const cal = this.writable(p, calendarId);
    const stored = this.stored(cal, eventId);
    // Patch semantics: objects merge field by field, arrays and scalars replace, null clears.
    // doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/patch
    const merged = mergePatch(editable(stored.event), clientFields(resource)) as Event;
    checkTimes(merged);
    this.checkGuestEdit(cal, stored, merged);
    this.replaceEditable(stored, merged, cal.id, resource, args);
    this.touch(
      cal,
      stored,
      stored.event.status === 'cancelled' ? 'cancelled' : 'updated',
      args.sendUpdates,
    );
    this.propagate(cal, stored);
    return present(stored, cal.id);
  }

  updateEvent(
    p: Principal,
    calendarId: string,
    eventId: string,
    resource: Event,
    args: EventWriteArgs = {},
  ): Event {
    requireScope(p, WRITE_SCOPES);
    const cal = this.writable(p, calendarId);
    const stored = this.stored(cal, eventId);
    const body = clientFields(resource);
    checkTimes(body);
    this.checkGuestEdit(cal, stored, body);
    this.replaceEditable(stored, body, cal.id, resource, args);
    this.touch(
      cal,
      stored,
      stored.event.status === 'cancelled' ? 'cancelled' : 'updated',
      args.sendUpdates,
    );
    this.propagate(cal, stored);
    return present(stored, cal.id);
  }

  deleteEvent(p: Principal, calendarId: string, eventId: string, args: EventWriteArgs = {}): void {
    requireScope(p, WRITE_SCOPES);
    const cal = this.writable(p, calendarId);
    const stored = this.stored(cal, eventId);
    if (stored.event.status === 'cancelled') throw alreadyDeleted();
    this.remove(cal, stored, args.sendUpdates);
  }

  listEvents(p: Principal, calendarId: string, args: EventsListArgs = {}): Events {
    requireScope(p, READ_SCOPES);
    const cal = this.readable(p, calendarId);
    const role = this.roleOf(p.user, cal) ?? 'reader';
    const maxResults = Math.min(args.maxResults ?? DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 1) {
      throw invalid(
        `Invalid value '${args.maxResults}'. Values must be within the range: [1, 2500]`,
        'maxResults',
      );
    }

    let since: SyncTokenBody | undefined;
    if (args.syncToken !== undefined) {
      for (const name of NOT_WITH_SYNC_TOKEN) {
        const value = args[name];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          // No doc gives the exact message; the 400 itself is documented (syncToken parameter).
          throw invalid(`The '${name}' parameter cannot be combined with 'syncToken'.`, name);
        }
      }
      since = this.readSyncToken(args.syncToken, cal);
    }
    // doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/list (orderBy startTime needs singleEvents)
    if (args.orderBy !== undefined && args.orderBy !== 'startTime' && args.orderBy !== 'updated') {
      throw invalid(`Invalid value for: ${args.orderBy} is not a valid value`, 'orderBy');
    }
    if (args.orderBy === 'startTime' && !args.singleEvents) {
      throw invalid('The requested ordering is not available for the particular query.', 'orderBy');
    }
    const timeMin = parseBound(args.timeMin, 'timeMin');
    const timeMax = parseBound(args.timeMax, 'timeMax');
    const updatedMin = parseBound(args.updatedMin, 'updatedMin');
    if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
      throw timeRangeEmpty('timeMax');
    }
    const privateProps = args.privateExtendedProperty?.map((c) =>
      parseConstraint(c, 'privateExtendedProperty'),
    );
    const sharedProps = args.sharedExtendedProperty?.map((c) =>
      parseConstraint(c, 'sharedExtendedProperty'),
    );

    const queryKey = JSON.stringify({ ...args, pageToken: undefined, cal: cal.id });
    let offset = 0;
    let snapshot = this.seq;
    if (args.pageToken !== undefined) {
      const page = decodeToken<PageTokenBody>(args.pageToken);
      if (!page || page.k !== hash(queryKey))
        throw invalid('Invalid page token value.', 'pageToken');
      offset = page.o;
      snapshot = page.s;
    }

    const matches = [...cal.events.values()].filter((stored) => {
      const e = stored.event;
      // A page walks the collection as it stood at the first page; later changes go to the next sync.
      if (stored.changeSeq > snapshot) return false;
      if (since) return stored.changeSeq > since.s;
      const cancelled = e.status === 'cancelled';
      // doc: events/list showDeleted, updatedMin ("entries deleted since this time will always be included")
      if (cancelled && !args.showDeleted && updatedMin === undefined) return false;
      if (updatedMin !== undefined && Date.parse(e.updated!) < updatedMin) return false;
      // doc: events/list timeMin ("Lower bound (exclusive) for an event's end time"), timeMax (upper bound for start)
      if (timeMin !== undefined && !(instant(e.end) > timeMin)) return false;
      if (timeMax !== undefined && !(instant(e.start) < timeMax)) return false;
      if (args.iCalUID !== undefined && e.iCalUID !== args.iCalUID) return false;
      if (privateProps && !privateProps.every(([k, v]) => e.extendedProperties?.private?.[k] === v))
        return false;
      if (sharedProps && !sharedProps.every(([k, v]) => e.extendedProperties?.shared?.[k] === v))
        return false;
      if (args.q !== undefined && !matchesText(e, args.q)) return false;
      return true;
    });
    matches.sort((a, b) => {
      if (args.orderBy === 'startTime')
        return instant(a.event.start) - instant(b.event.start) || a.serial - b.serial;
      if (args.orderBy === 'updated')
        return Date.parse(a.event.updated!) - Date.parse(b.event.updated!) || a.serial - b.serial;
      return a.serial - b.serial;
    });

    const page = matches.slice(offset, offset + maxResults);
    const result: Events = {
      kind: 'calendar#events',
      etag: `"p${snapshot.toString(36)}"`,
      summary: cal.id,
      updated: iso(this.kernel.now()),
      timeZone: cal.timeZone,
      accessRole: role,
      defaultReminders: [],
      // doc: events resource, status cancelled: "Deleted events are only guaranteed to have the id field populated."
      items: page.map((stored) =>
        stored.event.status === 'cancelled' ? presentDeleted(stored) : present(stored, cal.id),
      ),
    };
    if (offset + maxResults < matches.length) {
      result.nextPageToken = encodeToken<PageTokenBody>({
        o: offset + maxResults,
        s: snapshot,
        k: hash(queryKey),
      });
    } else {
      // doc: https://developers.google.com/workspace/calendar/api/guides/sync ("nextSyncToken ... only on the very last page")
      result.nextSyncToken = encodeToken<SyncTokenBody>({
        c: cal.id,
        g: cal.generation,
        s: snapshot,
      });
    }
    return result;
  }

  // ---- Apps Script advanced service -----------------------------------------------

  /** The `Calendar` global's `Events` collection (Calendar.Events.insert(resource, calendarId, ...)). */
  advancedService() {
    const k = this.kernel;
    const events = {
      insert: (resource: Event, calendarId: string, optionalArgs?: object, _headers?: object) =>
        advancedCall(k, 'calendar.events.insert', (p) =>
          this.insertEvent(p, calendarId, resource, writeArgs(optionalArgs)),
        ),
      get: (calendarId: string, eventId: string, _optionalArgs?: object, _headers?: object) =>
        advancedCall(k, 'calendar.events.get', (p) => this.getEvent(p, calendarId, eventId)),
      patch: (
        resource: Event,
        calendarId: string,
        eventId: string,
        optionalArgs?: object,
        _headers?: object,
      ) =>
        advancedCall(k, 'calendar.events.patch', (p) =>
          this.patchEvent(p, calendarId, eventId, resource, writeArgs(optionalArgs)),
        ),
      update: (
        resource: Event,
        calendarId: string,
        eventId: string,
        optionalArgs?: object,
        _headers?: object,
      ) =>
        advancedCall(k, 'calendar.events.update', (p) =>
          this.updateEvent(p, calendarId, eventId, resource, writeArgs(optionalArgs)),
        ),
      list: (calendarId: string, optionalArgs?: object, _headers?: object) =>
        advancedCall(k, 'calendar.events.list', (p) =>
          this.listEvents(p, calendarId, listArgsFromObject(optionalArgs)),
        ),
      // Apps Script names the REST `delete` method `remove`.
      remove: (
        calendarId: string,
        eventId: string,
        optionalArgs?: object,
        _headers?: object,
      ): void =>
        advancedCall(k, 'calendar.events.delete', (p) =>
          this.deleteEvent(p, calendarId, eventId, writeArgs(optionalArgs)),
        ),
    } satisfies Pick<EventsCollection, 'insert' | 'get' | 'patch' | 'update' | 'list' | 'remove'>;
    return { Events: events };
  }

  // ---- World / test API (acts as people; not counted) -------------------------------

  /** Every event on a calendar, cancelled ones included, as the owner would see them. */
  events(calendarId: string): Event[] {
    const cal = this.calendar(calendarId);
    return [...cal.events.values()]
      .sort((a, b) => a.serial - b.serial)
      .map((s) => present(s, cal.id));
  }

  /** The owner creates an event in the Calendar UI. */
  addEvent(calendarId: string, resource: Event): Event {
    const cal = this.calendar(calendarId);
    return this.insertEvent(ownerPrincipal(cal.id, this.kernel.now()), cal.id, resource);
  }

  /**
   * The calendar's owner drags an event to a new time in the Calendar UI. On the organiser's
   * calendar the move reaches every guest's copy; on a guest's copy it stays on that copy.
   */
  moveEvent(
    calendarId: string,
    eventId: string,
    newStart: Date | string,
    newEnd: Date | string,
  ): Event {
    const cal = this.calendar(calendarId);
    const stored = this.stored(cal, eventId);
    const start = typeof newStart === 'string' ? newStart : iso(newStart.getTime());
    const end = typeof newEnd === 'string' ? newEnd : iso(newEnd.getTime());
    stored.event.start = { ...stored.event.start, dateTime: start };
    stored.event.end = { ...stored.event.end, dateTime: end };
    delete stored.event.start.date;
    delete stored.event.end.date;
    stored.event.sequence = (stored.event.sequence ?? 0) + 1;
    // A guest's private change to their copy emails nobody.
    this.touch(cal, stored, 'updated', 'all', stored.organizerCalendar === cal.id);
    this.propagate(cal, stored);
    return present(stored, cal.id);
  }

  /**
   * The calendar's owner deletes the event in the Calendar UI. The organiser deleting it cancels
   * it for everyone; a guest deleting it removes only their own copy (the organiser's event and
   * the other guests' copies stay as they were).
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (status "cancelled":
   * "the events to which the user was invited and that they manually removed continue to provide details")
   */
  cancelEvent(calendarId: string, eventId: string): void {
    const cal = this.calendar(calendarId);
    this.remove(cal, this.stored(cal, eventId), 'all');
  }

  /**
   * The owner restores a deleted event from the Calendar bin: it is confirmed again, on every
   * copy the organiser's deletion had cancelled.
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (status "cancelled":
   * "On the organizer's calendar, cancelled events continue to expose event details ... so that they
   * can be restored (undeleted)")
   */
  restoreEvent(calendarId: string, eventId: string): Event {
    const cal = this.calendar(calendarId);
    const stored = this.stored(cal, eventId);
    if (stored.event.status !== 'cancelled') throw new Error(`${eventId} is not deleted`);
    stored.event.status = 'confirmed';
    stored.removedByGuest = undefined;
    this.touch(cal, stored, 'updated', 'all');
    this.propagate(cal, stored);
    return present(stored, cal.id);
  }

  /**
   * A guest answers the invitation (accepted, declined, tentative): their response shows on the
   * organiser's event and on every copy. Declining leaves the event in place.
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (attendees[].responseStatus)
   */
  respond(guest: string, eventId: string, responseStatus: string): void {
    const cal = this.calendar(guest);
    const copy = this.stored(cal, eventId);
    const organizer = this.calendar(copy.organizerCalendar);
    const original = this.stored(organizer, eventId);
    for (const a of original.event.attendees ?? [])
      if (a.email === cal.id) a.responseStatus = responseStatus;
    this.touch(organizer, original, 'updated', 'none');
    this.propagate(organizer, original);
  }

  /** The server drops every sync token of the calendar; the next incremental sync gets 410. */
  invalidateSyncTokens(calendarId: string): void {
    this.calendar(calendarId).generation += 1;
  }

  /** The owner shares the calendar (an ACL rule). */
  share(calendarId: string, email: string, role: CalendarRole): void {
    this.calendar(calendarId).acl.set(email.toLowerCase(), role);
  }

  setTimeZone(calendarId: string, timeZone: string): void {
    this.calendar(calendarId).timeZone = timeZone;
  }

  // ---- internals --------------------------------------------------------------------

  /** A user's primary calendar exists as soon as the user does; its id is their email. */
  private calendar(calendarId: string): StoredCalendar {
    const id = calendarId.toLowerCase();
    let cal = this.calendars.get(id);
    if (!cal) {
      if (!this.kernel.directory.byEmail(id)) throw notFound();
      cal = { id, timeZone: 'UTC', generation: 0, acl: new Map(), events: new Map() };
      this.calendars.set(id, cal);
    }
    return cal;
  }

  private roleOf(user: string, cal: StoredCalendar): CalendarRole | undefined {
    if (user.toLowerCase() === cal.id) return 'owner';
    return cal.acl.get(user.toLowerCase());
  }

  /** A calendar the caller cannot see is "Not Found", not "Forbidden". */
  private readable(p: Principal, calendarId: string): StoredCalendar {
    const cal = this.calendar(calendarId === 'primary' ? p.user : calendarId);
    if (!this.roleOf(p.user, cal)) throw notFound();
    return cal;
  }

  private writable(p: Principal, calendarId: string): StoredCalendar {
    const cal = this.readable(p, calendarId);
    if (this.roleOf(p.user, cal) === 'reader') throw needsWriter();
    return cal;
  }

  /** Deletes an event: everywhere when the organiser does it, only their own copy when a guest does. */
  private remove(cal: StoredCalendar, stored: StoredEvent, sendUpdates: string | undefined): void {
    const byGuest = stored.organizerCalendar !== cal.id;
    stored.event.status = 'cancelled';
    if (byGuest) stored.removedByGuest = true;
    // assumption: a guest removing their copy sends no cancellation to anyone.
    this.touch(cal, stored, 'cancelled', sendUpdates, !byGuest);
    this.propagate(cal, stored);
  }

  /** A guest may change their own copy, but not the settings only the organiser sets. */
  private checkGuestEdit(cal: StoredCalendar, stored: StoredEvent, next: Event): void {
    if (stored.organizerCalendar === cal.id) return;
    for (const key of ORGANIZER_ONLY)
      if (next[key] !== undefined && next[key] !== stored.event[key])
        throw forbiddenForNonOrganizer();
  }

  /**
   * The organiser's event reaches each guest's calendar as a copy with the same id: same times,
   * guests and shared properties; private extended properties are the copy's own and are not
   * copied. A guest's changes (`organizerCalendar` elsewhere) stay on their copy.
   * doc: https://developers.google.com/workspace/calendar/api/concepts (an event "copied to Susan and Wei as attendees")
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events (extendedProperties.private:
   * "Properties that are private to the copy of the event that appears on this calendar"; .shared:
   * "Properties that are shared between copies of the event on other attendees' calendars")
   * assumption: a guest's copy carries the organiser's event id (Google's `id` is only "unique per
   * calendar", and attendees act on their copy by that id); Google does not say so in words.
   * assumption: a copy appears whatever `sendUpdates` says (it decides emails, not calendars), and a
   * guest taken off the list loses their copy.
   */
  private propagate(orgCal: StoredCalendar, stored: StoredEvent): void {
    if (stored.organizerCalendar !== orgCal.id) return;
    const event = stored.event;
    const id = event.id!;
    const guests = new Set(
      (event.attendees ?? [])
        .map((a) => a.email ?? '')
        .filter((e) => e !== '' && e !== orgCal.id && this.kernel.directory.byEmail(e)),
    );
    for (const cal of this.calendars.values()) {
      const copy = cal.events.get(id);
      if (!copy || cal.id === orgCal.id || copy.organizerCalendar !== orgCal.id) continue;
      if (guests.has(cal.id) || copy.event.status === 'cancelled') continue;
      copy.event.status = 'cancelled';
      this.touch(cal, copy, 'cancelled', undefined, false);
    }
    for (const guest of guests) {
      const cal = this.calendar(guest);
      const existing = cal.events.get(id);
      // assumption: an unrelated event already holding the id on that calendar is left alone.
      if (existing && existing.organizerCalendar !== orgCal.id) continue;
      const next = structuredClone(event);
      next.htmlLink = htmlLink(id, cal.id);
      const ownPrivate = existing?.event.extendedProperties?.private;
      next.extendedProperties = { ...next.extendedProperties };
      if (ownPrivate) next.extendedProperties.private = ownPrivate;
      else delete next.extendedProperties.private;
      if (Object.keys(next.extendedProperties).length === 0) delete next.extendedProperties;
      if (existing?.removedByGuest) next.status = 'cancelled';
      if (existing) existing.event = next;
      else this.serial += 1;
      const copy: StoredEvent = existing ?? {
        event: next,
        changeSeq: 0,
        serial: this.serial,
        organizerCalendar: orgCal.id,
      };
      cal.events.set(id, copy);
      this.touch(
        cal,
        copy,
        next.status === 'cancelled' ? 'cancelled' : 'updated',
        undefined,
        false,
      );
    }
  }

  private stored(cal: StoredCalendar, eventId: string): StoredEvent {
    const stored = cal.events.get(eventId);
    if (!stored) throw notFound();
    return stored;
  }

  /** Server-made ids are base32hex (digits and a-v), as Google's are. */
  private newEventId(): string {
    this.idSerial += 1;
    const n = BigInt(this.kernel.now()) * 65_536n + BigInt(this.idSerial);
    return n.toString(32).padStart(26, '0');
  }

  private replaceEditable(
    stored: StoredEvent,
    body: Event,
    calendarId: string,
    resource: Event,
    args: EventWriteArgs,
  ): void {
    const before = stored.event;
    const server: Event = {};
    for (const key of SERVER_FIELDS)
      if (before[key] !== undefined) (server as Record<string, unknown>)[key] = before[key];
    const next: Event = { ...body, ...server };
    next.status = body.status ?? 'confirmed';
    next.attendees = normaliseAttendees(body.attendees, calendarId);
    if (!next.attendees) delete next.attendees;
    // Rescheduling is a "significant" change: the iCalendar SEQUENCE goes up (RFC 5545 §3.8.7.4).
    if (
      instant(before.start) !== instant(next.start) ||
      instant(before.end) !== instant(next.end)
    ) {
      next.sequence = (before.sequence ?? 0) + 1;
    }
    this.applyConference(next, resource, args);
    stored.event = next;
  }

  /**
   * Conference data is only read when the client sends `conferenceDataVersion=1`; otherwise it is ignored.
   * doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/insert (conferenceDataVersion)
   */
  private applyConference(event: Event, resource: Event, args: EventWriteArgs): void {
    if ((args.conferenceDataVersion ?? 0) < 1 || resource.conferenceData === undefined) return;
    const data = structuredClone(resource.conferenceData);
    if (data.createRequest) {
      const code = meetCode(event.id!);
      data.conferenceId = code;
      data.conferenceSolution = { key: { type: 'hangoutsMeet' }, name: 'Google Meet' };
      data.entryPoints = [
        {
          entryPointType: 'video',
          uri: `https://meet.google.com/${code}`,
          label: `meet.google.com/${code}`,
        },
      ];
      data.createRequest = { ...data.createRequest, status: { statusCode: 'success' } };
      event.hangoutLink = `https://meet.google.com/${code}`;
    }
    event.conferenceData = data;
  }

  /** Records a change to one calendar's event (`notify`: false for a copy, whose guest the organiser's change already notified). */
  private touch(
    cal: StoredCalendar,
    stored: StoredEvent,
    change: CalendarNotification['change'],
    sendUpdates: string | undefined,
    notify = true,
  ): void {
    this.seq += 1;
    stored.changeSeq = this.seq;
    const now = this.kernel.now();
    stored.event.updated = iso(now);
    stored.event.etag = `"${now}${String(this.seq).padStart(6, '0')}"`;
    if (notify) this.recordNotification(cal, stored.event, change, sendUpdates ?? 'none');
    for (const listener of this.listeners) listener(cal.id);
  }

  /** doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/insert (sendUpdates: all, externalOnly, none) */
  private recordNotification(
    cal: StoredCalendar,
    event: Event,
    change: CalendarNotification['change'],
    sendUpdates: string,
  ): void {
    const guests = (event.attendees ?? []).map((a) => a.email!).filter((e) => e && e !== cal.id);
    const recipients =
      sendUpdates === 'all'
        ? guests
        : sendUpdates === 'externalOnly'
          ? guests.filter((e) => !this.kernel.directory.inDomain(e))
          : [];
    this.notifications.push({
      calendarId: cal.id,
      eventId: event.id!,
      change,
      sendUpdates,
      recipients,
      at: this.kernel.now(),
    });
  }

  private readSyncToken(token: string, cal: StoredCalendar): SyncTokenBody {
    const body = decodeToken<SyncTokenBody>(token);
    // A token we cannot read is treated like an expired one (no doc distinguishes the two).
    if (!body || body.c !== cal.id || body.g !== cal.generation || body.s > this.seq) {
      throw fullSyncRequired();
    }
    return body;
  }

  private registerRoutes(): void {
    const http = this.kernel.http;
    http.route(`GET ${BASE}`, 'calendar.events.list', (ctx) =>
      this.listEvents(ctx.principal, ctx.params.calendarId!, listArgsFromQuery(ctx.query)),
    );
    http.route(`POST ${BASE}`, 'calendar.events.insert', (ctx) =>
      this.insertEvent(
        ctx.principal,
        ctx.params.calendarId!,
        ctx.json<Event>(),
        writeArgsFromQuery(ctx),
      ),
    );
    http.route(`GET ${BASE}/{eventId}`, 'calendar.events.get', (ctx) =>
      this.getEvent(ctx.principal, ctx.params.calendarId!, ctx.params.eventId!),
    );
    http.route(`PATCH ${BASE}/{eventId}`, 'calendar.events.patch', (ctx) =>
      this.patchEvent(
        ctx.principal,
        ctx.params.calendarId!,
        ctx.params.eventId!,
        ctx.json<Event>(),
        writeArgsFromQuery(ctx),
      ),
    );
    http.route(`PUT ${BASE}/{eventId}`, 'calendar.events.update', (ctx) =>
      this.updateEvent(
        ctx.principal,
        ctx.params.calendarId!,
        ctx.params.eventId!,
        ctx.json<Event>(),
        writeArgsFromQuery(ctx),
      ),
    );
    // doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/delete ("If successful, this method returns an empty response body.")
    http.route(`DELETE ${BASE}/{eventId}`, 'calendar.events.delete', (ctx) => {
      this.deleteEvent(
        ctx.principal,
        ctx.params.calendarId!,
        ctx.params.eventId!,
        writeArgsFromQuery(ctx),
      );
      return new RawResponse({ code: 204, headers: {}, body: '' });
    });
  }
}

// ---- helpers ------------------------------------------------------------------------

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The owner acting in the Calendar web UI (not an API client; `via` only matters to delegation tests). */
function ownerPrincipal(user: string, now: number): Principal {
  return {
    user,
    scopes: ['https://www.googleapis.com/auth/calendar'],
    project: 'calendar-web-ui',
    expiresAt: now + 3_600_000,
    via: 'delegation',
  };
}

/** The client's fields, with read-only ones dropped (they are ignored, as Google ignores them). */
function clientFields(resource: Event): Event {
  const body = structuredClone(resource ?? {}) as Record<string, unknown>;
  for (const key of SERVER_FIELDS) delete body[key];
  return body as Event;
}

function editable(event: Event): Event {
  return clientFields(event);
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function instant(dt: EventDateTime | undefined): number {
  if (!dt) return Number.NaN;
  if (dt.dateTime) return Date.parse(dt.dateTime);
  if (dt.date) return Date.parse(`${dt.date}T00:00:00Z`);
  return Number.NaN;
}

/** doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/insert (start and end are required) */
function checkTimes(event: Event): void {
  if (!event.start || Number.isNaN(instant(event.start)))
    throw invalid('Missing start time.', 'start');
  if (!event.end || Number.isNaN(instant(event.end))) throw invalid('Missing end time.', 'end');
  if (instant(event.end) < instant(event.start)) throw timeRangeEmpty('end');
}

/** RFC3339 with a mandatory offset, as events.list requires of timeMin/timeMax. */
function parseBound(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw new CalendarApiError('INVALID_ARGUMENT', 'Bad Request', 'badRequest', 'global', name);
  }
  return Date.parse(value);
}

function parseConstraint(constraint: string, name: string): [string, string] {
  const at = constraint.indexOf('=');
  if (at <= 0) throw invalid(`Invalid value for ${name}: ${constraint}`, name);
  return [constraint.slice(0, at), constraint.slice(at + 1)];
}

/** `q`: free text in any field except extended properties (a simple substring match here). */
function matchesText(e: Event, q: string): boolean {
  const haystack = [
    e.summary,
    e.description,
    e.location,
    e.organizer?.email,
    ...(e.attendees ?? []).flatMap((a) => [a.email, a.displayName]),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => haystack.includes(term));
}

function normaliseAttendees(
  attendees: Event['attendees'],
  organizer: string,
): Event['attendees'] | undefined {
  if (!attendees) return undefined;
  return attendees.map((a) => {
    const email = a.email?.toLowerCase();
    const out = { ...a, email, responseStatus: a.responseStatus ?? 'needsAction' };
    if (email === organizer) out.organizer = true;
    return out;
  });
}

function present(stored: StoredEvent, calendarId: string): Event {
  const e = structuredClone(stored.event);
  if (e.organizer) e.organizer.self = e.organizer.email === calendarId || undefined;
  if (e.creator) e.creator.self = e.creator.email === calendarId || undefined;
  for (const a of e.attendees ?? []) if (a.email === calendarId) a.self = true;
  return JSON.parse(JSON.stringify(e)) as Event;
}

function presentDeleted(stored: StoredEvent): Event {
  const e = stored.event;
  return { kind: 'calendar#event', etag: e.etag, id: e.id, status: 'cancelled' };
}

function htmlLink(id: string, calendarId: string): string {
  return `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString('base64url')}`;
}

function meetCode(seed: string): string {
  const letters = [...seed].map((c) => String.fromCharCode(97 + (c.charCodeAt(0) % 26))).join('');
  const s = `${letters}abcdefghij`;
  return `${s.slice(0, 3)}-${s.slice(3, 7)}-${s.slice(7, 10)}`;
}

function encodeToken<T>(body: T): string {
  return `C${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
}

function decodeToken<T>(token: string): T | undefined {
  try {
    if (!token.startsWith('C')) return undefined;
    return JSON.parse(Buffer.from(token.slice(1), 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

function toArray(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function toBool(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true';
}

function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Number(value);
}

function listArgsFromObject(o: object | undefined): EventsListArgs {
  const a = (o ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return dropUndefined({
    timeMin: str(a.timeMin),
    timeMax: str(a.timeMax),
    updatedMin: str(a.updatedMin),
    singleEvents: toBool(a.singleEvents),
    orderBy: str(a.orderBy),
    q: str(a.q),
    iCalUID: str(a.iCalUID),
    privateExtendedProperty: toArray(a.privateExtendedProperty),
    sharedExtendedProperty: toArray(a.sharedExtendedProperty),
    showDeleted: toBool(a.showDeleted),
    maxResults: toNumber(a.maxResults),
    pageToken: str(a.pageToken),
    syncToken: str(a.syncToken),
  });
}

function listArgsFromQuery(q: URLSearchParams): EventsListArgs {
  const o: Record<string, unknown> = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    o[key] = all.length > 1 || key.endsWith('ExtendedProperty') ? all : all[0];
  }
  return listArgsFromObject(o);
}

function writeArgs(o: object | undefined): EventWriteArgs {
  const a = (o ?? {}) as Record<string, unknown>;
  return dropUndefined({
    sendUpdates: a.sendUpdates === undefined ? undefined : String(a.sendUpdates),
    conferenceDataVersion: toNumber(a.conferenceDataVersion),
  });
}

function writeArgsFromQuery(ctx: RouteContext): EventWriteArgs {
  return writeArgs(Object.fromEntries(ctx.query.entries()));
}

function dropUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
