// Proves the simulated Calendar API keeps Google's documented contracts: extended-property
// queries, incremental sync (changes only, deletions included, 410 on a dead token), access,
// scopes, and the two edges the product uses (advanced service and REST).

import { MINUTE } from './kernel/clock';
import type { SimHttpResponse } from './kernel/http';
import { SimKernel } from './kernel/kernel';
import { TOKEN_LIFETIME_MS } from './kernel/tokens';
import { SimCalendar } from './services/calendar';

const TEACHER = 'teacher@school.test';
const OTHER = 'other@school.test';
const SCOPE = (s: string) => `https://www.googleapis.com/auth/${s}`;
const BASE = 'https://www.googleapis.com/calendar/v3/calendars';

function setup(scopes = [SCOPE('calendar.events')]) {
  const kernel = new SimKernel({
    start: Date.parse('2025-03-03T08:00:00Z'),
    domain: 'school.test',
  });
  kernel.directory.add({ email: TEACHER, name: 'Tess Teacher', kind: 'staff' });
  kernel.directory.add({ email: OTHER, name: 'Otto Other', kind: 'staff' });
  kernel.directory.add({ email: 'pupil@school.test', name: 'Pip Pupil', kind: 'pupil' });
  kernel.manifestScopes = scopes;
  const calendar = new SimCalendar(kernel);
  const Calendar = calendar.advancedService();
  /** Runs `fn` as one trigger execution of `user`; rethrows what Apps Script would have thrown. */
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  const failure = (user: string, fn: () => unknown) => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 't' }, fn);
    expect(result.ok).toBe(false);
    return result.error as Error & { details: Record<string, unknown> };
  };
  const rest = (
    user: string,
    method: string,
    url: string,
    body?: unknown,
    tokenScopes = scopes,
  ): SimHttpResponse => {
    const token = kernel.tokens.issue({
      user,
      scopes: tokenScopes,
      project: '900000000009',
      expiresAt: kernel.now() + TOKEN_LIFETIME_MS,
      via: 'delegation',
    });
    const request = {
      method,
      url,
      headers: { Authorization: `Bearer ${token}` },
      body: body === undefined ? '' : JSON.stringify(body),
      contentType: 'application/json',
    };
    const matched = kernel.http.match(request);
    if (!matched) throw new Error(`no route for ${method} ${url}`);
    return kernel.http.handle(
      matched,
      request,
      kernel.tokens.resolve(request.headers.Authorization, kernel.now()),
    );
  };
  return { kernel, calendar, Calendar, as, failure, rest };
}

function lesson(
  lessonId: string,
  startIso: string,
  extra: GoogleAppsScript.Calendar.Schema.Event = {},
) {
  const start = Date.parse(startIso);
  return {
    summary: `Lesson ${lessonId}`,
    start: { dateTime: new Date(start).toISOString(), timeZone: 'Europe/London' },
    end: { dateTime: new Date(start + 50 * MINUTE).toISOString(), timeZone: 'Europe/London' },
    extendedProperties: { private: { app: 'sll', lessonId } },
    ...extra,
  };
}

