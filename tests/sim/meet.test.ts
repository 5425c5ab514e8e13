// Google Meet REST API v2 over UrlFetchApp, and people acting in the Meet UI: spaces,
// owner-only changes, conferences, who is in the call, knocking, recordings to Drive.

import { HOUR } from './kernel/clock';
import { SimKernel } from './kernel/kernel';
import type { DriveWorld } from './kernel/world-ports';
import { SimMeet } from './services/meet';
import { SimUrlFetch } from './services/url-fetch';

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const SCOPE = 'https://www.googleapis.com/auth/meetings.space.created';

/** A tiny Drive: files and My Drive folders, enough for Meet to save recordings. */
class FakeDrive implements DriveWorld {
  files = new Map<
    string,
    { name: string; mimeType: string; owner: string; parentId?: string; createdTime: number }
  >();
  private folders = new Map<string, string>();
  constructor(private readonly kernel: SimKernel) {}
  createFile(spec: {
    name: string;
    mimeType: string;
    owner: string;
    parentId?: string;
    createdTime?: number;
  }) {
    const id = `file${this.files.size + 1}`;
    this.files.set(id, { ...spec, createdTime: spec.createdTime ?? this.kernel.now() });
    return { id };
  }
  ensureMyDriveFolder(owner: string, name: string): string {
    const key = `${owner}/${name}`;
    if (!this.folders.has(key)) {
      this.folders.set(key, this.createFile({ name, mimeType: 'folder', owner }).id);
    }
    return this.folders.get(key)!;
  }
  exists(fileId: string) {
    return this.files.has(fileId);
  }
  canRead() {
    return true;
  }
  canEdit() {
    return true;
  }
}

