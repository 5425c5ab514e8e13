// Is a Meet participant one of the school's accounts (R14, R22)? The Admin SDK Directory
// answers for the domain (domain_public view, readable without admin rights); any
// other account is from outside the school. Answers are cached for six hours; many
// accounts are looked up in one parallel round, and an account the directory could not
// answer for (403, 429, 5xx) is reported as such, never guessed.
// doc: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/get

import { isFailure, ServiceFailure } from '../core/errors';
import type { SchoolDirectory } from '../core/ports';
import type { Credentials } from './credentials';
import { query, RestClient } from './rest-client';

const CACHE_SECONDS = 6 * 3600;
const OUTSIDE = '-';

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
    const out = new Map<string, string | null | Error>();
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return out;
    const hits = this.cache.getAll(ids.map((id) => `dir:${id}`));
    const missing: string[] = [];
    for (const id of ids) {
      const hit = hits[`dir:${id}`];
      if (hit) out.set(id, hit === OUTSIDE ? null : hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const token = this.credentials.token(this.credentials.self());
    const answers = this.rest.jsonAll<{ primaryEmail?: string }>(
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
      const email =
        answer instanceof ServiceFailure ? null : (answer.primaryEmail?.toLowerCase() ?? null);
      out.set(id, email);
      keep[`dir:${id}`] = email ?? OUTSIDE;
    });
    if (Object.keys(keep).length > 0) this.cache.putAll(keep, CACHE_SECONDS);
    return out;
  }
}
