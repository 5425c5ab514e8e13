// Proves the simulated Drive keeps Google's documented contracts: q search and paging,
// shared-drive moves and visibility, delete rights, link sharing, batch and DriveApp costs.

import type { SimHttpResponse } from './kernel/http';
import { SimKernel } from './kernel/kernel';
import { FOLDER_MIME, SimDrive } from './services/drive';

const DOMAIN = 'school.org';
const TEACHER = 'teacher@school.org';
const HEAD = 'head@school.org';
const OFFICE = 'office@school.org';
const PUPIL = 'pupil@school.org';
const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
const API = 'https://www.googleapis.com/drive/v3';

/** Parsed response bodies, read loosely as the tests dig into them. */
// biome-ignore lint/suspicious/noExplicitAny: test-side JSON access
type Json = Record<string, any>;

function setup() {
  const kernel = new SimKernel({
    start: Date.parse('2026-03-02T09:00:00Z'),
    domain: DOMAIN,
    manifestScopes: [DRIVE_SCOPE],
  });
  for (const [email, name, kind] of [
    [TEACHER, 'Ms Teacher', 'staff'],
    [HEAD, 'Head', 'staff'],
    [OFFICE, 'Office', 'staff'],
    [PUPIL, 'Pupil', 'pupil'],
  ] as const) {
    kernel.directory.add({ email, name, kind });
  }
  const drive = new SimDrive(kernel);
  const token = (user: string, scopes = [DRIVE_SCOPE]) =>
    kernel.tokens.issue({
      user,
      scopes,
      project: kernel.projectNumber,
      expiresAt: kernel.now() + 3_600_000,
      via: 'delegation',
    });
  /** What UrlFetchApp does with a REST call: route, count under the route's key, run. */
  const rest = (
    method: string,
    url: string,
    bearer: string,
    body?: unknown,
    contentType = 'application/json',
  ): SimHttpResponse => {
    const request = {
      method,
      url,
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': contentType },
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
      contentType,
    };
    const matched = kernel.http.match(request);
    if (!matched) throw new Error(`no route for ${method} ${url}`);
    return kernel.invoke(matched.route.key, () =>
      kernel.http.handle(
        matched,
        request,
        kernel.tokens.resolve(request.headers.Authorization, kernel.now()),
      ),
    );
  };
  const json = (response: SimHttpResponse) => JSON.parse(response.body) as Json;
  const asUser = <T>(user: string, fn: () => T) =>
    kernel.runExecution({ user, kind: 'trigger', functionName: 'test' }, fn);
  return { kernel, drive, token, rest, json, asUser };
}

