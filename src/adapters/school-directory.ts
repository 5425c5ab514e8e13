// Is a Meet participant one of the school's accounts (R14)? The Admin SDK Directory
// answers for the domain (domain_public view, readable without admin rights); any
// other account is from outside the school. Answers are cached for a day.
// doc: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/get

import { isFailure } from '../core/errors';
import type { SchoolDirectory } from '../core/ports';
import type { Credentials } from './credentials';
import { query, type RestClient } from './rest-client';

const CACHE_SECONDS = 6 * 3600;
const OUTSIDE = '-';

export class AdminDirectory implements SchoolDirectory {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
    private readonly cache: GoogleAppsScript.Cache.Cache,
  ) {}

  schoolAccount(userId: string): string | null {
    const key = `dir:${userId}`;
    const hit = this.cache.get(key);
    if (hit) return hit === OUTSIDE ? null : hit;
    let email: string | null;
    try {
      const user = this.rest.json<{ primaryEmail?: string }>({
        method: 'get',
        url: `https://admin.googleapis.com/admin/directory/v1/users/${encodeURIComponent(userId)}${query({ viewType: 'domain_public' })}`,
        token: this.credentials.token(this.credentials.self()),
      });
      email = user.primaryEmail?.toLowerCase() ?? null;
    } catch (error) {
      if (!isFailure(error, 'gone')) throw error;
      email = null;
    }
    this.cache.put(key, email ?? OUTSIDE, CACHE_SECONDS);
    return email;
  }
}