function setup() {
  const kernel = new SimKernel({ start: START, domain: 'school.test' });
  const teacher = kernel.directory.add({
    email: 'teacher@school.test',
    name: 'Tess Teacher',
    kind: 'staff',
  });
  kernel.directory.add({ email: 'colleague@school.test', name: 'Col League', kind: 'staff' });
  const pupil1 = kernel.directory.add({
    email: 'pupil1@school.test',
    name: 'Pia Pupil',
    kind: 'pupil',
  });
  const pupil2 = kernel.directory.add({
    email: 'pupil2@school.test',
    name: 'Pete Pupil',
    kind: 'pupil',
  });
  kernel.directory.add({ email: 'visitor@gmail.com', name: 'Vic Visitor', kind: 'external' });
  const drive = new FakeDrive(kernel);
  const meet = new SimMeet(kernel, drive, { recordingDelayMs: 2 * HOUR });
  const app = new SimUrlFetch(kernel, ['https://meet.googleapis.com/']).global();
  const tokenFor = (user: string, scopes = [SCOPE], project = kernel.projectNumber) =>
    kernel.tokens.issue({
      user,
      scopes,
      project,
      via: 'apps-script',
      expiresAt: START + 90 * 24 * HOUR,
    });
  const teacherToken = tokenFor('teacher@school.test');

  /** One REST call; returns the status and parsed JSON body. */
  const call = (
    method: 'get' | 'post' | 'patch',
    path: string,
    token = teacherToken,
    body?: unknown,
  ) => {
    const response = app.fetch(`https://meet.googleapis.com/v2/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      contentType: 'application/json',
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      muteHttpExceptions: true,
    });
    const text = response.getContentText();
    return { code: response.getResponseCode(), json: text ? JSON.parse(text) : {} };
  };

  const createSpace = (config: Record<string, unknown>) => {
    const created = call('post', 'spaces', teacherToken, { config });
    expect(created.code).toBe(200);
    return created.json as {
      name: string;
      meetingCode: string;
      meetingUri: string;
      config: Record<string, unknown>;
    };
  };

  return { kernel, meet, drive, call, tokenFor, createSpace, teacher, pupil1, pupil2 };
}

const SAFE = {
  accessType: 'RESTRICTED',
  entryPointAccess: 'ALL',
  moderation: 'ON',
  moderationRestrictions: {
    chatRestriction: 'HOSTS_ONLY',
    reactionRestriction: 'NO_RESTRICTION',
    presentRestriction: 'HOSTS_ONLY',
    defaultJoinAsViewerType: 'OFF',
  },
};

describe('SimMeet spaces', () => {
  test('create a space with a safe config and read it back by name and by meeting code', () => {
    const { call, createSpace } = setup();
    const space = createSpace(SAFE);
    expect(space.name).toMatch(/^spaces\/[A-Za-z0-9]{12}$/);
    expect(space.meetingCode).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(space.meetingUri).toBe(`https://meet.google.com/${space.meetingCode}`);
    expect(space.config).toMatchObject(SAFE);
    expect(space.config).toMatchObject({
      attendanceReportGenerationType: 'DO_NOT_GENERATE',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'OFF' } },
    });
    expect(space).not.toHaveProperty('activeConference');
    expect(call('get', space.name).json).toEqual(space);
    expect(call('get', `spaces/${space.meetingCode.toUpperCase()}`).json).toEqual(space);
  });

  test('someone else reads the space without its settings; only the owner may patch it', () => {
    const { call, createSpace, tokenFor } = setup();
    const space = createSpace(SAFE);
    const colleague = tokenFor('colleague@school.test');
    const seen = call('get', space.name, colleague);
    expect(seen.code).toBe(200);
    expect(seen.json).toEqual({
      name: space.name,
      meetingUri: space.meetingUri,
      meetingCode: space.meetingCode,
    });
    const patch = call('patch', `${space.name}?updateMask=config.accessType`, colleague, {
      config: { accessType: 'OPEN' },
    });
    expect(patch.code).toBe(403);
    expect(patch.json.error.status).toBe('PERMISSION_DENIED');
    expect(call('get', space.name).json.config.accessType).toBe('RESTRICTED');
  });

  test('patch follows the update mask; unknown paths and values are rejected', () => {
    const { call, createSpace } = setup();
    const space = createSpace(SAFE);
    const ok = call('patch', `${space.name}?updateMask=config.accessType`, undefined, {
      config: { accessType: 'TRUSTED', entryPointAccess: 'CREATOR_APP_ONLY' },
    });
    expect(ok.code).toBe(200);
    expect(ok.json.config.accessType).toBe('TRUSTED');
    expect(ok.json.config.entryPointAccess).toBe('ALL'); // not in the mask
    const badMask = call('patch', `${space.name}?updateMask=config.colour`, undefined, {
      config: {},
    });
    expect(badMask.code).toBe(400);
    expect(badMask.json.error.status).toBe('INVALID_ARGUMENT');
    const badValue = call('patch', space.name, undefined, { config: { accessType: 'EVERYONE' } });
    expect(badValue.code).toBe(400);
    expect(badValue.json.error.message).toContain("'space.config.access_type'");
    // Moderation OFF resets the restrictions to their defaults (SpaceConfig doc).
    const off = call('patch', `${space.name}?updateMask=config.moderation`, undefined, {
      config: { moderation: 'OFF' },
    });
    expect(off.json.config.moderationRestrictions.chatRestriction).toBe('NO_RESTRICTION');
  });

  test('meetings.space.created reaches only spaces the same Cloud project created', () => {
    const { call, createSpace, tokenFor } = setup();
    const space = createSpace(SAFE);
    const otherApp = tokenFor('teacher@school.test', [SCOPE], '999999999999');
    expect(call('get', space.name, otherApp).code).toBe(403);
    expect(call('post', `${space.name}:endActiveConference`, otherApp, {}).code).toBe(403);
  });
});

