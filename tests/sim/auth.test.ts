// Keyless domain-wide delegation over UrlFetchApp: signJwt as the service account, the
// JWT-bearer grant at oauth2.googleapis.com, and a token that then acts as the teacher.
// Also the Admin SDK users.get the product uses to name Meet participants.

import { SimKernel } from './kernel/kernel';
import type { DriveWorld } from './kernel/world-ports';
import { SimAdminDirectory } from './services/admin-directory';
import { SimAuth } from './services/auth';
import { SimMeet } from './services/meet';
import { SimUrlFetch } from './services/url-fetch';

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const SA = 'live-lessons@school-project.iam.gserviceaccount.com';
const CLIENT_ID = '112233445566778899001';
const MEET = 'https://www.googleapis.com/auth/meetings.space.created';
const DIRECTORY = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const IAM = 'https://www.googleapis.com/auth/iam';
const SIGN_URL = `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SA}:signJwt`;

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
  kernel.directory.add({ email: 'office@school.test', name: 'Office Bot', kind: 'staff' });
  kernel.directory.add({ email: 'visitor@gmail.com', name: 'Vic Visitor', kind: 'external' });
  const auth = new SimAuth(kernel);
  const admin = new SimAdminDirectory(kernel);
  const meet = new SimMeet(kernel, noDrive);
  const app = new SimUrlFetch(kernel, []).global();
  auth.createServiceAccount(SA, { clientId: CLIENT_ID });
  auth.grantTokenCreator('office@school.test', SA);
  auth.authorizeDelegation(CLIENT_ID, [MEET, DIRECTORY]);
  const scriptToken = (scopes = [IAM]) =>
    kernel.tokens.issue({
      user: 'office@school.test',
      scopes,
      project: kernel.projectNumber,
      via: 'apps-script',
      expiresAt: kernel.now() + 3_600_000,
    });

  const json = (r: GoogleAppsScript.URL_Fetch.HTTPResponse) => ({
    code: r.getResponseCode(),
    body: JSON.parse(r.getContentText()),
  });

  const signJwt = (claims: Record<string, unknown>, token = scriptToken()) =>
    json(
      app.fetch(SIGN_URL, {
        method: 'post',
        contentType: 'application/json',
        headers: { Authorization: `Bearer ${token}` },
        payload: JSON.stringify({ payload: JSON.stringify(claims) }),
        muteHttpExceptions: true,
      }),
    );

  const exchange = (assertion: string) =>
    json(
      app.fetch('https://oauth2.googleapis.com/token', {
        method: 'post',
        payload: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
        muteHttpExceptions: true,
      }),
    );

  const claimsFor = (overrides: Record<string, unknown> = {}) => {
    const iat = Math.floor(kernel.now() / 1000);
    return {
      iss: SA,
      sub: 'teacher@school.test',
      scope: MEET,
      aud: 'https://oauth2.googleapis.com/token',
      iat,
      exp: iat + 3600,
      ...overrides,
    };
  };

  return {
    kernel,
    auth,
    admin,
    meet,
    app,
    teacher,
    signJwt,
    exchange,
    claimsFor,
    json,
    scriptToken,
  };
}

