// The recordings jobs' small state, in script properties (shared by every execution, one
// read for all): lessons waiting for their recordings, lessons finished (remembered compactly,
// by day, only while lessons stay in the store), holds, the hold events waiting to reach the
// log, the purge's checkpoint, the tally of lessons recorded or not (setup's health check),
// and when each alert was last sent. Callers hold the script lock around read-modify-writes.
// doc: https://developers.google.com/apps-script/guides/services/quotas (9 KB a value, 500 KB a store)

import type { Hold, HoldEvent, PurgeCheckpoint, RecordingsState } from '../core/ports';
import { type CollectionEntry, EMPTY_TALLY, type RecordingTally } from '../core/recording';

const QUEUE = 'recq:';
const FINISHED = 'recdone:';
const HOLD = 'hold:';
const HOLD_EVENT = 'holdq:';
const INFLIGHT = 'purge:inflight';
const GONE = 'purge:gone';
const TALLY = 'rectally';
const ALERT = 'recalert:';
const SHOWN_RETENTION = 'recshown:retention';
/** Below the 9 KB value limit, with room for one more id. */
const CHUNK_CHARS = 8_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

function ids(value: string | null | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

export class PropertyRecordingsState implements RecordingsState {
  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  private all(): Record<string, string> {
    return this.props.getProperties();
  }

  pending(): CollectionEntry[] {
    return Object.entries(this.all())
      .filter(([k]) => k.startsWith(QUEUE))
      .map(([, v]) => JSON.parse(v) as CollectionEntry)
      .sort((a, b) => a.nextCheck - b.nextCheck);
  }

  known(): Set<string> {
    const out = new Set<string>();
    for (const [key, value] of Object.entries(this.all())) {
      if (key.startsWith(QUEUE)) out.add(key.slice(QUEUE.length));
      else if (key.startsWith(FINISHED)) for (const id of ids(value)) out.add(id);
    }
    return out;
  }

  put(entry: CollectionEntry): void {
    this.props.setProperty(QUEUE + entry.lessonId, JSON.stringify(entry));
  }

  finish(entry: CollectionEntry): void {
    const prefix = `${FINISHED}${day(entry.start)}:`;
    const everything = this.all();
    let n = 0;
    while ((everything[prefix + n]?.length ?? 0) + entry.lessonId.length + 1 > CHUNK_CHARS) n += 1;
    const key = prefix + n;
    const list = ids(everything[key]);
    if (!list.includes(entry.lessonId)) list.push(entry.lessonId);
    this.props.setProperty(key, list.join(','));
    this.props.deleteProperty(QUEUE + entry.lessonId);
  }

  pruneFinished(before: number): void {
    const limit = day(before);
    for (const key of Object.keys(this.all())) {
      if (key.startsWith(FINISHED) && key.slice(FINISHED.length, FINISHED.length + 8) < limit)
        this.props.deleteProperty(key);
    }
  }

  holds(): Map<string, Hold> {
    const out = new Map<string, Hold>();
    for (const [key, value] of Object.entries(this.all()))
      if (key.startsWith(HOLD)) out.set(key.slice(HOLD.length), JSON.parse(value) as Hold);
    return out;
  }

  setHold(hold: Hold): void {
    this.props.setProperty(HOLD + hold.lessonId, JSON.stringify(hold));
  }

  clearHold(lessonId: string): void {
    this.props.deleteProperty(HOLD + lessonId);
  }

  holdEvents(): HoldEvent[] {
    return Object.entries(this.all())
      .filter(([k]) => k.startsWith(HOLD_EVENT))
      .map(([, v]) => JSON.parse(v) as HoldEvent)
      .sort((a, b) => a.at - b.at);
  }

  addHoldEvent(event: HoldEvent): void {
    this.props.setProperty(eventKey(event), JSON.stringify(event));
  }

  holdEventsDone(events: readonly HoldEvent[]): void {
    for (const event of events) this.props.deleteProperty(eventKey(event));
  }

  checkpoint(): PurgeCheckpoint {
    const everything = this.all();
    return { inflight: ids(everything[INFLIGHT]), gone: ids(everything[GONE]) };
  }

  saveCheckpoint(checkpoint: PurgeCheckpoint): void {
    // One write for both, so no moment exists where a file is in neither list.
    const values: Record<string, string> = {};
    if (checkpoint.inflight.length > 0) values[INFLIGHT] = checkpoint.inflight.join(',');
    if (checkpoint.gone.length > 0) values[GONE] = checkpoint.gone.join(',');
    if (Object.keys(values).length > 0) this.props.setProperties(values);
    if (checkpoint.inflight.length === 0) this.props.deleteProperty(INFLIGHT);
    if (checkpoint.gone.length === 0) this.props.deleteProperty(GONE);
  }

  tally(): RecordingTally {
    const raw = this.props.getProperty(TALLY);
    if (!raw) return { ...EMPTY_TALLY };
    try {
      return { ...EMPTY_TALLY, ...(JSON.parse(raw) as Partial<RecordingTally>) };
    } catch {
      return { ...EMPTY_TALLY };
    }
  }

  saveTally(tally: RecordingTally): void {
    this.props.setProperty(TALLY, JSON.stringify(tally));
  }

  lastAlert(key: string): number | null {
    const raw = this.props.getProperty(ALERT + key);
    return raw && Number.isFinite(Number(raw)) ? Number(raw) : null;
  }

  setLastAlert(key: string, at: number): void {
    this.props.setProperty(ALERT + key, String(at));
  }

  shownRetention(): number | null {
    const raw = this.props.getProperty(SHOWN_RETENTION);
    return raw && Number.isInteger(Number(raw)) ? Number(raw) : null;
  }

  setShownRetention(days: number): void {
    this.props.setProperty(SHOWN_RETENTION, String(days));
  }
}

function eventKey(event: HoldEvent): string {
  return `${HOLD_EVENT}${event.at}:${event.lessonId}:${event.action}`;
}
