// The safetensors format (Hugging Face), written and read here without a
// dependency: an 8-byte little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {…}}),
// then the raw little-endian tensor bytes, offsets relative to their start.

import { decodeUtf8, SeqloomError, Utf8DecodeError } from '@seqloom/core';

/** A float tensor by shape, row-major. */
export interface NamedTensor {
  shape: readonly number[];
  data: Float32Array;
}

/** A safetensors file is malformed or does not hold the tensors expected; the message names the file and tensor. */
export class SafetensorsError extends SeqloomError {
  override readonly name = 'SafetensorsError';
  constructor(
    override readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`, { file });
  }
}

/** The largest header read (as the reference implementation: 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function floatBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return out;
}

/**
 * Encodes tensors (F32, in the map's order, contiguous) and optional string
 * metadata as a safetensors file. The header is padded with spaces to a
 * multiple of 8 bytes, as the reference writer does.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, NamedTensor>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, tensor] of tensors) {
    const size = tensor.shape.reduce((a, b) => a * b, 1);
    if (size !== tensor.data.length)
      throw new Error(`encodeSafetensors: tensor "${name}" has ${tensor.data.length} values; its shape [${tensor.shape.join(', ')}] needs ${size}.`);
    header[name] = { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, offset + size * 4] };
    offset += size * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const tensor of tensors.values()) {
    out.set(floatBytes(tensor.data), at);
    at += tensor.data.byteLength;
  }
  return out;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** The exact tensors the file must hold, by name and shape (others, missing ones or other shapes are errors). */
  expected?: ReadonlyMap<string, readonly number[]>;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * The names of a JSON object's top-level keys in order, duplicates kept
 * (JSON.parse keeps only the last of a repeated key). `text` is valid JSON.
 */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      let k = j + 1;
      while (/\s/.test(text[k] ?? '')) k++;
      if (depth === 1 && text[k] === ':') keys.push(JSON.parse(text.slice(i, j + 1)) as string);
      i = j;
    }
  }
  return keys;
}

const isDimension = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;

function readHeader(bytes: Uint8Array, file: string): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8)
    throw new SafetensorsError(file, `is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length (is this a safetensors file?)`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES) || Number(declared) > bytes.length - 8) {
    throw new SafetensorsError(
      file,
      `declares a ${declared}-byte header, but ${Math.min(bytes.length - 8, MAX_HEADER_BYTES)} bytes is the most it can hold; the file is truncated or not a safetensors file`,
    );
  }
  const length = Number(declared);
  let text: string;
  let header: unknown;
  try {
    text = decodeUtf8(bytes.subarray(8, 8 + length), `${file} header`);
    header = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Utf8DecodeError ? `${error.detail} of the header` : (error as Error).message;
    throw new SafetensorsError(file, `its header is not valid UTF-8 JSON (${reason}); the file is corrupt or not a safetensors file`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new SafetensorsError(file, 'its header must be a JSON object {"<tensor>": {"dtype", "shape", "data_offsets"}}');
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key)) throw new SafetensorsError(file, `names tensor "${key}" twice in its header; each name must appear once`);
    seen.add(key);
  }
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') metadata = checkMetadata(value, file);
    else entries.push(checkEntry(name, value, file));
  }
  return { entries, metadata, dataStart: 8 + length };
}

function checkMetadata(value: unknown, file: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new SafetensorsError(file, '"__metadata__" must map strings to strings');
  }
  return { ...(value as Record<string, string>) };
}

function checkEntry(name: string, value: unknown, file: string): Entry {
  const spec = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  const offsets = spec?.data_offsets;
  if (
    typeof spec !== 'object' ||
    spec === null ||
    !Array.isArray(spec.shape) ||
    !spec.shape.every(isDimension) ||
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isDimension) ||
    typeof spec.dtype !== 'string'
  ) {
    throw new SafetensorsError(
      file,
      `tensor "${name}": expected {"dtype": "F32", "shape": [non-negative integers], "data_offsets": [begin, end]}, got ${JSON.stringify(value)?.slice(0, 120)}`,
    );
  }
  const [begin, end] = offsets as number[];
  const bytesPer = BYTES[spec.dtype];
  if (bytesPer === undefined) {
    throw new SafetensorsError(
      file,
      `tensor "${name}" has dtype ${spec.dtype}; seqloom reads F32 (and F16, BF16): save float weights (PyTorch: tensor.float())`,
    );
  }
  const size = (spec.shape as number[]).reduce((a, b) => a * b, 1);
  if (end < begin || end - begin !== size * bytesPer) {
    throw new SafetensorsError(
      file,
      `tensor "${name}" spans bytes [${begin}, ${end}), but ${spec.dtype} [${(spec.shape as number[]).join(', ')}] takes ${size * bytesPer}; the header is corrupt`,
    );
  }
  return { name, dtype: spec.dtype, shape: spec.shape as number[], begin, end };
}

/** Offsets must tile the data region exactly: in order, no gap, no overlap, nothing after. */
function checkLayout(entries: Entry[], dataBytes: number, file: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const entry of sorted) {
    if (entry.begin !== at) {
      throw new SafetensorsError(
        file,
        `tensor "${entry.name}" starts at byte ${entry.begin} of the data, expected ${at}: tensors must be contiguous, without gaps or overlaps`,
      );
    }
    at = entry.end;
  }
  if (at !== dataBytes) {
    throw new SafetensorsError(file, `its tensors cover ${at} bytes of data but the file holds ${dataBytes}; the file is truncated or has trailing bytes`);
  }
}

function checkExpected(entries: Entry[], expected: ReadonlyMap<string, readonly number[]>, file: string): void {
  const found = new Map(entries.map((e) => [e.name, e.shape]));
  for (const [name, shape] of expected) {
    const have = found.get(name);
    if (have === undefined)
      throw new SafetensorsError(
        file,
        `lacks tensor "${name}" [${shape.join(', ')}] that the model of config.json needs; the file and config.json come from different models`,
      );
    if (have.length !== shape.length || have.some((d, i) => d !== shape[i])) {
      throw new SafetensorsError(
        file,
        `tensor "${name}" is [${have.join(', ')}], config.json implies [${shape.join(', ')}]; the file and config.json come from different models`,
      );
    }
  }
  const extra = entries.filter((e) => !expected.has(e.name)).map((e) => e.name);
  if (extra.length > 0)
    throw new SafetensorsError(
      file,
      `holds tensors the model of config.json does not have: ${extra
        .slice(0, 5)
        .map((n) => `"${n}"`)
        .join(', ')}`,
    );
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function decodeData(bytes: Uint8Array, dtype: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'F32') {
    if (LITTLE_ENDIAN) return new Float32Array(Uint8Array.prototype.slice.call(bytes).buffer); // a copy (a Buffer's own slice is a view)
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  const out = new Float32Array(bytes.length / 2);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let i = 0; i < out.length; i++) {
    const half = view.getUint16(i * 2, true);
    if (dtype === 'F16') out[i] = halfToFloat(half);
    else {
      bits[0] = half << 16;
      out[i] = asFloat[0];
    }
  }
  return out;
}

/**
 * Reads a safetensors file (untrusted): checks the header length, the JSON,
 * each entry (dtype F32/F16/BF16, shape × dtype size = its bytes), that the
 * data is tiled exactly, that no name repeats and, with `expected`, that the
 * names and shapes are exactly those. F16/BF16 are widened to F32. Every
 * error is a {@link SafetensorsError} naming `file` and the tensor.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  file: string,
  options: DecodeSafetensorsOptions = {},
): { tensors: Map<string, NamedTensor>; metadata: Record<string, string> } {
  const { entries, metadata, dataStart } = readHeader(bytes, file);
  checkLayout(entries, bytes.length - dataStart, file);
  if (options.expected) checkExpected(entries, options.expected, file);
  const tensors = new Map<string, NamedTensor>();
  for (const entry of entries) {
    const data = decodeData(bytes.subarray(dataStart + entry.begin, dataStart + entry.end), entry.dtype);
    tensors.set(entry.name, { shape: entry.shape, data });
  }
  return { tensors, metadata };
}
