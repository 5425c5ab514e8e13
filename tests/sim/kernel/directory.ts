// The people of the simulated world: a school's domain, its staff and pupils, and
// outsiders. `id` is the numeric Directory / People id that Meet reports as `users/{id}`.

export type SimUserKind = 'staff' | 'pupil' | 'external' | 'service';

export interface SimUser {
  email: string;
  id: string;
  name: string;
  kind: SimUserKind;
}

export class Directory {
  private byEmailMap = new Map<string, SimUser>();
  private byIdMap = new Map<string, SimUser>();
  private groups = new Map<string, Set<string>>();
  private deleted = new Set<string>();
  private nextId = 100_000_000_000_000_000_000n;

  constructor(readonly domain: string) {}

  add(user: Omit<SimUser, 'id'> & { id?: string }): SimUser {
    const email = user.email.toLowerCase();
    if (this.byEmailMap.has(email)) throw new Error(`Directory already has ${email}`);
    this.nextId += 7919n;
    const full: SimUser = { ...user, email, id: user.id ?? this.nextId.toString() };
    this.byEmailMap.set(email, full);
    this.byIdMap.set(full.id, full);
    return full;
  }

  byEmail(email: string): SimUser | undefined {
    return this.byEmailMap.get(email.toLowerCase());
  }

  require(email: string): SimUser {
    const user = this.byEmail(email);
    if (!user) throw new Error(`No simulated user ${email}`);
    return user;
  }

  byId(id: string): SimUser | undefined {
    return this.byIdMap.get(id);
  }

  all(): SimUser[] {
    return [...this.byEmailMap.values()];
  }

  /**
   * An administrator deletes the account (Admin console, Directory, Users, Delete user).
   * doc: https://support.google.com/a/answer/33314
   * assumption: only what delegation sees of it is modelled (the token endpoint refuses the
   * address as `sub`, see auth.ts); the user stays in this map so that rosters, Drive owners and
   * past call participants keep resolving, as Google's restore window keeps them for 20 days.
   */
  markDeleted(email: string): void {
    this.require(email);
    this.deleted.add(email.toLowerCase());
  }

  /** doc: https://support.google.com/a/answer/1397578 (restore a recently deleted user) */
  markRestored(email: string): void {
    this.deleted.delete(email.toLowerCase());
  }

  isDeleted(email: string): boolean {
    return this.deleted.has(email.toLowerCase());
  }

  inDomain(email: string): boolean {
    return email.toLowerCase().endsWith(`@${this.domain}`);
  }

  addGroup(groupEmail: string, members: string[]): void {
    this.groups.set(groupEmail.toLowerCase(), new Set(members.map((m) => m.toLowerCase())));
  }

  groupMembers(groupEmail: string): string[] {
    return [...(this.groups.get(groupEmail.toLowerCase()) ?? [])];
  }

  isGroup(email: string): boolean {
    return this.groups.has(email.toLowerCase());
  }

  /** True when `email` is `principal` or a member of the group `principal`. */
  covers(principal: string, email: string): boolean {
    const p = principal.toLowerCase();
    const e = email.toLowerCase();
    return p === e || (this.groups.get(p)?.has(e) ?? false);
  }
}