describe('files.list q and paging', () => {
  test("'X' in parents and createdTime < ... and trashed = false returns exactly the right files", () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Recordings');
    const other = drive.ensureMyDriveFolder(TEACHER, 'Other');
    const oldLive = drive.addFile({
      name: 'old',
      parentId: folder,
      createdTime: '2025-11-01T10:00:00Z',
    });
    const oldTrashed = drive.addFile({
      name: 'old trashed',
      parentId: folder,
      createdTime: '2025-11-02T10:00:00Z',
      trashed: true,
    });
    drive.addFile({ name: 'new', parentId: folder, createdTime: '2026-02-01T10:00:00Z' });
    drive.addFile({ name: 'edge', parentId: folder, createdTime: '2026-01-01T00:00:00Z' });
    drive.addFile({ name: 'elsewhere', parentId: other, createdTime: '2025-10-01T10:00:00Z' });

    const q = `'${folder}' in parents and createdTime < '2026-01-01T00:00:00Z' and trashed = false`;
    const res = rest(
      'GET',
      `${API}/files?q=${encodeURIComponent(q)}&fields=files(id,name,createdTime)`,
      token(TEACHER),
    );
    expect(res.code).toBe(200);
    expect(json(res).files.map((f: { id: string }) => f.id)).toEqual([oldLive]);

    // Without trashed = false the trashed file is included (the documented default).
    const all = rest(
      'GET',
      `${API}/files?q=${encodeURIComponent(`'${folder}' in parents and createdTime < '2026-01-01T00:00:00Z'`)}`,
      token(TEACHER),
    );
    expect(
      json(all)
        .files.map((f: { id: string }) => f.id)
        .sort(),
    ).toEqual([oldLive, oldTrashed].sort());
  });

  test('another user cannot see files they have no access to', () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Private');
    drive.addFile({ name: 'secret', parentId: folder });
    const res = rest(
      'GET',
      `${API}/files?q=${encodeURIComponent(`'${folder}' in parents`)}`,
      token(PUPIL),
    );
    expect(json(res).files).toEqual([]);
    expect(rest('GET', `${API}/files/${folder}`, token(PUPIL)).code).toBe(404);
  });

  test('pages of pageSize cover every match once; a deletion between pages skips nothing', () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Many');
    const ids = drive.addFilesToFolder(folder, 250, (i) => ({
      createdTime: Date.parse('2025-06-01T00:00:00Z') + i * 60_000,
    }));
    const q = encodeURIComponent(`'${folder}' in parents and trashed = false`);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = json(
        rest(
          'GET',
          `${API}/files?q=${q}&pageSize=100&orderBy=createdTime${pageToken ? `&pageToken=${pageToken}` : ''}`,
          token(TEACHER),
        ),
      );
      pages += 1;
      seen.push(...res.files.map((f: { id: string }) => f.id));
      // Purge what was listed before asking for the next page, as a cleanup job does.
      if (pages === 1)
        for (const f of res.files) rest('DELETE', `${API}/files/${f.id}`, token(TEACHER));
      pageToken = res.nextPageToken;
    } while (pageToken && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  test('fields without nextPageToken drops the token; default fields are kind, id, name, mimeType', () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'F');
    drive.addFilesToFolder(folder, 3);
    const q = encodeURIComponent(`'${folder}' in parents`);
    expect(
      json(rest('GET', `${API}/files?q=${q}&pageSize=1&fields=files(id)`, token(TEACHER)))
        .nextPageToken,
    ).toBe(undefined);
    const page = json(rest('GET', `${API}/files?q=${q}&pageSize=1`, token(TEACHER)));
    expect(page.nextPageToken).toEqual(expect.any(String));
    expect(Object.keys(page.files[0]).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
    expect(json(rest('GET', `${API}/files?q=${q}&pageSize=1001`, token(TEACHER))).error.code).toBe(
      400,
    );
  });

  test('an invalid q is 400 Invalid Value on parameter q', () => {
    const { token, rest, json } = setup();
    for (const q of [
      "name = 'unterminated",
      "createdTime < 'yesterday'",
      "name < 'a'",
      "bogus = 'x'",
      "'a' in",
    ]) {
      const res = rest('GET', `${API}/files?q=${encodeURIComponent(q)}`, token(TEACHER));
      expect(res.code).toBe(400);
      expect(json(res).error.message).toBe('Invalid Value');
      expect(json(res).error.errors[0]).toMatchObject({
        reason: 'invalid',
        location: 'q',
        locationType: 'parameter',
      });
    }
  });

  test('name contains is prefix matching on words; appProperties has; or / not / parentheses; escapes', () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Words');
    const hello = drive.addFile({ name: 'HelloWorld', parentId: folder });
    const lesson = drive.addFile({
      name: "Valentine's lesson",
      parentId: folder,
      appProperties: { sll: 'recording' },
      mimeType: 'video/mp4',
    });
    const list = (q: string) =>
      json(rest('GET', `${API}/files?q=${encodeURIComponent(q)}`, token(TEACHER)))
        .files.map((f: { id: string }) => f.id)
        .sort();
    expect(list("name contains 'Hello'")).toEqual([hello]);
    expect(list("name contains 'World'")).toEqual([]);
    expect(list("name = 'Valentine\\'s lesson'")).toEqual([lesson]);
    expect(list("appProperties has { key='sll' and value='recording' }")).toEqual([lesson]);
    expect(
      list(
        `'${folder}' in parents and (mimeType = 'video/mp4' or name contains 'hello') and not name = 'x'`,
      ),
    ).toEqual([hello, lesson].sort());
    expect(list(`'${folder}' in parents and mimeType != 'video/mp4'`)).toEqual([hello]);
  });

  test('10,000 files: a q over the folder pages through quickly', () => {
    const { drive, token, rest, json } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Archive');
    drive.addFilesToFolder(folder, 10_000, (i) => ({
      createdTime: Date.parse('2025-01-01T00:00:00Z') + i * 3_600_000,
    }));
    const started = Date.now();
    const q = encodeURIComponent(
      `'${folder}' in parents and createdTime < '2025-12-01T00:00:00Z' and trashed = false`,
    );
    let total = 0;
    let pageToken = '';
    let pages = 0;
    do {
      pages += 1;
      const res = json(
        rest(
          'GET',
          `${API}/files?q=${q}&pageSize=1000${pageToken ? `&pageToken=${pageToken}` : ''}`,
          token(TEACHER),
        ),
      );
      total += res.files.length;
      pageToken = res.nextPageToken ?? '';
    } while (pageToken && pages < 10);
    expect(total).toBe(8016); // 334 days * 24 hours
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('shared drives', () => {
  function withSharedDrive() {
    const ctx = setup();
    const sharedId = ctx.drive.createSharedDrive('Safeguarding', [
      { email: HEAD, role: 'organizer' },
      { email: OFFICE, role: 'fileOrganizer' },
      { email: TEACHER, role: 'writer' },
    ]);
    return { ...ctx, sharedId };
  }

  test('only the owner may move a My Drive file into a shared drive; afterwards the drive owns it', () => {
    const { drive, token, rest, json, sharedId } = withSharedDrive();
    const file = drive.addFile({ name: 'recording.mp4', owner: TEACHER, mimeType: 'video/mp4' });
    drive.share(file, { type: 'user', role: 'writer', emailAddress: HEAD });
    const from = drive.file(file)!.parents[0];
    const move = (user: string) =>
      rest(
        'PATCH',
        `${API}/files/${file}?addParents=${sharedId}&removeParents=${from}&supportsAllDrives=true&fields=id,owners,driveId,parents`,
        token(user),
        {},
      );

    const refused = move(HEAD); // an editor of the file, and organizer of the drive
    expect(refused.code).toBe(403);
    expect(json(refused).error.errors[0].reason).toBe('fileWriterTeamDriveMoveInDisabled');
    expect(drive.file(file)!.driveId).toBeUndefined();

    const moved = move(TEACHER); // the owner, a Contributor (writer) of the drive
    expect(moved.code).toBe(200);
    expect(json(moved)).toMatchObject({ id: file, driveId: sharedId, parents: [sharedId] });
    expect(json(moved).owners).toBeUndefined();
    expect(drive.file(file)).toMatchObject({ owners: [], driveId: sharedId });
  });

  test('an owner without write access to the shared drive cannot move into it; folders cannot move in', () => {
    const { drive, token, rest, json, sharedId } = withSharedDrive();
    const pupilFile = drive.addFile({ name: 'p', owner: PUPIL });
    const res = rest(
      'PATCH',
      `${API}/files/${pupilFile}?addParents=${sharedId}&removeParents=root&supportsAllDrives=true`,
      token(PUPIL),
      {},
    );
    expect(res.code).toBe(404); // the drive is invisible to a non-member
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Folder');
    const folderMove = rest(
      'PATCH',
      `${API}/files/${folder}?addParents=${sharedId}&removeParents=root&supportsAllDrives=true`,
      token(TEACHER),
      {},
    );
    expect(json(folderMove).error).toMatchObject({
      code: 403,
      message: 'Moving folders into shared drives is not supported.',
    });
  });

  test('without supportsAllDrives a shared-drive file is 404 File not found, and lists leave it out', () => {
    const { drive, token, rest, json, sharedId } = withSharedDrive();
    const file = drive.addFile({ name: 'in shared', parentId: sharedId });
    const missing = rest('GET', `${API}/files/${file}`, token(TEACHER));
    expect(missing.code).toBe(404);
    expect(json(missing).error).toMatchObject({
      code: 404,
      message: `File not found: ${file}.`,
      errors: [{ reason: 'notFound', location: 'fileId' }],
    });
    expect(rest('GET', `${API}/files/${file}?supportsAllDrives=true`, token(TEACHER)).code).toBe(
      200,
    );

    const q = encodeURIComponent(`'${sharedId}' in parents`);
    expect(json(rest('GET', `${API}/files?q=${q}`, token(TEACHER))).files).toEqual([]);
    expect(
      json(
        rest(
          'GET',
          `${API}/files?q=${q}&includeItemsFromAllDrives=true&supportsAllDrives=true`,
          token(TEACHER),
        ),
      ).files.map((f: { id: string }) => f.id),
    ).toEqual([file]);
    expect(
      json(
        rest(
          'GET',
          `${API}/files?corpora=drive&driveId=${sharedId}&includeItemsFromAllDrives=true&supportsAllDrives=true`,
          token(TEACHER),
        ),
      ).files,
    ).toHaveLength(1);
  });

  test('a Content manager can trash but not permanently delete; a Manager can delete', () => {
    const { drive, token, rest, json, sharedId } = withSharedDrive();
    const file = drive.addFile({ name: 'old recording', parentId: sharedId });
    const refused = rest('DELETE', `${API}/files/${file}?supportsAllDrives=true`, token(OFFICE));
    expect(refused.code).toBe(403);
    expect(json(refused).error.errors[0].reason).toBe('insufficientFilePermissions');
    expect(drive.exists(file)).toBe(true);

    const contributorTrash = rest(
      'PATCH',
      `${API}/files/${file}?supportsAllDrives=true`,
      token(TEACHER),
      { trashed: true },
    );
    expect(contributorTrash.code).toBe(403);
    const trash = rest(
      'PATCH',
      `${API}/files/${file}?supportsAllDrives=true&fields=trashed`,
      token(OFFICE),
      { trashed: true },
    );
    expect(json(trash)).toEqual({ trashed: true });

    const deleted = rest('DELETE', `${API}/files/${file}?supportsAllDrives=true`, token(HEAD));
    expect(deleted.code).toBe(204);
    expect(drive.exists(file)).toBe(false);
  });

  test('drives.create is idempotent per requestId', () => {
    const { token, rest, json } = setup();
    const first = json(
      rest('POST', `${API}/drives?requestId=abc`, token(HEAD), { name: 'Lessons' }),
    );
    const again = json(
      rest('POST', `${API}/drives?requestId=abc`, token(HEAD), { name: 'Lessons' }),
    );
    expect(again.id).toBe(first.id);
    expect(rest('POST', `${API}/drives?requestId=abc`, token(HEAD), { name: 'Other' }).code).toBe(
      409,
    );
    expect(json(rest('GET', `${API}/drives`, token(HEAD))).drives).toEqual([
      { kind: 'drive#drive', id: first.id, name: 'Lessons' },
    ]);
    expect(rest('GET', `${API}/drives/${first.id}`, token(PUPIL)).code).toBe(404);
  });
});

describe('My Drive rules', () => {
  test('only the owner permanently deletes a My Drive file; an editor may rename', () => {
    const { drive, token, rest } = setup();
    const file = drive.addFile({ name: 'notes', owner: TEACHER });
    drive.share(file, { type: 'user', role: 'writer', emailAddress: HEAD });
    expect(rest('DELETE', `${API}/files/${file}`, token(HEAD)).code).toBe(403);
    expect(rest('PATCH', `${API}/files/${file}`, token(HEAD), { name: 'renamed' }).code).toBe(200);
    expect(drive.file(file)!.name).toBe('renamed');
    drive.share(file, { type: 'user', role: 'reader', emailAddress: PUPIL });
    expect(rest('PATCH', `${API}/files/${file}`, token(PUPIL), { name: 'x' }).code).toBe(403);
    expect(rest('DELETE', `${API}/files/${file}`, token(TEACHER)).code).toBe(204);
  });

  test('a second parent is refused: Increasing the number of parents is not allowed', () => {
    const { drive, token, rest, json } = setup();
    const a = drive.ensureMyDriveFolder(TEACHER, 'A');
    const file = drive.addFile({ name: 'f', owner: TEACHER });
    const res = rest('PATCH', `${API}/files/${file}?addParents=${a}`, token(TEACHER), {});
    expect(json(res).error).toMatchObject({ code: 403, errors: [{ reason: 'cannotAddParent' }] });
    const moved = rest(
      'PATCH',
      `${API}/files/${file}?addParents=${a}&removeParents=root`,
      token(TEACHER),
      {},
    );
    expect(moved.code).toBe(200);
    expect(drive.file(file)!.parents).toEqual([a]);
  });

  test('scopes: drive.readonly may list but not update', () => {
    const { drive, token, rest, json } = setup();
    const file = drive.addFile({ name: 'f', owner: TEACHER });
    const readonly = token(TEACHER, ['https://www.googleapis.com/auth/drive.readonly']);
    expect(rest('GET', `${API}/files/${file}`, readonly).code).toBe(200);
    const res = rest('PATCH', `${API}/files/${file}`, readonly, { name: 'x' });
    expect(json(res).error).toMatchObject({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
    });
  });
});

describe('permissions', () => {
  test('link sharing (type anyone) shows in permissions.list; the file opens by id but is not listed', () => {
    const { drive, token, rest, json } = setup();
    const file = drive.addFile({ name: 'lesson.mp4', owner: TEACHER });
    const created = rest('POST', `${API}/files/${file}/permissions`, token(TEACHER), {
      type: 'anyone',
      role: 'reader',
    });
    expect(json(created)).toMatchObject({
      kind: 'drive#permission',
      id: 'anyoneWithLink',
      type: 'anyone',
      role: 'reader',
    });

    const listed = json(
      rest('GET', `${API}/files/${file}/permissions`, token(TEACHER)),
    ).permissions;
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'anyone', role: 'reader' }),
        expect.objectContaining({ type: 'user', role: 'owner', emailAddress: TEACHER }),
      ]),
    );
    expect(rest('GET', `${API}/files/${file}`, token(PUPIL)).code).toBe(200);
    expect(json(rest('GET', `${API}/files`, token(PUPIL))).files).toEqual([]);
    // A reader may not see the detailed permissions.
    expect(rest('GET', `${API}/files/${file}/permissions`, token(PUPIL)).code).toBe(403);

    expect(
      rest('DELETE', `${API}/files/${file}/permissions/anyoneWithLink`, token(TEACHER)).code,
    ).toBe(204);
    expect(rest('GET', `${API}/files/${file}`, token(PUPIL)).code).toBe(404);
  });

  test('sharing with a group gives its members access; the owner permission cannot be removed', () => {
    const { kernel, drive, token, rest, json } = setup();
    kernel.directory.addGroup('class-7a@school.org', [PUPIL]);
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Class 7A');
    const inside = drive.addFile({ name: 'worksheet', parentId: folder });
    rest('POST', `${API}/files/${folder}/permissions`, token(TEACHER), {
      type: 'group',
      role: 'reader',
      emailAddress: 'class-7a@school.org',
    });
    expect(drive.canRead(PUPIL, inside)).toBe(true); // inherited from the folder
    expect(drive.canEdit(PUPIL, inside)).toBe(false);
    const owner = drive.permissionsOf(folder).find((p) => p.role === 'owner')!;
    const res = rest('DELETE', `${API}/files/${folder}/permissions/${owner.id}`, token(TEACHER));
    expect(json(res).error.errors[0].reason).toBe('cannotRemoveOwner');
  });
});

