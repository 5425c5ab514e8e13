// The Meet REST API v2 endpoints on https://meet.googleapis.com/v2/, registered on the
// kernel's router so UrlFetchApp reaches them. Scopes per method follow the reference
// pages (https://developers.google.com/workspace/meet/api/reference/rest/v2).

import { GoogleApiError } from '../kernel/google-error';
import type { RouteContext } from '../kernel/http';
import type { SimKernel } from '../kernel/kernel';
import { requireScope } from '../kernel/tokens';
import type { SimMeet } from './meet';
import { applyPatch } from './meet-config';
import { applyFilter, type FieldReaders } from './meet-filter';
import {
  type ConferenceState,
  conferenceJson,
  earliestStart,
  latestEnd,
  type ParticipantState,
  participantJson,
  type RecordingState,
  recordingJson,
  type SessionState,
  type SpaceState,
  sessionJson,
  spaceJson,
} from './meet-model';

const BASE = 'https://meet.googleapis.com/v2';
const CREATED = 'meetings.space.created';
const READONLY = 'meetings.space.readonly';
const SETTINGS = 'meetings.space.settings';

// Google's generic wordings for these statuses (the Meet pages do not give their own).
const notFound = () => new GoogleApiError('NOT_FOUND', 'Requested entity was not found.');
const denied = () => new GoogleApiError('PERMISSION_DENIED', 'The caller does not have permission');

/**
 * One page of a list. pageSize: unset or 0 → the method's default; above the maximum →
 * "coerced" to it (doc: each list method's pageSize). The page token is opaque.
 */