describe('SimMeet conferences', () => {
  test('the first join starts a conference that lists with end_time IS NULL', () => {
    const { kernel, meet, call, createSpace } = setup();
    const space = createSpace({ accessType: 'TRUSTED' });
    expect(call('get', 'conferenceRecords').json).toEqual({});
    const joinedAt = kernel.now(); // REST calls take simulated time, the UI does not
    expect(meet.join('teacher@school.test', space.meetingUri)).toBe('joined');
    const live = call(
      'get',
      `conferenceRecords?filter=${encodeURIComponent(`space.name = "${space.name}" AND end_time IS NULL`)}`,
    );
    expect(live.json.conferenceRecords).toHaveLength(1);
    const record = live.json.conferenceRecords[0];
    expect(record).toEqual({
      name: expect.stringMatching(/^conferenceRecords\/\w+$/),
      startTime: new Date(joinedAt).toISOString(),
      space: space.name,
    });
    expect(call('get', space.name).json.activeConference).toEqual({
      conferenceRecord: record.name,
    });
  });

  test('participants with latest_end_time IS NULL are who is in the call now, as users/{id}', () => {
    const { kernel, meet, call, createSpace, teacher, pupil1, pupil2 } = setup();
    const space = createSpace({ accessType: 'TRUSTED' });
    const t0 = kernel.now();
    meet.join('teacher@school.test', space.meetingCode);
    kernel.clock.advance(60_000);
    expect(meet.join('pupil1@school.test', space.meetingCode)).toBe('joined');
    expect(meet.join('pupil2@school.test', space.meetingCode)).toBe('joined');
    kernel.clock.advance(60_000);
    meet.leave('pupil1@school.test', space.meetingCode);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0].name;
    const now = call('get', `${record}/participants?filter=latest_end_time%20IS%20NULL`).json
      .participants;
    const users = now.map((p: { signedinUser: { user: string } }) => p.signedinUser.user).sort();
    expect(users).toEqual([`users/${teacher.id}`, `users/${pupil2.id}`].sort());
    expect(now.every((p: object) => !('latestEndTime' in p))).toBe(true);
    const all = call('get', `${record}/participants`).json.participants;
    const left = all.find(
      (p: { signedinUser: { user: string } }) => p.signedinUser.user === `users/${pupil1.id}`,
    );
    expect(left).toMatchObject({
      signedinUser: { displayName: 'Pia Pupil' },
      earliestStartTime: new Date(t0 + 60_000).toISOString(),
      latestEndTime: new Date(t0 + 120_000).toISOString(),
    });
    expect(left).not.toHaveProperty('anonymousUser');
    const sessions = call('get', `${left.name}/participantSessions`).json.participantSessions;
    expect(sessions).toHaveLength(1);
    expect(sessions[0].endTime).toBe(new Date(t0 + 120_000).toISOString());
  });

  test('RESTRICTED: pupils knock until the teacher admits them', () => {
    const { meet, call, createSpace } = setup();
    const space = createSpace(SAFE);
    expect(meet.join('pupil1@school.test', space.meetingCode)).toBe('knocking');
    expect(meet.participantsNow(space.meetingCode)).toEqual([]);
    expect(call('get', 'conferenceRecords').json).toEqual({}); // knocking starts nothing
    expect(meet.join('teacher@school.test', space.meetingCode)).toBe('joined');
    expect(meet.knockingNow(space.meetingCode)).toEqual(['pupil1@school.test']);
    meet.admit('teacher@school.test', space.meetingCode, 'pupil1@school.test');
    expect(meet.participantsNow(space.meetingCode).sort()).toEqual([
      'pupil1@school.test',
      'teacher@school.test',
    ]);
    expect(() =>
      meet.admit('pupil1@school.test', space.meetingCode, 'pupil2@school.test'),
    ).toThrow();
  });

  test('RESTRICTED: members the owner makes come in without knocking; only a COHOST may admit', () => {
    const { meet, call, createSpace, tokenFor } = setup();
    const space = createSpace(SAFE);
    const made = call('post', `${space.name}/members`, undefined, {
      email: 'Colleague@school.test',
    });
    expect(made.code).toBe(200);
    expect(made.json).toEqual({
      name: expect.stringMatching(new RegExp(`^${space.name}/members/`)),
      email: 'colleague@school.test',
      role: 'ROLE_UNSPECIFIED',
    });
    const again = { email: 'colleague@school.test' };
    expect(call('post', `${space.name}/members`, undefined, again).code).toBe(409);
    expect(call('post', `${space.name}/members`, undefined, { role: 'COHOST' }).code).toBe(400);
    // Only the owner adds members (an assumption the route names).
    const other = tokenFor('colleague@school.test');
    const byOther = call('post', `${space.name}/members`, other, { email: 'pupil2@school.test' });
    expect(byOther.code).toBe(403);
    // The member is in without the teacher, but cannot let a knocking pupil in.
    expect(meet.join('colleague@school.test', space.meetingCode)).toBe('joined');
    expect(meet.join('pupil1@school.test', space.meetingCode)).toBe('knocking');
    expect(() =>
      meet.admit('colleague@school.test', space.meetingCode, 'pupil1@school.test'),
    ).toThrow();
    // A COHOST may.
    const cohost = { email: 'teacher2@school.test', role: 'COHOST' };
    expect(call('post', `${space.name}/members`, undefined, cohost).code).toBe(200);
    expect(meet.membersOf(space.meetingCode)).toEqual([
      { email: 'colleague@school.test', role: 'ROLE_UNSPECIFIED' },
      { email: 'teacher2@school.test', role: 'COHOST' },
    ]);
  });

  test('TRUSTED lets the school in; outsiders and anonymous guests knock; OPEN lets outsiders in', () => {
    const { meet, createSpace } = setup();
    const trusted = createSpace({ accessType: 'TRUSTED' });
    expect(meet.join('pupil1@school.test', trusted.meetingCode)).toBe('joined');
    expect(meet.join('visitor@gmail.com', trusted.meetingCode)).toBe('knocking');
    expect(meet.join({ anonymous: 'Guest' }, trusted.meetingCode)).toBe('knocking');
    const open = createSpace({ accessType: 'OPEN' });
    expect(meet.join('visitor@gmail.com', open.meetingCode)).toBe('joined');
    expect(meet.join({ anonymous: 'Guest' }, open.meetingCode)).toBe('knocking');
  });

  test('CREATOR_APP_ONLY refuses joins through the Meet UI', () => {
    const { meet, createSpace } = setup();
    const space = createSpace({ accessType: 'OPEN', entryPointAccess: 'CREATOR_APP_ONLY' });
    expect(meet.join('teacher@school.test', space.meetingCode)).toBe('refused');
    expect(meet.join('pupil1@school.test', space.meetingCode)).toBe('refused');
    expect(meet.join('pupil1@school.test', space.meetingCode, { via: 'creator-app' })).toBe(
      'joined',
    );
  });

  test('endActiveConference ends it for everyone; a later join starts a new record', () => {
    const { kernel, meet, call, createSpace } = setup();
    const space = createSpace({ accessType: 'TRUSTED' });
    meet.join('teacher@school.test', space.meetingCode);
    meet.join('pupil1@school.test', space.meetingCode);
    kernel.clock.advance(30 * 60_000);
    const endedAt = kernel.now() + kernel.latency.meet!; // the call takes its latency first
    const ended = call('post', `${space.name}:endActiveConference`, undefined, {});
    expect(ended.code).toBe(200);
    expect(ended.json).toEqual({});
    expect(meet.participantsNow(space.meetingCode)).toEqual([]);
    expect(call('get', space.name).json).not.toHaveProperty('activeConference');
    const again = call('post', `${space.name}:endActiveConference`, undefined, {});
    expect(again.code).toBe(400);
    expect(again.json.error.status).toBe('FAILED_PRECONDITION');
    kernel.clock.advance(60 * 60_000);
    meet.join('teacher@school.test', space.meetingCode);
    const records = call('get', 'conferenceRecords').json.conferenceRecords;
    expect(records).toHaveLength(2);
    expect(records[0]).not.toHaveProperty('endTime'); // newest first
    expect(records[1].endTime).toBe(new Date(endedAt).toISOString());
    expect(records[1].expireTime).toBe(new Date(endedAt + 30 * 24 * HOUR).toISOString());
  });

  test('a pupil who took part may read the record; the conference records expire after 30 days', () => {
    const { kernel, meet, call, createSpace, tokenFor } = setup();
    const space = createSpace({ accessType: 'TRUSTED' });
    meet.join('teacher@school.test', space.meetingCode);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0].name;
    expect(call('get', record, tokenFor('colleague@school.test')).code).toBe(403);
    meet.join('pupil1@school.test', space.meetingCode);
    expect(call('get', record, tokenFor('pupil1@school.test')).code).toBe(200);
    meet.leave('pupil1@school.test', space.meetingCode);
    meet.leave('teacher@school.test', space.meetingCode);
    kernel.clock.advance(30 * 24 * HOUR);
    const gone = call('get', record);
    expect(gone.code).toBe(404);
    expect(gone.json.error.status).toBe('NOT_FOUND');
  });

  test("a recording is listed only once its file is generated, in the owner's Meet Recordings", () => {
    const { kernel, meet, drive, call, createSpace } = setup();
    const space = createSpace({
      accessType: 'TRUSTED',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
    });
    const t0 = kernel.now();
    meet.join('teacher@school.test', space.meetingCode);
    expect(meet.isRecording(space.meetingCode)).toBe(true);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0].name;
    const list = () => call('get', `${record}/recordings`).json.recordings ?? [];
    // Recording (STARTED), then ended without its file (ENDED): Meet lists nothing yet.
    expect(list()).toEqual([]);
    kernel.clock.advance(HOUR);
    const leftAt = kernel.now();
    meet.leave('teacher@school.test', space.meetingCode);
    expect(list()).toEqual([]);
    kernel.clock.advanceTo(leftAt + 2 * HOUR - 10 * 60_000);
    expect(list()).toEqual([]);
    expect([...drive.files.values()].filter((f) => f.mimeType === 'video/mp4')).toHaveLength(0);
    kernel.clock.advanceTo(leftAt + 2 * HOUR);
    const [done] = list();
    expect(done).toMatchObject({
      state: 'FILE_GENERATED',
      startTime: new Date(t0).toISOString(),
      endTime: new Date(leftAt).toISOString(),
    });
    expect(call('get', done.name).json).toEqual(done);
    const file = drive.files.get(done.driveDestination.file)!;
    expect(done.driveDestination.exportUri).toBe(
      `https://drive.google.com/file/d/${done.driveDestination.file}/view`,
    );
    expect(file).toMatchObject({
      name: `${space.meetingCode} (2026-11-23 09:00 GMT) - Recording`,
      mimeType: 'video/mp4',
      owner: 'teacher@school.test',
      createdTime: leftAt + 2 * HOUR,
    });
    expect(drive.files.get(file.parentId!)).toMatchObject({
      name: 'Meet Recordings',
      owner: 'teacher@school.test',
    });
  });

  test('automatic recording starts when someone who may record joins, not the first pupil', () => {
    const { kernel, meet, call, createSpace } = setup();
    const space = createSpace({
      accessType: 'TRUSTED',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
    });
    meet.join('pupil1@school.test', space.meetingCode);
    expect(meet.isRecording(space.meetingCode)).toBe(false);
    kernel.clock.advance(5 * 60_000);
    const teacherIn = kernel.now();
    meet.join('teacher@school.test', space.meetingCode);
    expect(meet.isRecording(space.meetingCode)).toBe(true);
    kernel.clock.advance(20 * 60_000);
    meet.leave('pupil1@school.test', space.meetingCode);
    meet.leave('teacher@school.test', space.meetingCode);
    kernel.clock.advance(3 * HOUR);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0];
    const [only] = call('get', `${record.name}/recordings`).json.recordings;
    expect(only.startTime).toBe(new Date(teacherIn).toISOString());
    expect(Date.parse(only.startTime)).toBeGreaterThan(Date.parse(record.startTime));
  });

  test('an owner without a licence to record gets no recording, and a pupil may not record', () => {
    const { kernel, meet, call, createSpace } = setup();
    meet.unlicensed.add('teacher@school.test');
    const space = createSpace({
      accessType: 'TRUSTED',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
    });
    meet.join('teacher@school.test', space.meetingCode);
    meet.join('colleague@school.test', space.meetingCode);
    expect(meet.isRecording(space.meetingCode)).toBe(false);
    expect(() => meet.startRecording('colleague@school.test', space.meetingCode)).toThrow(
      /may not record/,
    );
    meet.unlicensed.clear();
    meet.join('pupil1@school.test', space.meetingCode);
    expect(() => meet.startRecording('pupil1@school.test', space.meetingCode)).toThrow(
      /may not record/,
    );
    meet.leave('pupil1@school.test', space.meetingCode);
    meet.leave('colleague@school.test', space.meetingCode);
    meet.leave('teacher@school.test', space.meetingCode);
    kernel.clock.advance(3 * HOUR);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0].name;
    expect(call('get', `${record}/recordings`).json).toEqual({});
  });

  test('a call recorded, stopped and recorded again has two recordings, each listed when its file is made', () => {
    const { kernel, meet, call, createSpace } = setup();
    const space = createSpace({
      accessType: 'TRUSTED',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
    });
    meet.nextRecordingDelays.push(5 * 60_000, 5 * HOUR);
    meet.join('teacher@school.test', space.meetingCode);
    kernel.clock.advance(10 * 60_000);
    meet.stopRecording('teacher@school.test', space.meetingCode);
    kernel.clock.advance(10 * 60_000);
    meet.startRecording('teacher@school.test', space.meetingCode);
    kernel.clock.advance(10 * 60_000);
    meet.leave('teacher@school.test', space.meetingCode);
    const record = call('get', 'conferenceRecords').json.conferenceRecords[0].name;
    const list = () => call('get', `${record}/recordings`).json.recordings ?? [];
    expect(list()).toHaveLength(1);
    kernel.clock.advance(5 * HOUR);
    const both = list();
    expect(both.map((r: { state: string }) => r.state)).toEqual([
      'FILE_GENERATED',
      'FILE_GENERATED',
    ]);
    expect(Date.parse(both[1].startTime) - Date.parse(both[0].endTime)).toBe(10 * 60_000);
  });

  test('a recording whose file is never made is never listed; a file deleted from Drive still is', () => {
    const { kernel, meet, drive, call, createSpace } = setup();
    const space = createSpace({
      accessType: 'TRUSTED',
      artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
    });
    meet.nextRecordingDelays.push('never');
    meet.join('teacher@school.test', space.meetingCode);
    kernel.clock.advance(60_000);
    meet.leave('teacher@school.test', space.meetingCode);
    kernel.clock.advance(60_000);
    meet.join('teacher@school.test', space.meetingCode);
    kernel.clock.advance(60_000);
    meet.leave('teacher@school.test', space.meetingCode);
    kernel.clock.advance(10 * 24 * HOUR);
    const [second, first] = call('get', 'conferenceRecords').json.conferenceRecords;
    expect(call('get', `${first.name}/recordings`).json).toEqual({});
    const [made] = call('get', `${second.name}/recordings`).json.recordings;
    drive.files.delete(made.driveDestination.file);
    expect(call('get', `${second.name}/recordings`).json.recordings).toEqual([made]);
  });

  test('transcripts, smart notes and an attendance report are made when the space or the school asks for them', () => {
    const { kernel, meet, drive, createSpace } = setup();
    meet.orgArtifactDefaults = {
      attendanceReportGenerationType: 'GENERATE_REPORT',
      autoTranscriptionGeneration: 'ON',
      autoSmartNotesGeneration: 'ON',
    };
    const byDefault = createSpace({ accessType: 'TRUSTED' });
    const refused = createSpace({
      accessType: 'TRUSTED',
      attendanceReportGenerationType: 'DO_NOT_GENERATE',
      artifactConfig: {
        transcriptionConfig: { autoTranscriptionGeneration: 'OFF' },
        smartNotesConfig: { autoSmartNotesGeneration: 'OFF' },
      },
    });
    for (const space of [byDefault, refused]) {
      meet.join('teacher@school.test', space.meetingCode);
      meet.join('pupil1@school.test', space.meetingCode);
      kernel.clock.advance(30 * 60_000);
      meet.leave('pupil1@school.test', space.meetingCode);
      meet.leave('teacher@school.test', space.meetingCode);
    }
    kernel.clock.advance(3 * HOUR);
    const names = [...drive.files.values()].map((f) => f.name);
    expect(names.filter((n) => n.startsWith(byDefault.meetingCode)).sort()).toEqual([
      expect.stringMatching(/ - Attendance report$/),
      expect.stringMatching(/ - Notes by Gemini$/),
      expect.stringMatching(/ - Transcript$/),
    ]);
    expect(names.filter((n) => n.startsWith(refused.meetingCode))).toEqual([]);
  });

  test('list filters outside the documented grammar are INVALID_ARGUMENT; pages follow pageSize', () => {
    const { meet, call, createSpace, kernel } = setup();
    expect(call('get', 'conferenceRecords?filter=colour%20%3D%20%22red%22').code).toBe(400);
    const space = createSpace({ accessType: 'TRUSTED' });
    for (let i = 0; i < 3; i++) {
      meet.join('teacher@school.test', space.meetingCode);
      kernel.clock.advance(60_000);
      meet.leave('teacher@school.test', space.meetingCode);
    }
    const first = call('get', 'conferenceRecords?pageSize=2').json;
    expect(first.conferenceRecords).toHaveLength(2);
    const second = call(
      'get',
      `conferenceRecords?pageSize=2&pageToken=${first.nextPageToken}`,
    ).json;
    expect(second.conferenceRecords).toHaveLength(1);
    expect(second).not.toHaveProperty('nextPageToken');
    const byCode = call(
      'get',
      `conferenceRecords?filter=${encodeURIComponent(`space.meeting_code = "${space.meetingCode}" AND start_time>="${new Date(START + 60_000).toISOString()}"`)}`,
    ).json;
    expect(byCode.conferenceRecords).toHaveLength(2);
  });
});
