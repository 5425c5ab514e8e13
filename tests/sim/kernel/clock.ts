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

  constructor(start: Date | number) {
    this.nowMs = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.nowMs;
  }

  date(): Date {
    return new Date(this.nowMs);
  }

  /** Moves time forward, running world events (a recording file appearing...) that fall due. */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`SimClock cannot go backwards (${ms} ms)`);
    this.advanceTo(this.nowMs + ms);
  }

  advanceTo(target: number): void {
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
    while (this.events.length > 0 && this.events[0]!.at <= this.nowMs) {
      const event = this.events.shift()!;
      event.run();
    }
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