function page<T>(
  items: T[],
  query: URLSearchParams,
  defaultSize: number,
  maxSize: number,
): { items: T[]; nextPageToken?: string } {
  const rawSize = query.get('pageSize');
  const size = rawSize === null ? 0 : Number(rawSize);
  if (!Number.isInteger(size) || size < 0) {
    throw new GoogleApiError('INVALID_ARGUMENT', 'page_size must be a non-negative integer.');
  }
  const pageSize = size === 0 ? defaultSize : Math.min(size, maxSize);
  const token = query.get('pageToken');
  let offset = 0;
  if (token) {
    const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw new GoogleApiError('INVALID_ARGUMENT', 'Invalid page token.');
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return next < items.length
    ? { items: slice, nextPageToken: Buffer.from(`o:${next}`, 'utf8').toString('base64url') }
    : { items: slice };
}

/** List responses omit an empty list (proto3 JSON), and nextPageToken when there is no more. */
function listBody(field: string, result: { items: unknown[]; nextPageToken?: string }) {
  const body: Record<string, unknown> = {};
  if (result.items.length > 0) body[field] = result.items;
  if (result.nextPageToken) body.nextPageToken = result.nextPageToken;
  return body;
}

export function registerMeetRoutes(kernel: SimKernel, meet: SimMeet): void {
  const http = kernel.http;

  const spaceFor = (ctx: RouteContext, allowCode: boolean): SpaceState => {
    const space = meet.findSpace(ctx.params.space!, allowCode);
    if (!space) throw notFound();
    return space;
  };

  /** The conference record named in the path, if the caller may see it. */
  const conferenceFor = (ctx: RouteContext): ConferenceState => {
    const conference = meet.liveConferences().find((c) => c.id === ctx.params.record);
    if (!conference) throw notFound();
    if (!meet.canSeeConference(ctx.principal, conference)) throw denied();
    return conference;
  };

  const participantFor = (ctx: RouteContext, conference: ConferenceState): ParticipantState => {
    const participant = conference.participants.find((p) => p.id === ctx.params.participant);
    if (!participant) throw notFound();
    return participant;
  };

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/create
  http.route(`POST ${BASE}/spaces`, 'meet.spaces.create', (ctx) => {
    requireScope(ctx.principal, [CREATED]);
    const body = ctx.json<{ config?: unknown }>();
    const space = meet.createSpace(ctx.principal, body.config);
    return spaceJson(space, { config: true, activeConference: true });
  });

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/get
  // doc: https://developers.google.com/workspace/meet/api/guides/meeting-spaces-overview — anyone may
  // get a space; only owners see its settings; owners and participants see the active conference.
  http.route(`GET ${BASE}/spaces/{space}`, 'meet.spaces.get', (ctx) => {
    requireScope(ctx.principal, [CREATED, READONLY, SETTINGS]);
    const space = spaceFor(ctx, true);
    if (!meet.reaches(ctx.principal, space, [READONLY, SETTINGS])) throw denied();
    const user = ctx.principal.user.toLowerCase();
    const owner = space.owner === user;
    return spaceJson(space, {
      config: owner,
      activeConference: owner || meet.isInCall(space, user),
    });
  });

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/patch (owners only)
  http.route(`PATCH ${BASE}/spaces/{space}`, 'meet.spaces.patch', (ctx) => {
    requireScope(ctx.principal, [CREATED, SETTINGS]);
    const space = spaceFor(ctx, false);
    if (!meet.reaches(ctx.principal, space, [SETTINGS])) throw denied();
    if (space.owner !== ctx.principal.user.toLowerCase()) throw denied();
    const body = ctx.json<{ config?: unknown }>();
    space.config = applyPatch(
      space.config,
      body.config,
      ctx.query.get('updateMask'),
      meet.defaults(),
    );
    return spaceJson(space, { config: true, activeConference: true });
  });

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces.members/create
  // (scope meetings.space.created; the body is a Member, whose `email` "is required for creating
  // the member"). assumption: only the space's owner may add members, as only the owner may
  // patch the space; an email already a member is ALREADY_EXISTS.
  http.route(`POST ${BASE}/spaces/{space}/members`, 'meet.spaces.members.create', (ctx) => {
    requireScope(ctx.principal, [CREATED]);
    const space = spaceFor(ctx, false);
    if (!meet.reaches(ctx.principal, space, [])) throw denied();
    if (space.owner !== ctx.principal.user.toLowerCase()) throw denied();
    const body = ctx.json<{ email?: unknown; role?: unknown }>();
    if (typeof body.email !== 'string' || body.email.trim() === '')
      throw new GoogleApiError('INVALID_ARGUMENT', 'email is required.');
    const role = body.role ?? 'ROLE_UNSPECIFIED';
    if (role !== 'COHOST' && role !== 'ROLE_UNSPECIFIED')
      throw new GoogleApiError('INVALID_ARGUMENT', `Invalid value for role: ${String(role)}`);
    const email = body.email.trim().toLowerCase();
    if (space.members.has(email))
      throw new GoogleApiError('ALREADY_EXISTS', 'The member already exists.');
    const id = `m${space.members.size + 1}`;
    space.members.set(email, { id, role });
    return { name: `spaces/${space.id}/members/${id}`, email, role };
  });

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/endActiveConference
  http.route(
    `POST ${BASE}/spaces/{space}:endActiveConference`,
    'meet.spaces.endActiveConference',
    (ctx) => {
      requireScope(ctx.principal, [CREATED]);
      const space = spaceFor(ctx, false);
      if (!meet.reaches(ctx.principal, space, [])) throw denied();
      if (space.owner !== ctx.principal.user.toLowerCase()) throw denied();
      // Choice (no doc): ending a space with no conference running is a failed precondition.
      if (!space.activeConference) {
        throw new GoogleApiError(
          'FAILED_PRECONDITION',
          'There is no active conference in the space.',
        );
      }
      meet.endConference(space);
      return {};
    },
  );

  const recordFields: FieldReaders<ConferenceState> = {
    'space.name': { kind: 'string', read: (c) => `spaces/${c.spaceId}` },
    'space.meeting_code': {
      kind: 'string',
      caseInsensitive: true,
      read: (c) => meet.spaces.get(c.spaceId)!.meetingCode,
    },
    start_time: { kind: 'time', read: (c) => c.startTime },
    end_time: { kind: 'time', read: (c) => c.endTime },
  };

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords/list
  // (by start time, descending; pageSize default 25, max 100)
  http.route(`GET ${BASE}/conferenceRecords`, 'meet.conferenceRecords.list', (ctx) => {
    requireScope(ctx.principal, [CREATED, READONLY]);
    const visible = meet.liveConferences().filter((c) => meet.canSeeConference(ctx.principal, c));
    const matching = applyFilter(visible, ctx.query.get('filter'), recordFields).sort(
      (a, b) => b.startTime - a.startTime,
    );
    const result = page(matching, ctx.query, 25, 100);
    return listBody('conferenceRecords', { ...result, items: result.items.map(conferenceJson) });
  });

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords/get
  http.route(`GET ${BASE}/conferenceRecords/{record}`, 'meet.conferenceRecords.get', (ctx) => {
    requireScope(ctx.principal, [CREATED, READONLY]);
    return conferenceJson(conferenceFor(ctx));
  });

  const participantFields: FieldReaders<ParticipantState> = {
    earliest_start_time: { kind: 'time', read: earliestStart },
    latest_end_time: { kind: 'time', read: latestEnd },
  };

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants/list
  // (by join time, descending; pageSize default 100, max 250; `latest_end_time IS NULL` = in the call now)
  http.route(
    `GET ${BASE}/conferenceRecords/{record}/participants`,
    'meet.conferenceRecords.participants.list',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      const matching = applyFilter(
        [...conference.participants],
        ctx.query.get('filter'),
        participantFields,
      ).sort((a, b) => earliestStart(b) - earliestStart(a));
      const result = page(matching, ctx.query, 100, 250);
      return listBody('participants', {
        ...result,
        items: result.items.map((p) => participantJson(conference, p)),
      });
    },
  );

  http.route(
    `GET ${BASE}/conferenceRecords/{record}/participants/{participant}`,
    'meet.conferenceRecords.participants.get',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      return participantJson(conference, participantFor(ctx, conference));
    },
  );

  const sessionFields: FieldReaders<SessionState> = {
    start_time: { kind: 'time', read: (s) => s.startTime },
    end_time: { kind: 'time', read: (s) => s.endTime },
  };

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants.participantSessions/list
  http.route(
    `GET ${BASE}/conferenceRecords/{record}/participants/{participant}/participantSessions`,
    'meet.conferenceRecords.participants.participantSessions.list',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      const participant = participantFor(ctx, conference);
      const matching = applyFilter(
        [...participant.sessions],
        ctx.query.get('filter'),
        sessionFields,
      ).sort((a, b) => b.startTime - a.startTime);
      const result = page(matching, ctx.query, 100, 250);
      return listBody('participantSessions', {
        ...result,
        items: result.items.map((s) => sessionJson(conference, participant, s)),
      });
    },
  );

  http.route(
    `GET ${BASE}/conferenceRecords/{record}/participants/{participant}/participantSessions/{session}`,
    'meet.conferenceRecords.participants.participantSessions.get',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      const participant = participantFor(ctx, conference);
      const session = participant.sessions.find((s) => s.id === ctx.params.session);
      if (!session) throw notFound();
      return sessionJson(conference, participant, session);
    },
  );

  // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.recordings/list
  // (by start time, ascending; pageSize default 10, max 100)
  // doc: https://developers.google.com/workspace/meet/api/guides/artifacts — "Meet has access to the
  // recording ID after the recording file is generated. It's possible a user might delete the
  // recording file from Google Drive, yet the unique name is still returned in Meet." So a
  // recording in progress (STARTED) or ended without its file (ENDED) is not listed, though the
  // Recording resource's State enum names those states; a deleted file's recording still is.
  const listed = (conference: ConferenceState) =>
    conference.recordings.filter((r) => r.state === 'FILE_GENERATED');

  http.route(
    `GET ${BASE}/conferenceRecords/{record}/recordings`,
    'meet.conferenceRecords.recordings.list',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      const sorted = listed(conference).sort((a, b) => a.startTime - b.startTime);
      const result = page<RecordingState>(sorted, ctx.query, 10, 100);
      return listBody('recordings', {
        ...result,
        items: result.items.map((r) => recordingJson(conference, r)),
      });
    },
  );

  // doc: .../conferenceRecords.recordings/get — by recording ID, which exists once the file does.
  http.route(
    `GET ${BASE}/conferenceRecords/{record}/recordings/{recording}`,
    'meet.conferenceRecords.recordings.get',
    (ctx) => {
      requireScope(ctx.principal, [CREATED, READONLY]);
      const conference = conferenceFor(ctx);
      const recording = listed(conference).find((r) => r.id === ctx.params.recording);
      if (!recording) throw notFound();
      return recordingJson(conference, recording);
    },
  );
}
