// Is a Meet participant one of the school's accounts (R14, R22)? The Admin SDK Directory
// answers for the domain (domain_public view, readable without admin rights); any
// other account is from outside the school. Answers are cached for six hours; many
// accounts are looked up in one parallel round, and an account the directory could not
// answer for (403, 429, 5xx) is reported as such, never guessed. Named staff are looked up
// by email, for their account id, so they are known in a call whatever the directory says
// later (R11).
// doc: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/get
// ("userKey: Identifies the user in the API request. The value can be the user's primary
// email address, alias email address, or unique user ID.")

import { isFailure, ServiceFailure } from '../core/errors';
import type { SchoolDirectory } from '../core/ports';
import type { Credentials } from './credentials';
import { query, RestClient } from './rest-client';

/** CacheService keeps a value at most six hours. */
const CACHE_SECONDS = 6 * 3600;
const OUTSIDE = '-';

interface DirectoryUser {
  id?: string;
  primaryEmail?: string;
}

export class AdminDirectory implements SchoolDirectory {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
    private readonly cache: GoogleAppsScript.Cache.Cache,
  ) {}

  schoolAccount(userId: string): string | null {
    const answer = this.lookup([userId]).get(userId);
    if (answer instanceof Error) throw answer;
    return answer ?? null;
  }

  lookup(userIds: readonly string[]): Map<string, string | null | Error> {
    return this.cached(userIds, 'dir:', (user) => user.primaryEmail?.toLowerCase() ?? null);
  }

  accountIds(emails: readonly string[]): Map<string, string | null | Error> {
    return this.cached(
      emails.map((e) => e.toLowerCase()),
      'dirid:',
      (user) => user.id ?? null,
    );
  }

  /** users.get for each key not in the cache, in one parallel round; 404 means "not ours". */
  private cached(
    keys: readonly string[],
    prefix: string,
    pick: (user: DirectoryUser) => string | null,
  ): Map<string, string | null | Error> {
    const out = new Map<string, string | null | Error>();
    const ids = [...new Set(keys)];
    if (ids.length === 0) return out;
    const hits = this.cache.getAll(ids.map((id) => prefix + id));
    const missing: string[] = [];
    for (const id of ids) {
      const hit = hits[prefix + id];
      if (hit) out.set(id, hit === OUTSIDE ? null : hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    let token: string;
    try {
      token = this.credentials.token(this.credentials.self());
    } catch (error) {
      if (!(error instanceof ServiceFailure)) throw error;
      for (const id of missing) out.set(id, error);
      return out;
    }
    const answers = this.rest.jsonAll<DirectoryUser>(
      RestClient.build(missing, (id) => ({
        method: 'get',
        url: `https://admin.googleapis.com/admin/directory/v1/users/${encodeURIComponent(id)}${query({ viewType: 'domain_public' })}`,
        token,
      })),
    );
    const keep: Record<string, string> = {};
    missing.forEach((id, i) => {
      const answer = answers[i]!;
      if (answer instanceof ServiceFailure && !isFailure(answer, 'gone')) {
        out.set(id, answer);
        return;
      }
      // 404: no such user in the school's domain, so the account is from outside.
      const value = answer instanceof ServiceFailure ? null : pick(answer);
      out.set(id, value);
      keep[prefix + id] = value ?? OUTSIDE;
      // One answer says both ways round: account id to email, and email to account id.
      if (!(answer instanceof ServiceFailure) && answer.id && answer.primaryEmail) {
        keep[`dir:${answer.id}`] = answer.primaryEmail.toLowerCase();
        keep[`dirid:${answer.primaryEmail.toLowerCase()}`] = answer.id;
      }
    });
    if (Object.keys(keep).length > 0) this.cache.putAll(keep, CACHE_SECONDS);
    return out;
  }
}
