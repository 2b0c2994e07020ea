import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@seqloom/core/node';
import { maskedCrc32c } from './crc32c.js';

/** Event files this writer names (`events.out.tfevents.<seconds>.<host>.<pid>.seqloom`). */
const OWN_FILE = /^events\.out\.tfevents\..+\.seqloom$/;

/** The whole records of a TFRecord file, each as its bytes with its framing; a torn or corrupt tail ends the list. */
function wholeRecords(data: Uint8Array): Uint8Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at + 16 <= data.length; ) {
    const length = Number(view.getBigUint64(at, true));
    const end = at + 16 + length;
    if (view.getUint32(at + 8, true) !== maskedCrc32c(data.subarray(at, at + 8)) || end > data.length) break;
    if (view.getUint32(end - 4, true) !== maskedCrc32c(data.subarray(at + 12, end - 4))) break;
    records.push(data.subarray(at, end));
    at = end;
  }
  return records;
}

/** `Event.step` (field 2, a varint) of an encoded event, 0 when absent. */
export function eventStep(event: Uint8Array): number {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; at < event.length; scale *= 128) {
      const byte = event[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
    }
    return value;
  };
  while (at < event.length) {
    const key = varint();
    const wire = key % 8;
    if (key >>> 3 === 2 && wire === 0) return varint();
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) at += varint();
    else break; // not an event this writer wrote
  }
  return 0;
}

/**
 * Drops, from the event files this writer wrote in `dir`, every event after
 * `step` and any torn tail, as metrics.jsonl drops its records after the step
 * a run resumes from: what an earlier run logged past its last checkpoint is
 * not shown beside what the resumed run logs for the same steps. A file is
 * rewritten only when it changes (a temporary file renamed over it).
 */
export function trimEventFiles(dir: string, step: number): void {
  const names = (() => {
    try {
      return readdirSync(dir).filter((name) => OWN_FILE.test(name));
    } catch {
      return []; // no folder yet
    }
  })();
  for (const name of names) {
    const path = join(dir, name);
    const data = readFileSync(path);
    const records = wholeRecords(data);
    const kept = records.filter((record) => eventStep(record.subarray(12, record.length - 4)) <= step);
    const size = kept.reduce((sum, record) => sum + record.length, 0);
    if (kept.length === records.length && size === data.length) continue;
    writeFileAtomicSync(path, Buffer.concat(kept));
  }
}
