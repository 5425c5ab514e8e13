// Admin SDK Directory users.get: how the product turns Meet's `users/{id}` into a person
// of the school (a pupil, a member of staff) without holding any admin role.

import { GoogleApiError } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';
import { requireScope } from '../kernel/tokens';

/** The directory's own refusals, as users.get answers them. */
export type DirectoryOutage = 403 | 429 | 503;

export class SimAdminDirectory {
  private admins = new Set<string>();
  private outage: {
    status: DirectoryOutage;
    every: number;
    seen: number;
    rateLimited: boolean;
  } | null = null;

  constructor(private readonly kernel: SimKernel) {
    this.register();
  }

  /** World API: make a user a Workspace admin (who may read the full admin view). */
  makeAdmin(email: string): void {
    this.admins.add(email.toLowerCase());
  }

  /**
   * World API: the directory refuses users.get with `status`: every call, or one in `every`
   * (the first of each `every`), until `recover()`.
   * doc: https://developers.google.com/workspace/admin/directory/v1/guides/troubleshoot-error-codes
   * (503 "Service unavailable. Please try again", reason backendError)
   * doc: https://developers.google.com/workspace/admin/directory/v1/limits (the rate limit is
   * "403 userRateLimitExceeded": `rateLimited` gives that 403)
   * assumption: 429 RESOURCE_EXHAUSTED is the generic Google API answer to too many requests;
   * a plain 403 has the wording users.get gives without access ("Not Authorized to access this
   * resource/api"), as for the admin view below.
   */
  refuse(status: DirectoryOutage, options: { every?: number; rateLimited?: boolean } = {}): void {
    this.outage = {
      status,
      every: Math.max(1, options.every ?? 1),
      seen: 0,
      rateLimited: options.rateLimited ?? false,
    };
  }

  recover(): void {
    this.outage = null;
  }

  /** How many users.get calls were refused (world record for tests). */
  refused = 0;

  private refusal(): GoogleApiError | null {
    const outage = this.outage;
    if (!outage) return null;
    const hit = outage.seen % outage.every === 0;
    outage.seen += 1;
    if (!hit) return null;
    this.refused += 1;
    switch (outage.status) {
      case 403:
        return outage.rateLimited
          ? new GoogleApiError(
              'PERMISSION_DENIED',
              'User rate limit exceeded.',
              'userRateLimitExceeded',
            )
          : new GoogleApiError(
              'PERMISSION_DENIED',
              'Not Authorized to access this resource/api',
              'forbidden',
            );
      case 429:
        return new GoogleApiError(
          'RESOURCE_EXHAUSTED',
          'Quota exceeded for quota metric on service admin.googleapis.com',
          'rateLimitExceeded',
        );
      case 503:
        return new GoogleApiError(
          'UNAVAILABLE',
          'Service unavailable. Please try again',
          'backendError',
        );
    }
  }

  /**
   * doc: https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/get
   * userKey is the primary email or the unique id. viewType defaults to admin_view, which
   * only admins may read; other users must ask for domain_public (doc: the same page, and
   * https://developers.google.com/workspace/admin/directory/v1/guides/manage-users#retrieve_users_non_admin).
   */
  private register(): void {
    this.kernel.http.route(
      'GET https://admin.googleapis.com/admin/directory/v1/users/{userKey}',
      'admin.directory.users.get',
      (ctx) => {
        requireScope(ctx.principal, [
          'admin.directory.user',
          'admin.directory.user.readonly',
          'cloud-platform',
        ]);
        const viewType = ctx.query.get('viewType') ?? 'admin_view';
        if (viewType !== 'admin_view' && viewType !== 'domain_public') {
          throw new GoogleApiError(
            'INVALID_ARGUMENT',
            `Invalid value at 'view_type' (type.googleapis.com/google.admin.AdminDirectoryV1.ViewType), "${viewType}"`,
          );
        }
        const refused = this.refusal();
        if (refused) throw refused;
        const caller = ctx.principal.user.toLowerCase();
        if (viewType === 'admin_view' && !this.admins.has(caller)) {
          throw new GoogleApiError(
            'PERMISSION_DENIED',
            'Not Authorized to access this resource/api',
            'forbidden',
          );
        }
        const key = ctx.params.userKey!;
        const directory = this.kernel.directory;
        const user = key.includes('@') ? directory.byEmail(key) : directory.byId(key);
        if (!user || !directory.inDomain(user.email) || user.kind === 'service') {
          throw new GoogleApiError('NOT_FOUND', 'Resource Not Found: userKey', 'notFound');
        }
        const [givenName, ...rest] = user.name.split(' ');
        const json: Record<string, unknown> = {
          kind: 'admin#directory#user',
          id: user.id,
          etag: `"sim-${user.id}"`,
          primaryEmail: user.email,
          name: { givenName: givenName ?? '', familyName: rest.join(' '), fullName: user.name },
        };
        // The admin view adds admin-only fields; the org unit paths are the simulated school's (a choice).
        if (viewType === 'admin_view') {
          Object.assign(json, {
            isAdmin: this.admins.has(user.email),
            suspended: false,
            orgUnitPath: user.kind === 'pupil' ? '/Pupils' : '/Staff',
          });
        }
        return json;
      },
    );
  }
}
