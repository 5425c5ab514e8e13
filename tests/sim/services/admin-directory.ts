// Admin SDK Directory users.get: how the product turns Meet's `users/{id}` into a person
// of the school (a pupil, a member of staff) without holding any admin role.

import { GoogleApiError } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';
import { requireScope } from '../kernel/tokens';

export class SimAdminDirectory {
  private admins = new Set<string>();

  constructor(private readonly kernel: SimKernel) {
    this.register();
  }

  /** World API: make a user a Workspace admin (who may read the full admin view). */
  makeAdmin(email: string): void {
    this.admins.add(email.toLowerCase());
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