describe('events.insert / events.list', () => {
  test('privateExtendedProperty filters on private properties, every constraint must match', () => {
    const { Calendar, as } = setup();
    as(TEACHER, () => {
      Calendar.Events.insert(lesson('L1', '2025-03-04T09:00:00Z'), 'primary');
      Calendar.Events.insert(lesson('L2', '2025-03-04T10:00:00Z'), 'primary');
      Calendar.Events.insert(
        {
          ...lesson('L3', '2025-03-04T11:00:00Z'),
          extendedProperties: { shared: { app: 'sll', lessonId: 'L3' } },
        },
        'primary',
      );
    });
    const bothMatch = as(TEACHER, () =>
      Calendar.Events.list('primary', { privateExtendedProperty: ['app=sll', 'lessonId=L2'] }),
    );
    expect(bothMatch.items!.map((e) => e.summary)).toEqual(['Lesson L2']);
    const app = as(TEACHER, () =>
      Calendar.Events.list('primary', { privateExtendedProperty: 'app=sll' }),
    );
    expect(app.items!.map((e) => e.summary)).toEqual(['Lesson L1', 'Lesson L2']);
    const shared = as(TEACHER, () =>
      Calendar.Events.list('primary', { sharedExtendedProperty: 'lessonId=L3' }),
    );
    expect(shared.items!.map((e) => e.summary)).toEqual(['Lesson L3']);
  });

  test('an inserted event carries the server fields Google fills in', () => {
    const { Calendar, as, kernel } = setup();
    const event = as(TEACHER, () =>
      Calendar.Events.insert(lesson('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    expect(event).toMatchObject({
      kind: 'calendar#event',
      status: 'confirmed',
      organizer: { email: TEACHER, self: true },
      creator: { email: TEACHER, self: true },
      sequence: 0,
      iCalUID: `${event.id}@google.com`,
    });
    expect(event.id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(Date.parse(event.created!)).toBeLessThanOrEqual(kernel.now());
    expect(event.htmlLink).toMatch(/^https:\/\/www\.google\.com\/calendar\/event\?eid=/);
    expect(kernel.calls.count('calendar.events.insert')).toBe(1);
  });

  test('a client-chosen id makes a retried insert fail with 409 duplicate instead of doubling the event', () => {
    const { Calendar, as, failure, calendar } = setup();
    as(TEACHER, () =>
      Calendar.Events.insert(
        { ...lesson('L1', '2025-03-04T09:00:00Z'), id: 'sll0lesson0001' },
        'primary',
      ),
    );
    const error = failure(TEACHER, () =>
      Calendar.Events.insert(
        { ...lesson('L1', '2025-03-04T09:00:00Z'), id: 'sll0lesson0001' },
        'primary',
      ),
    );
    expect(error.details).toMatchObject({ code: 409, errors: [{ reason: 'duplicate' }] });
    expect(calendar.events(TEACHER)).toHaveLength(1);
    const bad = failure(TEACHER, () =>
      Calendar.Events.insert(
        { ...lesson('L2', '2025-03-04T09:00:00Z'), id: 'Not_Base32' },
        'primary',
      ),
    );
    expect(bad.details).toMatchObject({ code: 400 });
  });

  test('conferenceData is ignored unless conferenceDataVersion=1', () => {
    const { Calendar, as } = setup();
    const request = {
      createRequest: { requestId: 'r1', conferenceSolutionKey: { type: 'hangoutsMeet' } },
    };
    const plain = as(TEACHER, () =>
      Calendar.Events.insert(
        { ...lesson('L1', '2025-03-04T09:00:00Z'), conferenceData: request },
        'primary',
      ),
    );
    expect(plain.conferenceData).toBeUndefined();
    expect(plain.hangoutLink).toBeUndefined();
    const meet = as(TEACHER, () =>
      Calendar.Events.insert(
        { ...lesson('L2', '2025-03-04T10:00:00Z'), conferenceData: request },
        'primary',
        {
          conferenceDataVersion: 1,
        },
      ),
    );
    expect(meet.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(meet.conferenceData?.createRequest?.status?.statusCode).toBe('success');
  });

  test('timeMin bounds the end, timeMax the start; orderBy=startTime needs singleEvents', () => {
    const { Calendar, as, failure } = setup();
    as(TEACHER, () => {
      Calendar.Events.insert(lesson('late', '2025-03-04T11:00:00Z'), 'primary');
      Calendar.Events.insert(lesson('early', '2025-03-04T08:00:00Z'), 'primary');
      Calendar.Events.insert(lesson('next-day', '2025-03-05T09:00:00Z'), 'primary');
    });
    const window = as(TEACHER, () =>
      Calendar.Events.list('primary', {
        // 08:50 is exactly the end of "early": the lower bound is exclusive.
        timeMin: '2025-03-04T08:50:00Z',
        timeMax: '2025-03-05T00:00:00+00:00',
        singleEvents: true,
        orderBy: 'startTime',
      }),
    );
    expect(window.items!.map((e) => e.summary)).toEqual(['Lesson late']);
    const error = failure(TEACHER, () => Calendar.Events.list('primary', { orderBy: 'startTime' }));
    expect(error.details).toMatchObject({ code: 400 });
    const empty = failure(TEACHER, () =>
      Calendar.Events.list('primary', {
        timeMin: '2025-03-05T00:00:00Z',
        timeMax: '2025-03-04T00:00:00Z',
      }),
    );
    expect(empty.details).toMatchObject({
      code: 400,
      errors: [{ reason: 'timeRangeEmpty', location: 'timeMax' }],
    });
  });

  test('pages: maxResults caps a page, nextSyncToken comes only with the last page', () => {
    const { Calendar, as } = setup();
    as(TEACHER, () => {
      for (let i = 0; i < 5; i++)
        Calendar.Events.insert(lesson(`L${i}`, `2025-03-0${4 + i}T09:00:00Z`), 'primary');
    });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    let syncToken: string | undefined;
    do {
      const page = as(TEACHER, () =>
        Calendar.Events.list('primary', { maxResults: 2, ...(pageToken ? { pageToken } : {}) }),
      );
      pages += 1;
      seen.push(...page.items!.map((e) => e.summary!));
      if (page.nextPageToken) expect(page.nextSyncToken).toBeUndefined();
      pageToken = page.nextPageToken;
      syncToken = page.nextSyncToken;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Lesson L0', 'Lesson L1', 'Lesson L2', 'Lesson L3', 'Lesson L4']);
    expect(syncToken).toBeDefined();
  });
});

describe('incremental sync', () => {
  test('a sync token returns only what changed since, deletions included as cancelled', () => {
    const { Calendar, as, calendar } = setup();
    const [a, b] = as(TEACHER, () => [
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
      Calendar.Events.insert(lesson('B', '2025-03-04T10:00:00Z'), 'primary'),
      Calendar.Events.insert(lesson('C', '2025-03-04T11:00:00Z'), 'primary'),
    ]);
    const full = as(TEACHER, () => Calendar.Events.list('primary', { singleEvents: true }));
    expect(full.items).toHaveLength(3);
    const token = full.nextSyncToken!;

    as(TEACHER, () => {
      Calendar.Events.patch({ summary: 'Lesson A (moved room)' }, 'primary', a!.id!);
      Calendar.Events.remove('primary', b!.id!);
      Calendar.Events.insert(lesson('D', '2025-03-04T12:00:00Z'), 'primary');
    });
    const delta = as(TEACHER, () =>
      Calendar.Events.list('primary', { syncToken: token, singleEvents: true }),
    );
    const byId = new Map(delta.items!.map((e) => [e.id, e]));
    expect(delta.items).toHaveLength(3);
    expect(byId.get(a!.id!)?.summary).toBe('Lesson A (moved room)');
    // A deleted event is only guaranteed to have its id (and status).
    expect(byId.get(b!.id!)).toEqual(expect.objectContaining({ id: b!.id, status: 'cancelled' }));
    expect(byId.get(b!.id!)?.extendedProperties).toBeUndefined();
    expect([...byId.values()].some((e) => e.summary === 'Lesson C')).toBe(false);

    // Nothing new since the incremental sync: the next one is empty.
    const again = as(TEACHER, () =>
      Calendar.Events.list('primary', { syncToken: delta.nextSyncToken! }),
    );
    expect(again.items).toEqual([]);
    // A change made by the owner in the Calendar UI shows up too.
    calendar.moveEvent(TEACHER, a!.id!, '2025-03-04T13:00:00Z', '2025-03-04T13:50:00Z');
    const moved = as(TEACHER, () =>
      Calendar.Events.list('primary', { syncToken: again.nextSyncToken! }),
    );
    expect(moved.items!.map((e) => [e.id, e.start?.dateTime, e.sequence])).toEqual([
      [a!.id, '2025-03-04T13:00:00Z', 1],
    ]);
  });

  test('list without syncToken hides cancelled events unless showDeleted', () => {
    const { Calendar, as } = setup();
    const a = as(TEACHER, () =>
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
    );
    as(TEACHER, () => Calendar.Events.remove('primary', a.id!));
    expect(as(TEACHER, () => Calendar.Events.list('primary')).items).toEqual([]);
    const withDeleted = as(TEACHER, () => Calendar.Events.list('primary', { showDeleted: true }));
    expect(withDeleted.items!.map((e) => e.status)).toEqual(['cancelled']);
    // events.get always returns a cancelled event.
    expect(as(TEACHER, () => Calendar.Events.get('primary', a.id!)).status).toBe('cancelled');
  });

  test('syncToken cannot be combined with timeMin, privateExtendedProperty, q or orderBy', () => {
    const { Calendar, as, failure } = setup();
    const token = as(TEACHER, () => Calendar.Events.list('primary')).nextSyncToken!;
    for (const extra of [
      { timeMin: '2025-03-01T00:00:00Z' },
      { privateExtendedProperty: 'app=sll' },
      { q: 'Lesson' },
      { orderBy: 'updated' },
    ]) {
      const error = failure(TEACHER, () =>
        Calendar.Events.list('primary', { syncToken: token, ...extra }),
      );
      expect(error.details).toMatchObject({ code: 400 });
    }
  });

  test('an invalidated token: the advanced service throws GoogleJsonResponseException with code 410', () => {
    const { Calendar, as, failure, calendar } = setup();
    const token = as(TEACHER, () => Calendar.Events.list('primary')).nextSyncToken!;
    calendar.invalidateSyncTokens(TEACHER);
    const error = failure(TEACHER, () => Calendar.Events.list('primary', { syncToken: token }));
    expect(error.name).toBe('GoogleJsonResponseException');
    expect(error.message).toBe(
      'API call to calendar.events.list failed with error: Sync token is no longer valid, a full sync is required.',
    );
    expect(error.details).toMatchObject({
      code: 410,
      errors: [{ domain: 'calendar', reason: 'fullSyncRequired', location: 'syncToken' }],
    });
    // The documented recovery: a full sync without a token works and yields a fresh token that works.
    const fresh = as(TEACHER, () => Calendar.Events.list('primary')).nextSyncToken!;
    expect(as(TEACHER, () => Calendar.Events.list('primary', { syncToken: fresh })).items).toEqual(
      [],
    );
  });

  test('an invalidated token over REST is HTTP 410 with Calendar’s JSON error body', () => {
    const { rest, calendar } = setup();
    const first = rest(TEACHER, 'GET', `${BASE}/primary/events`);
    expect(first.code).toBe(200);
    const token = JSON.parse(first.body).nextSyncToken as string;
    calendar.invalidateSyncTokens(TEACHER);
    const gone = rest(
      TEACHER,
      'GET',
      `${BASE}/primary/events?syncToken=${encodeURIComponent(token)}`,
    );
    expect(gone.code).toBe(410);
    expect(JSON.parse(gone.body)).toEqual({
      error: {
        errors: [
          {
            domain: 'calendar',
            reason: 'fullSyncRequired',
            message: 'Sync token is no longer valid, a full sync is required.',
            locationType: 'parameter',
            location: 'syncToken',
          },
        ],
        code: 410,
        message: 'Sync token is no longer valid, a full sync is required.',
      },
    });
  });
});

describe('delete, access and scopes', () => {
  test('deleting an already deleted event is 410 "Resource has been deleted"', () => {
    const { Calendar, as, failure } = setup();
    const a = as(TEACHER, () =>
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
    );
    as(TEACHER, () => Calendar.Events.remove('primary', a.id!));
    const error = failure(TEACHER, () => Calendar.Events.remove('primary', a.id!));
    expect(error.details).toMatchObject({
      code: 410,
      message: 'Resource has been deleted',
      errors: [{ reason: 'deleted' }],
    });
  });

  test('REST insert, patch and delete (204, empty body) act on the same events', () => {
    const { rest, calendar } = setup();
    const created = rest(
      TEACHER,
      'POST',
      `${BASE}/${encodeURIComponent(TEACHER)}/events?sendUpdates=all`,
      {
        ...lesson('A', '2025-03-04T09:00:00Z'),
        attendees: [{ email: 'pupil@school.test' }, { email: 'parent@elsewhere.test' }],
      },
    );
    expect(created.code).toBe(200);
    const id = JSON.parse(created.body).id as string;
    expect(calendar.notifications.at(-1)?.recipients).toEqual([
      'pupil@school.test',
      'parent@elsewhere.test',
    ]);
    const patched = rest(
      TEACHER,
      'PATCH',
      `${BASE}/primary/events/${id}?sendUpdates=externalOnly`,
      {
        extendedProperties: { private: { state: 'live' } },
      },
    );
    // Patch merges objects: the other private properties survive.
    expect(JSON.parse(patched.body).extendedProperties.private).toEqual({
      app: 'sll',
      lessonId: 'A',
      state: 'live',
    });
    expect(calendar.notifications.at(-1)?.recipients).toEqual(['parent@elsewhere.test']);
    const deleted = rest(TEACHER, 'DELETE', `${BASE}/primary/events/${id}`);
    expect(deleted).toMatchObject({ code: 204, body: '' });
    expect(calendar.events(TEACHER)[0]?.status).toBe('cancelled');
  });

  test('another user’s calendar is 404 Not Found; a reader may list but not write', () => {
    const { Calendar, as, failure, calendar, rest } = setup();
    const a = as(TEACHER, () =>
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
    );
    const hidden = failure(OTHER, () => Calendar.Events.get(TEACHER, a.id!));
    expect(hidden.details).toMatchObject({
      code: 404,
      message: 'Not Found',
      errors: [{ reason: 'notFound' }],
    });
    expect(rest(OTHER, 'GET', `${BASE}/${encodeURIComponent(TEACHER)}/events`).code).toBe(404);
    calendar.share(TEACHER, OTHER, 'reader');
    expect(as(OTHER, () => Calendar.Events.list(TEACHER)).items).toHaveLength(1);
    const write = failure(OTHER, () => Calendar.Events.patch({ summary: 'x' }, TEACHER, a.id!));
    expect(write.details).toMatchObject({ code: 403, errors: [{ reason: 'requiredAccessLevel' }] });
  });

  test('scopes: a read-only token can list but not insert', () => {
    const { Calendar, as, failure } = setup([SCOPE('calendar.events.readonly')]);
    expect(as(TEACHER, () => Calendar.Events.list('primary')).items).toEqual([]);
    const error = failure(TEACHER, () =>
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
    );
    expect(error.details).toMatchObject({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
    });
    const none = setup([SCOPE('drive.file')]);
    expect(none.failure(TEACHER, () => none.Calendar.Events.list('primary')).details).toMatchObject(
      { code: 403 },
    );
  });

  test('change listeners hear API writes and the owner’s own edits in the Calendar UI', () => {
    const { Calendar, as, calendar } = setup();
    const heard: string[] = [];
    calendar.onEventsChanged((id) => heard.push(id));
    const a = as(TEACHER, () =>
      Calendar.Events.insert(lesson('A', '2025-03-04T09:00:00Z'), 'primary'),
    );
    as(TEACHER, () =>
      Calendar.Events.update(
        { ...lesson('A', '2025-03-04T10:00:00Z'), summary: 'A2' },
        'primary',
        a.id!,
      ),
    );
    calendar.moveEvent(
      TEACHER,
      a.id!,
      new Date('2025-03-04T11:00:00Z'),
      new Date('2025-03-04T11:50:00Z'),
    );
    calendar.cancelEvent(TEACHER, a.id!);
    expect(heard).toEqual([TEACHER, TEACHER, TEACHER, TEACHER]);
    const [event] = calendar.events(TEACHER);
    expect(event).toMatchObject({ status: 'cancelled', summary: 'A2', sequence: 2 });
  });
});

describe('guests’ copies of an event', () => {
  const withGuest = (id: string, startIso: string) =>
    lesson(id, startIso, {
      attendees: [{ email: OTHER }],
      extendedProperties: { private: { lessonId: id }, shared: { app: 'sll' } },
    });

  test('a guest gets a copy with the same id and the shared, not the private, properties', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    const [copy] = calendar.events(OTHER);
    expect(copy).toMatchObject({
      id: made.id,
      iCalUID: made.iCalUID,
      status: 'confirmed',
      start: made.start,
      organizer: { email: TEACHER },
      extendedProperties: { shared: { app: 'sll' } },
    });
    expect(copy!.organizer!.self).toBeUndefined();
    expect(copy!.extendedProperties!.private).toBeUndefined();
    expect(copy!.attendees!.find((a) => a.email === OTHER)!.self).toBe(true);
    // The guest finds it in their own calendar, not by the organiser's private tag.
    const tagged = as(OTHER, () =>
      Calendar.Events.list('primary', { privateExtendedProperty: 'lessonId=L1' }),
    );
    expect(tagged.items).toEqual([]);
  });

  test('the organiser moving or deleting the event changes every copy', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    const first = as(OTHER, () => Calendar.Events.list('primary'));
    calendar.moveEvent(
      TEACHER,
      made.id!,
      new Date('2025-03-04T11:00:00Z'),
      new Date('2025-03-04T11:50:00Z'),
    );
    const moved = as(OTHER, () =>
      Calendar.Events.list('primary', { syncToken: first.nextSyncToken! }),
    );
    expect(moved.items!.map((e) => [e.id, e.start!.dateTime])).toEqual([
      [made.id, '2025-03-04T11:00:00.000Z'],
    ]);
    calendar.cancelEvent(TEACHER, made.id!);
    const gone = as(OTHER, () =>
      Calendar.Events.list('primary', { syncToken: moved.nextSyncToken! }),
    );
    expect(gone.items).toEqual([expect.objectContaining({ id: made.id, status: 'cancelled' })]);
  });

  test('a guest deleting their copy cancels it on their calendar only', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    const teacherStart = as(TEACHER, () => Calendar.Events.list('primary'));
    const guestStart = as(OTHER, () => Calendar.Events.list('primary'));
    const notificationsBefore = calendar.notifications.length;

    as(OTHER, () => Calendar.Events.remove('primary', made.id!));

    // The guest's incremental sync reports their copy as cancelled ...
    const guestSync = as(OTHER, () =>
      Calendar.Events.list('primary', { syncToken: guestStart.nextSyncToken! }),
    );
    expect(guestSync.items).toEqual([
      expect.objectContaining({ id: made.id, status: 'cancelled' }),
    ]);
    // ... while the organiser's event is untouched and nobody was emailed.
    const teacherSync = as(TEACHER, () =>
      Calendar.Events.list('primary', { syncToken: teacherStart.nextSyncToken! }),
    );
    expect(teacherSync.items).toEqual([]);
    expect(calendar.events(TEACHER)[0]!.status).toBe('confirmed');
    expect(calendar.notifications.length).toBe(notificationsBefore);
    // The organiser's later change does not bring the removed copy back.
    calendar.moveEvent(
      TEACHER,
      made.id!,
      new Date('2025-03-04T10:00:00Z'),
      new Date('2025-03-04T10:50:00Z'),
    );
    expect(calendar.events(OTHER)[0]).toMatchObject({
      status: 'cancelled',
      start: { dateTime: '2025-03-04T10:00:00.000Z' },
    });
  });

  test('a guest moving their copy moves it for them alone; shared settings stay the organiser’s', () => {
    const { Calendar, as, calendar, failure } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    as(OTHER, () =>
      Calendar.Events.patch(
        { start: { dateTime: '2025-03-05T09:00:00Z' }, end: { dateTime: '2025-03-05T09:50:00Z' } },
        'primary',
        made.id!,
      ),
    );
    expect(calendar.events(OTHER)[0]!.start!.dateTime).toBe('2025-03-05T09:00:00Z');
    expect(calendar.events(TEACHER)[0]!.start!.dateTime).toBe('2025-03-04T09:00:00.000Z');
    const refused = failure(OTHER, () =>
      Calendar.Events.patch({ guestsCanModify: true }, 'primary', made.id!),
    );
    expect(refused.details).toMatchObject({ code: 403 });
    expect(refused.message).toContain('Shared properties can only be changed by the organizer');
  });

  test('a guest declining shows on the organiser’s event, which stays confirmed', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    calendar.respond(OTHER, made.id!, 'declined');
    const [organiser] = calendar.events(TEACHER);
    expect(organiser!.status).toBe('confirmed');
    expect(organiser!.attendees!.find((a) => a.email === OTHER)!.responseStatus).toBe('declined');
    expect(calendar.events(OTHER)[0]!.status).toBe('confirmed');
  });

  test('a deleted event restored from the bin is confirmed again, for the guests too', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(withGuest('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    const start = as(TEACHER, () => Calendar.Events.list('primary'));
    calendar.cancelEvent(TEACHER, made.id!);
    calendar.restoreEvent(TEACHER, made.id!);
    const sync = as(TEACHER, () =>
      Calendar.Events.list('primary', { syncToken: start.nextSyncToken! }),
    );
    expect(sync.items).toEqual([
      expect.objectContaining({
        id: made.id,
        status: 'confirmed',
        extendedProperties: expect.objectContaining({ private: { lessonId: 'L1' } }),
      }),
    ]);
    expect(calendar.events(OTHER)[0]!.status).toBe('confirmed');
  });

  test('another calendar may hold an event with the same id: ids are unique per calendar only', () => {
    const { Calendar, as, calendar } = setup();
    const made = as(TEACHER, () =>
      Calendar.Events.insert(lesson('L1', '2025-03-04T09:00:00Z'), 'primary'),
    );
    as(OTHER, () =>
      Calendar.Events.insert({ ...lesson('L1', '2025-03-06T09:00:00Z'), id: made.id }, 'primary'),
    );
    calendar.cancelEvent(OTHER, made.id!);
    expect(calendar.events(TEACHER)[0]!.status).toBe('confirmed');
  });
});
