// Fault injection: make a given Google call, or a fraction of calls, fail the way
// Google fails (429, 500, 503), time out, or lose the answer *after* the change was made,
// which is what catches non-idempotent retries. A lost answer comes two ways: the client
// times out ('lost-response': UrlFetchApp throws after its deadline, and a fetchAll loses
// every answer of its round) or Google answers 504 DEADLINE_EXCEEDED although the change was
// made ('lost-answer': one request's answer, the others in the round are unaffected).
// doc: https://cloud.google.com/apis/design/errors (504 DEADLINE_EXCEEDED)
// doc: https://grpc.github.io/grpc/core/md_doc_statuscodes.html ("For operations that change the
// state of the system, this error may be returned even if the operation has completed successfully")

export type FaultKind = 429 | 500 | 503 | 'timeout' | 'lost-response' | 'lost-answer' | 'exception';

export interface FaultRule {
  /** Call key glob, e.g. `classroom.courses.announcements.delete` or `meet.*`. */
  match: string;
  kind: FaultKind;
  /**
   * Only requests whose URL holds this (UrlFetchApp's requests only), e.g. one conference's
   * `conferenceRecords/abc/participants`: one class's look fails, not the others'.
   */
  target?: string;
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

  /** Decides whether this call fails, and how (`target`: the request's URL, where there is one). */
  pick(key: string, now: number, target?: string): FaultKind | undefined {
    for (const rule of this.rules) {
      if (!globMatches(rule.match, key)) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.target !== undefined && !target?.includes(rule.target)) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.used += 1;
      this.injected.push({ key, kind: rule.kind, at: now });
      return rule.kind;
    }
    return undefined;
  }
}
