// What the simulated Workspace says about people in a call, beyond meet.test.ts: a caller's
// number comes partly hidden (PhoneUser.displayName), someone who rejoined has no
// latestEndTime while in the call, and the Admin SDK Directory refuses users.get as Google
// documents (403, 429, 503), on every call or one in N.

import { SimKernel } from './kernel/kernel';
import type { DriveWorld } from './kernel/world-ports';
import { SimAdminDirectory } from './services/admin-directory';
import { SimMeet } from './services/meet';
import { redactedPhone } from './services/meet-model';
import { SimUrlFetch } from './services/url-fetch';

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const MEET = 'https://www.googleapis.com/auth/meetings.space.created';
const DIRECTORY = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

const noDrive: DriveWorld = {
  createFile: () => ({ id: 'unused' }),
  ensureMyDriveFolder: () => 'unused',
  exists: () => false,
  canRead: () => false,
  canEdit: () => false,
};

function setup() {
  const kernel = new SimKernel({ start: START, domain: 'school.test' });
  const teacher = kernel.directory.add({
    email: 'teacher@school.test',
    name: 'Tess Teacher',
    kind: 'staff',
  });
  const meet = new SimMeet(kernel, noDrive);
  const directory = new SimAdminDirectory(kernel);
  const app = new SimUrlFetch(kernel, []).global();
  const token = kernel.tokens.issue({
    user: teacher.email,
    scopes: [MEET, DIRECTORY],
    project: kernel.projectNumber,
    via: 'apps-script',
    expiresAt: START + 86_400_000,
  });
  const get = (url: string) => {
    const r = app.fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      muteHttpExceptions: true,
    });
    return { code: r.getResponseCode(), json: JSON.parse(r.getContentText() || '{}') };
  };
  const created = app.fetch('https://meet.googleapis.com/v2/spaces', {
    method: 'post',
    headers: { Authorization: `Bearer ${token}` },
    contentType: 'application/json',
    payload: JSON.stringify({ config: { accessType: 'TRUSTED' } }),
  });
  const space = JSON.parse(created.getContentText()) as { meetingCode: string };
  return { kernel, meet, directory, get, space, teacher };
}

describe('people in a simulated call', () => {
  it('shows a caller’s number partly hidden, the last three digits only', () => {
    expect(redactedPhone('+44 7700 900123')).toBe('+** **** ***123');
    const { meet, get, space } = setup();
    meet.join('teacher@school.test', space.meetingCode);
    expect(meet.join({ phone: '+44 7700 900123' }, space.meetingCode)).toBe('joined');
    const record = get('https://meet.googleapis.com/v2/conferenceRecords').json.conferenceRecords[0]
      .name;
    const people = get(`https://meet.googleapis.com/v2/${record}/participants`).json.participants;
    expect(people.find((p: { phoneUser?: unknown }) => p.phoneUser)).toMatchObject({
      phoneUser: { displayName: '+** **** ***123' },
    });
  });

  it('gives someone who left and came back no latestEndTime while they are in the call', () => {
    const { kernel, meet, get, space } = setup();
    meet.join('teacher@school.test', space.meetingCode);
    // A guest always knocks; the teacher lets them in, so the call goes on when the teacher leaves.
    expect(meet.join({ anonymous: 'Guest' }, space.meetingCode)).toBe('knocking');
    meet.admit('teacher@school.test', space.meetingCode, { anonymous: 'Guest' });
    kernel.clock.advance(60_000);
    const leftAt = kernel.now();
    meet.leave('teacher@school.test', space.meetingCode);
    const record = get('https://meet.googleapis.com/v2/conferenceRecords').json.conferenceRecords[0]
      .name;
    const list = () =>
      get(`https://meet.googleapis.com/v2/${record}/participants`).json.participants as {
        signedinUser?: unknown;
        latestEndTime?: string;
      }[];
    expect(list().find((p) => p.signedinUser)?.latestEndTime).toBe(new Date(leftAt).toISOString());
    kernel.clock.advance(30_000);
    meet.join('teacher@school.test', space.meetingCode);
    expect(list().find((p) => p.signedinUser)).not.toHaveProperty('latestEndTime');
  });
});

describe('the simulated Admin SDK Directory refusing', () => {
  const url = (key: string) =>
    `https://admin.googleapis.com/admin/directory/v1/users/${encodeURIComponent(key)}?viewType=domain_public`;

  it('answers 503 backendError, 429, or 403 as told, until it recovers', () => {
    const { directory, get, teacher } = setup();
    directory.refuse(503);
    const down = get(url(teacher.id));
    expect(down.code).toBe(503);
    expect(down.json.error.message).toBe('Service unavailable. Please try again');
    directory.refuse(429);
    expect(get(url(teacher.id)).code).toBe(429);
    directory.refuse(403, { rateLimited: true });
    expect(get(url(teacher.id)).json.error.errors[0].reason).toBe('userRateLimitExceeded');
    directory.refuse(403);
    expect(get(url(teacher.id)).json.error.errors[0].reason).toBe('forbidden');
    directory.recover();
    expect(get(url(teacher.id)).json.primaryEmail).toBe('teacher@school.test');
    expect(directory.refused).toBe(4);
  });

  it('can fail one call in three', () => {
    const { directory, get, teacher } = setup();
    directory.refuse(503, { every: 3 });
    const codes = Array.from({ length: 6 }, () => get(url(teacher.email)).code);
    expect(codes).toEqual([503, 200, 200, 503, 200, 200]);
  });
});