describe('advanced service', () => {
  test('Drive.Files.* run as the effective user and fail as GoogleJsonResponseException', () => {
    const { kernel, drive, asUser } = setup();
    const Drive = drive.advancedService();
    const result = asUser(TEACHER, () => {
      const folder = Drive.Files.create({ name: 'Made', mimeType: FOLDER_MIME });
      const child = Drive.Files.create({ name: 'child', parents: [folder.id!] });
      const file = Drive.Files.get(child.id!, { fields: 'id,parents,owners' });
      const listed = Drive.Files.list({ q: `'${folder.id}' in parents`, fields: 'files(id,name)' });
      return { folder, file, listed };
    });
    expect(result.ok).toBe(true);
    expect(result.value!.file.owners![0]!.emailAddress).toBe(TEACHER);
    expect(result.value!.listed.files).toEqual([{ id: result.value!.file.id, name: 'child' }]);
    expect(kernel.calls.count('drive.files.create')).toBe(2);

    const failed = asUser(TEACHER, () => Drive.Files.get('nope'));
    expect(failed.error).toMatchObject({
      name: 'GoogleJsonResponseException',
      message: 'API call to drive.files.get failed with error: File not found: nope.',
      details: { code: 404 },
    });
  });
});

describe('batch', () => {
  function batchBody(boundary: string, fileIds: string[]): string {
    return `${fileIds
      .map(
        (id, i) =>
          `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${i + 1}>\r\n\r\nDELETE /drive/v3/files/${id}?supportsAllDrives=true HTTP/1.1\r\n\r\n`,
      )
      .join('')}--${boundary}--`;
  }

  function parseParts(
    response: SimHttpResponse,
  ): { contentId: string; status: number; body: string }[] {
    const boundary = /boundary=(\S+)/.exec(response.headers['Content-Type']!)![1]!;
    return response.body
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => ({
        contentId: /Content-ID: (\S+)/.exec(part)![1]!,
        status: Number(/HTTP\/1\.1 (\d{3})/.exec(part)![1]),
        body: part
          .split(/\r\n\r\n/)
          .slice(2)
          .join('\r\n\r\n')
          .trim(),
      }));
  }

  test('three deletes in one request answer three parts; the batch and each part are counted', () => {
    const { kernel, drive, token, rest } = setup();
    const ids = [1, 2, 3].map((i) => drive.addFile({ name: `r${i}`, owner: TEACHER }));
    const res = rest(
      'POST',
      'https://www.googleapis.com/batch/drive/v3',
      token(TEACHER),
      batchBody('b1', ids),
      'multipart/mixed; boundary=b1',
    );
    expect(res.code).toBe(200);
    const parts = parseParts(res);
    expect(parts.map((p) => [p.contentId, p.status])).toEqual([
      ['<response-item1>', 204],
      ['<response-item2>', 204],
      ['<response-item3>', 204],
    ]);
    expect(ids.some((id) => drive.exists(id))).toBe(false);
    expect(kernel.calls.count('drive.batch')).toBe(4); // the batch + its 3 parts (prefix count)
    expect(kernel.calls.snapshot()).toMatchObject({
      'drive.batch': 1,
      'drive.batch.part.files.delete': 3,
    });
  });

  test('an injected fault fails only its part', () => {
    const { kernel, drive, token, rest } = setup();
    const ids = [1, 2, 3].map((i) => drive.addFile({ name: `r${i}`, owner: TEACHER }));
    kernel.faults.inject({ match: 'drive.batch.part.files.delete', kind: 500, times: 1 });
    const parts = parseParts(
      rest(
        'POST',
        'https://www.googleapis.com/batch/drive/v3',
        token(TEACHER),
        batchBody('b2', ids),
        'multipart/mixed; boundary=b2',
      ),
    );
    expect(parts.map((p) => p.status)).toEqual([500, 204, 204]);
    expect(JSON.parse(parts[0]!.body).error.code).toBe(500);
    expect(ids.map((id) => drive.exists(id))).toEqual([true, false, false]);
  });

  test('a part for a missing file is that part’s 404; more than 100 parts is a 400', () => {
    const { drive, token, rest, json } = setup();
    const id = drive.addFile({ name: 'r', owner: TEACHER });
    const parts = parseParts(
      rest(
        'POST',
        'https://www.googleapis.com/batch/drive/v3',
        token(TEACHER),
        batchBody('b3', [id, 'gone']),
        'multipart/mixed; boundary=b3',
      ),
    );
    expect(parts.map((p) => p.status)).toEqual([204, 404]);
    expect(JSON.parse(parts[1]!.body).error.message).toBe('File not found: gone.');

    const many = Array.from({ length: 101 }, (_, i) => `f${i}`);
    const res = rest(
      'POST',
      'https://www.googleapis.com/batch/drive/v3',
      token(TEACHER),
      batchBody('b4', many),
      'multipart/mixed; boundary=b4',
    );
    expect(res.code).toBe(400);
    expect(json(res).error.code).toBe(400);
  });
});