describe('SimAuth keyless domain-wide delegation', () => {
  test('signJwt then the JWT-bearer grant gives a token that acts as the teacher', () => {
    const { kernel, app, meet, signJwt, exchange, claimsFor, json } = setup();
    const signed = signJwt(claimsFor());
    expect(signed.code).toBe(200);
    expect(Object.keys(signed.body).sort()).toEqual(['keyId', 'signedJwt']);
    const parts = signed.body.signedJwt.split('.');
    expect(parts).toHaveLength(3);
    expect(JSON.parse(Buffer.from(parts[0], 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(parts[1], 'base64url').toString())).toMatchObject({
      sub: 'teacher@school.test',
    });

    const token = exchange(signed.body.signedJwt);
    expect(token).toEqual({
      code: 200,
      body: { access_token: expect.any(String), expires_in: 3599, token_type: 'Bearer' },
    });
    const principal = kernel.tokens.resolve(`Bearer ${token.body.access_token}`, kernel.now());
    expect(principal).toMatchObject({
      user: 'teacher@school.test',
      via: 'delegation',
      scopes: [MEET],
    });

    // The teacher owns what the delegated token creates.
    const space = json(
      app.fetch('https://meet.googleapis.com/v2/spaces', {
        method: 'post',
        contentType: 'application/json',
        headers: { Authorization: `Bearer ${token.body.access_token}` },
        payload: '{}',
      }),
    ).body;
    expect(meet.spaces.get(space.name.slice('spaces/'.length))!.owner).toBe('teacher@school.test');
    expect(kernel.calls.count('iam.serviceAccounts.signJwt')).toBe(1);
    expect(kernel.calls.count('oauth.token')).toBe(1);
  });

  test('without the Token Creator role, signJwt is PERMISSION_DENIED', () => {
    const { auth, signJwt, claimsFor } = setup();
    auth.revokeTokenCreator('office@school.test', SA);
    const denied = signJwt(claimsFor());
    expect(denied.code).toBe(403);
    expect(denied.body.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      message: "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
    });
  });

  test('signJwt needs the iam or cloud-platform scope', () => {
    const { signJwt, claimsFor, scriptToken } = setup();
    const result = signJwt(claimsFor(), scriptToken(['https://www.googleapis.com/auth/drive']));
    expect(result.code).toBe(403);
    expect(result.body.error.message).toBe('Request had insufficient authentication scopes.');
  });

  test('a scope not authorised for delegation is unauthorized_client (401, OAuth shape)', () => {
    const { signJwt, exchange, claimsFor } = setup();
    const signed = signJwt(claimsFor({ scope: `${MEET} https://www.googleapis.com/auth/drive` }));
    const result = exchange(signed.body.signedJwt);
    expect(result).toEqual({
      code: 401,
      body: {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      },
    });
  });

  test('an expired JWT, or one living over an hour, is invalid_grant', () => {
    const { kernel, signJwt, exchange, claimsFor } = setup();
    const window =
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
    const signed = signJwt(claimsFor());
    kernel.clock.advance(2 * 3_600_000);
    expect(exchange(signed.body.signedJwt)).toEqual({
      code: 400,
      body: { error: 'invalid_grant', error_description: window },
    });
    const iat = Math.floor(kernel.now() / 1000);
    const long = signJwt(claimsFor({ iat, exp: iat + 7200 }));
    expect(long.code).toBe(200);
    expect(exchange(long.body.signedJwt).body.error_description).toBe(window);
  });

  test('a tampered JWT fails its signature check', () => {
    const { signJwt, exchange, claimsFor } = setup();
    const [header, , signature] = signJwt(claimsFor()).body.signedJwt.split('.');
    const forged = Buffer.from(JSON.stringify(claimsFor({ sub: 'office@school.test' }))).toString(
      'base64url',
    );
    expect(exchange(`${header}.${forged}.${signature}`)).toEqual({
      code: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
    expect(exchange('not-a-jwt').body.error).toBe('invalid_grant');
  });

  test('wrong audience and a subject outside the domain are invalid_grant', () => {
    const { signJwt, exchange, claimsFor } = setup();
    const aud = signJwt(claimsFor({ aud: 'https://www.googleapis.com/oauth2/v4/token' }));
    expect(exchange(aud.body.signedJwt).body.error_description).toBe(
      'Invalid JWT: Failed audience check.',
    );
    const outsider = signJwt(claimsFor({ sub: 'visitor@gmail.com' }));
    expect(exchange(outsider.body.signedJwt).body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid email or User ID',
    });
  });
});

describe('SimAdminDirectory users.get', () => {
  const get = (
    app: ReturnType<SimUrlFetch['global']>,
    token: string,
    userKey: string,
    query = '?viewType=domain_public',
  ) => {
    const r = app.fetch(
      `https://admin.googleapis.com/admin/directory/v1/users/${userKey}${query}`,
      {
        headers: { Authorization: `Bearer ${token}` },
        muteHttpExceptions: true,
      },
    );
    return { code: r.getResponseCode(), body: JSON.parse(r.getContentText()) };
  };

  test('a non-admin reads the domain_public view by id or email; others are not found', () => {
    const { kernel, app, teacher } = setup();
    const token = kernel.tokens.issue({
      user: 'teacher@school.test',
      scopes: [DIRECTORY],
      project: kernel.projectNumber,
      via: 'delegation',
      expiresAt: kernel.now() + 3_600_000,
    });
    const byId = get(app, token, teacher.id);
    expect(byId).toEqual({
      code: 200,
      body: {
        kind: 'admin#directory#user',
        id: teacher.id,
        etag: expect.any(String),
        primaryEmail: 'teacher@school.test',
        name: { givenName: 'Tess', familyName: 'Teacher', fullName: 'Tess Teacher' },
      },
    });
    expect(get(app, token, 'teacher@school.test').body.id).toBe(teacher.id);
    const outsider = get(app, token, 'visitor@gmail.com');
    expect(outsider.code).toBe(404);
    expect(outsider.body.error.message).toBe('Resource Not Found: userKey');
    const adminView = get(app, token, teacher.id, '');
    expect(adminView.code).toBe(403);
  });
});
