// The room link on the lesson's own Calendar event (R5, R7): the teacher and the second adult
// find it there (and on the lesson card) instead of in an email per lesson. Pupils are never
// guests of the event, so the link still reaches them only through Classroom. Written as the
// teacher (the event is in their calendar), for many lessons in one parallel round.
// doc: https://developers.google.com/workspace/calendar/api/v3/reference/events/patch

import type { LessonEvents } from '../core/ports';
import type { Credentials } from './credentials';
import { RestClient } from './rest-client';

const API = 'https://www.googleapis.com/calendar/v3/calendars/primary/events';

export class EventRoomLinks implements LessonEvents {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
  ) {}

  showRoom(
    items: readonly { teacher: string; eventId: string; link: string; note: string }[],
  ): (Error | null)[] {
    this.credentials.warm(items.map((i) => i.teacher));
    // Patch replaces the fields it names and leaves the rest (guests, private properties) as
    // they are; sendUpdates=none: the second adult sees the link on the event without an email.
    const answers = this.rest.jsonAll(
      RestClient.build(items, (i) => ({
        method: 'patch',
        url: `${API}/${encodeURIComponent(i.eventId)}?sendUpdates=none`,
        token: this.credentials.token(i.teacher),
        body: { location: i.link, description: i.note },
      })),
    );
    return answers.map((a) => (a instanceof Error ? a : null));
  }
}
