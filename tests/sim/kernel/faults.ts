// Fault injection: make a given Google call, or a fraction of calls, fail the way
// Google fails (429, 500, 503), time out, or time out *after* the change was made
// (the response was lost), which is what catches non-idempotent retries.

export type FaultKind = 429 | 500 | 503 | 'timeout' | 'lost-response' | 'exception';

export interface FaultRule {
  /** Call key glob, e.g. `classroom.courses.announcements.delete` or `meet.*`. */
  match: string;
  kind: FaultKind;
  /** Fail this many matching calls, then stop (default: unlimited). */
  times?: number;
  /** Fail each matching call with this probability (default: 1). */
  rate?: number;
}

/** Small deterministic PRNG (mulberry32) so a faulty run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function globMatches(glob: string, key: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(key);
}

export class Faults {
  private rules: (FaultRule & { used: number })[] = [];
  private random: () => number;
  /** Every fault injected, in order: tests and the soak report them. */
  readonly injected: { key: string; kind: FaultKind; at: number }[] = [];

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  inject(rule: FaultRule): this {
    this.rules.push({ ...rule, used: 0 });
    return this;
  }

  /** A fraction of all matching calls fail, each with one of `kinds` chosen at random. */
  rate(rate: number, kinds: FaultKind[] = [429, 500, 'timeout'], match = '*'): this {
    for (const kind of kinds) this.inject({ match, kind, rate: rate / kinds.length });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** Decides whether this call fails, and how. */
  pick(key: string, now: number): FaultKind | undefined {
    for (const rule of this.rules) {
      if (!globMatches(rule.match, key)) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.used += 1;
      this.injected.push({ key, kind: rule.kind, at: now });
      return rule.kind;
    }
    return undefined;
  }
}
