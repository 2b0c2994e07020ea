import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A reader of TensorBoard event files written independently of seqloom's
 * writer (bitwise CRC-32C, a generic protobuf field walk), to check what the
 * writer wrote.
 */

/** One summary value: a scalar, or a text tensor with its plugin name. */
export interface ReadValue {
  tag: string;
  scalar?: number;
  text?: string;
  plugin?: string;
}

export interface ReadEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  sessionStatus?: number;
  values: ReadValue[];
}

function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const masked = (data: Uint8Array) => {
  const crc = crc32cBitwise(data);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
};

/** The records of a TFRecord file; throws on a bad length or CRC. */
export function readRecords(data: Uint8Array): Uint8Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at < data.length; ) {
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== masked(data.subarray(at, at + 8))) throw new Error(`bad length CRC at byte ${at}`);
    const body = data.subarray(at + 12, at + 12 + length);
    if (body.length !== length || view.getUint32(at + 12 + length, true) !== masked(body)) throw new Error(`bad data CRC at byte ${at}`);
    records.push(body);
    at += 16 + length;
  }
  return records;
}

type Field = { field: number; varint?: number; fixed64?: DataView; fixed32?: DataView; bytes?: Uint8Array };

/** The fields of a protobuf message, in order. */
function fields(data: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = data[at++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < data.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    const view = (n: number) => new DataView(data.buffer, data.byteOffset + (at += n) - n, n);
    if (wire === 0) out.push({ field, varint: varint() });
    else if (wire === 1) out.push({ field, fixed64: view(8) });
    else if (wire === 5) out.push({ field, fixed32: view(4) });
    else if (wire === 2) {
      const length = varint();
      out.push({ field, bytes: data.subarray(at, (at += length)) });
    } else throw new Error(`wire type ${wire} at byte ${at}`);
  }
  return out;
}

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const first = (list: Field[], n: number) => list.find((f) => f.field === n);

function readValue(data: Uint8Array): ReadValue {
  const f = fields(data);
  const value: ReadValue = { tag: text(first(f, 1)?.bytes) };
  const simple = first(f, 2)?.fixed32;
  if (simple) value.scalar = simple.getFloat32(0, true);
  const tensor = first(f, 8)?.bytes;
  if (tensor) value.text = text(first(fields(tensor), 8)?.bytes);
  const metadata = first(f, 9)?.bytes;
  const pluginData = metadata && first(fields(metadata), 1)?.bytes;
  if (pluginData) value.plugin = text(first(fields(pluginData), 1)?.bytes);
  return value;
}

/** The events of one file (Event: wall_time 1, step 2, file_version 3, summary 5, session_log 7). */
export function readEventFile(path: string): ReadEvent[] {
  return readRecords(readFileSync(path)).map((record) => {
    const f = fields(record);
    const event: ReadEvent = { wallTime: first(f, 1)?.fixed64?.getFloat64(0, true) ?? 0, step: first(f, 2)?.varint ?? 0, values: [] };
    const version = first(f, 3)?.bytes;
    if (version) event.fileVersion = text(version);
    const summary = first(f, 5)?.bytes;
    if (summary)
      event.values = fields(summary)
        .filter((v) => v.field === 1)
        .map((v) => readValue(v.bytes!));
    const session = first(f, 7)?.bytes;
    if (session) event.sessionStatus = first(fields(session), 1)?.varint ?? 0;
    return event;
  });
}

/** The event files of a folder, oldest first (TensorBoard's order: by name). */
export function eventFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('events.out.tfevents.'))
    .sort()
    .map((name) => join(dir, name));
}