describe('DriveApp subset', () => {
  test('iterating a folder counts a call per next(); setTrashed is the owner’s', () => {
    const { kernel, drive, asUser } = setup();
    const folder = drive.ensureMyDriveFolder(TEACHER, 'Recordings');
    const ids = drive.addFilesToFolder(folder, 5);
    drive.addFile({ name: 'sub', parentId: folder, mimeType: FOLDER_MIME });
    const DriveApp = drive.driveAppGlobal();
    const run = asUser(TEACHER, () => {
      const files = DriveApp.getFolderById(folder).getFiles();
      const seen: string[] = [];
      while (files.hasNext()) {
        const file = files.next();
        file.getDateCreated();
        file.setTrashed(true);
        seen.push(file.getId());
      }
      return seen;
    });
    expect(run.value).toEqual(ids);
    expect(kernel.calls.snapshot()).toMatchObject({
      'driveapp.getFolderById': 1,
      'driveapp.folder.getFiles': 1,
      'driveapp.files.next': 5,
      'driveapp.file.getDateCreated': 5,
      'driveapp.file.setTrashed': 5,
    });
    expect(ids.every((id) => drive.file(id)!.trashed)).toBe(true);

    const denied = asUser(HEAD, () => DriveApp.getFolderById(folder));
    expect(denied.error).toMatchObject({ name: 'Exception' });
  });
});
