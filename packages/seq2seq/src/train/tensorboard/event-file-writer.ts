import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EVENT_FILE_VERSION, encodeEvent, type TensorBoardEvent } from './event-proto.js';
import { tfRecord } from './tf-record.js';

/** Buffered bytes past which {@link EventFileWriter.add} writes them out without waiting for a flush. */
const FLUSH_BYTES = 1 << 20;

/** The file name TensorBoard looks for (`events.out.tfevents.*`), as TensorFlow's writers name it. */
export function eventFileName(seconds: number, suffix = 'seqloom'): string {
  return `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${suffix}`;
}

/**
 * Writes one TensorBoard event file: a new file in `dir` whose first record
 * is the `file_version` event; later events are buffered in memory and
 * appended with one write per {@link flush}, so logging costs training no
 * file access per step.
 */
export class EventFileWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  private constructor(readonly path: string) {}

  /**
   * Creates the file. When a file of that name exists (another run of this
   * process in the same second), the next second's name is taken, so files
   * sort in the order they were written and none is ever appended to twice.
   */
  static create(dir: string, wallTime: number = Date.now() / 1000): EventFileWriter {
    mkdirSync(dir, { recursive: true });
    const first = tfRecord(encodeEvent({ wallTime, step: 0, content: { fileVersion: EVENT_FILE_VERSION } }));
    for (let seconds = Math.floor(wallTime); ; seconds++) {
      const path = join(dir, eventFileName(seconds));
      try {
        writeFileSync(path, first, { flag: 'wx' });
        return new EventFileWriter(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /** Queues an event (written by the next flush). */
  add(event: TensorBoardEvent): void {
    const record = tfRecord(encodeEvent(event));
    this.pending.push(record);
    this.pendingBytes += record.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Appends the queued events to the file in one write. */
  flush(): void {
    if (this.pending.length === 0) return;
    const bytes = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const record of this.pending) {
      bytes.set(record, at);
      at += record.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    appendFileSync(this.path, bytes);
  }
}
