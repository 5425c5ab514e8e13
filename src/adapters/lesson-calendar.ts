// The lesson's Calendar event (R1, R5): in the teacher's calendar, tagged with private
// extended properties, staff guests only, and no conference data, because a Meet link
// made through Calendar exists as soon as the event does. Changes are read with a
// stored sync token; a 410 means the token expired and a full sync starts again.
// doc: https://developers.google.com/calendar/api/guides/sync
// doc: https://developers.google.com/calendar/api/guides/extended-properties

import { isFailure } from '../core/errors';
import type {
  CalendarChange,
  CalendarChanges,
  CalendarEventInfo,
  EventReader,
  LessonCalendar,
  LessonEvent,
} from '../core/ports';
import type { Credentials } from './credentials';
import { guarded } from './google-failure';
import { query, type RestClient } from './rest-client';

type Event = GoogleAppsScript.Calendar.Schema.Event;
type Events = GoogleAppsScript.Calendar.Schema.Events;

export const LESSON_PROPERTY = 'sllLessonId';
const API = 'https://www.googleapis.com/calendar/v3/calendars/primary/events';

export class GoogleLessonCalendar implements LessonCalendar, EventReader {
  constructor(
    private readonly credentials: Credentials,
    private readonly advanced: GoogleAppsScript.Calendar | undefined,
    private readonly rest: RestClient,
    /** Where each teacher's sync token lives (their user properties when they run it). */
    private readonly syncTokens: {
      get(teacher: string): string | null;
      set(teacher: string, token: string | null): void;
    },
    private readonly timeZone: string,
  ) {}

  create(teacher: string, lesson: LessonEvent): string {
    const event: Event = {
      summary: lesson.title,
      description: lesson.description,
      start: { dateTime: new Date(lesson.start).toISOString(), timeZone: this.timeZone },
      end: { dateTime: new Date(lesson.end).toISOString(), timeZone: this.timeZone },
      attendees: lesson.staffGuests.map((email) => ({ email })),
      guestsCanInviteOthers: false,
      guestsCanSeeOtherGuests: true,
      extendedProperties: {
        private: { [LESSON_PROPERTY]: lesson.lessonId, sllCourseId: lesson.courseId },
      },
    };
    const created = this.insert(teacher, event);
    return String(created.id);
  }

  /**
   * Reads `owner`'s own primary calendar (the execution's user: a teacher's calendar trigger).
   * The sync token moves on only when the caller commits, so changes it could not apply are read
   * again next time. A 410 drops the token and reads everything again in the same call: a change
   * made while the token was dying is in that full read, so nothing is lost.
   * doc: https://developers.google.com/workspace/calendar/api/guides/sync ("Sometimes sync tokens are
   * invalidated by the server ... the server will respond to an incremental request with a response
   * code 410. This should trigger a full wipe of the client's store and a new full sync.")
   */
  changes(owner: string): CalendarChanges {
    let changes: CalendarChange[] = [];
    let syncToken = this.syncTokens.get(owner);
    let pageToken: string | undefined;
    let reached: string | null = null;
    let restarted = false;
    for (;;) {
      let page: Events;
      try {
        page = this.list(
          owner,
          // showDeleted on the full sync too: an event deleted before the first sync token
          // existed (or while it had expired) must still cancel its lesson.
          syncToken
            ? { syncToken, pageToken, showDeleted: true }
            : { pageToken, maxResults: 2500, showDeleted: true },
        );
      } catch (error) {
        if (syncToken && isFailure(error, 'gone')) {
          // 410: the token expired, perhaps between two pages. Start again with a full sync;
          // what the earlier pages held is in it too.
          this.syncTokens.set(owner, null);
          syncToken = null;
          pageToken = undefined;
          changes = [];
          restarted = true;
          continue;
        }
        throw error;
      }
      // A full sync lists every event: those of known lessons that did not change are
      // ignored by the caller, so nothing is lost before the first sync token exists.
      for (const e of page.items ?? []) changes.push(toChange(e));
      pageToken = page.nextPageToken;
      if (!pageToken) {
        reached = page.nextSyncToken ?? null;
        break;
      }
    }
    return {
      changes,
      restarted,
      commit: () => {
        if (reached) this.syncTokens.set(owner, reached);
      },
    };
  }

  /** The open event of the Calendar sidebar, as its viewer sees it; all-day events are no lesson. */
  read(user: string, calendarId: string, eventId: string): CalendarEventInfo | null {
    let event: Event;
    try {
      if (this.credentials.isSelf(user) && this.advanced) {
        const advanced = this.advanced;
        event = guarded('calendar', () => advanced.Events!.get(calendarId, eventId));
      } else {
        event = this.rest.json<Event>({
          method: 'get',
          url: `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(eventId)}`,
          token: this.credentials.token(user),
        });
      }
    } catch (error) {
      if (isFailure(error, 'gone') || isFailure(error, 'forbidden')) return null;
      throw error;
    }
    const start = event.start?.dateTime ? Date.parse(event.start.dateTime) : Number.NaN;
    const end = event.end?.dateTime ? Date.parse(event.end.dateTime) : Number.NaN;
    if (event.status === 'cancelled' || !Number.isFinite(start) || !Number.isFinite(end))
      return null;
    return { title: String(event.summary ?? ''), start, end };
  }

  private insert(teacher: string, event: Event): Event {
    if (this.credentials.isSelf(teacher) && this.advanced) {
      const advanced = this.advanced;
      return guarded('calendar', () =>
        advanced.Events!.insert(event, 'primary', { sendUpdates: 'all' }),
      );
    }
    return this.rest.json<Event>({
      method: 'post',
      url: `${API}${query({ sendUpdates: 'all' })}`,
      token: this.credentials.token(teacher),
      body: event,
    });
  }

  private list(
    teacher: string,
    params: Record<string, string | number | boolean | undefined>,
  ): Events {
    if (this.credentials.isSelf(teacher) && this.advanced) {
      const advanced = this.advanced;
      const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
      return guarded('calendar', () => advanced.Events!.list('primary', clean));
    }
    return this.rest.json<Events>({
      method: 'get',
      url: `${API}${query(params)}`,
      token: this.credentials.token(teacher),
    });
  }
}

/** A listed event in the product's words; a deleted one has only its id and status. */
function toChange(e: Event): CalendarChange {
  return {
    lessonId: e.extendedProperties?.private?.[LESSON_PROPERTY] ?? '',
    eventId: String(e.id),
    cancelled: e.status === 'cancelled',
    start: e.start?.dateTime ? Date.parse(e.start.dateTime) : Number.NaN,
    end: e.end?.dateTime ? Date.parse(e.end.dateTime) : Number.NaN,
    // attendees[].organizer: "Whether the attendee is the organizer of the event."
    guests: (e.attendees ?? [])
      .filter((a) => !a.organizer && a.email)
      .map((a) => String(a.email).toLowerCase()),
  };
}
