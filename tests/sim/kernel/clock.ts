// The simulated clock: time only moves when a test, a Google call's latency or a
// trigger loop moves it, so every timing in the product is reproducible.

export interface ScheduledEvent {
  at: number;
  label: string;
  run: () => void;
}

export class SimClock {
  private nowMs: number;
  private events: ScheduledEvent[] = [];
  /**
   * Time spent inside detached executions (triggers running side by side, as Apps Script
   * runs them): it moves their own "now" without moving the world's, so a slow execution
   * does not delay the next trigger. One entry per detached execution in progress.
   */
  private offsets: number[] = [];

  constructor(start: Date | number) {
    this.nowMs = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.nowMs + (this.offsets[this.offsets.length - 1] ?? 0);
  }

  /** Starts a detached timeline at the current now (nested ones start at their parent's now). */
  detach(): void {
    this.offsets.push(this.offsets[this.offsets.length - 1] ?? 0);
  }

  /** Ends the innermost detached timeline; the world's time is where it was. */
  reattach(): void {
    this.offsets.pop();
  }

  date(): Date {
    return new Date(this.nowMs);
  }

  /** Moves time forward, running world events (a recording file appearing...) that fall due. */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`SimClock cannot go backwards (${ms} ms)`);
    if (this.offsets.length > 0) {
      this.offsets[this.offsets.length - 1]! += ms;
      this.runDue();
      return;
    }
    this.advanceTo(this.nowMs + ms);
  }

  advanceTo(target: number): void {
    if (this.offsets.length > 0)
      throw new Error('SimClock: the world clock cannot be moved inside a detached execution');
    if (target < this.nowMs) throw new Error('SimClock cannot go backwards');
    for (;;) {
      const next = this.nextEventAt();
      if (next === undefined || next > target) break;
      this.nowMs = Math.max(this.nowMs, next);
      this.runDue();
    }
    this.nowMs = target;
  }

  /** A world event at a given simulated time (not an Apps Script execution). */
  schedule(at: number, label: string, run: () => void): void {
    this.events.push({ at, label, run });
    this.events.sort((a, b) => a.at - b.at);
    if (at <= this.nowMs) this.runDue();
  }

  nextEventAt(): number | undefined {
    return this.events[0]?.at;
  }

  pending(): readonly ScheduledEvent[] {
    return this.events;
  }

  private runDue(): void {
    while (this.events.length > 0 && this.events[0]!.at <= this.now()) {
      const event = this.events.shift()!;
      event.run();
    }
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
