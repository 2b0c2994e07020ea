/**
 * The few protocol-buffer encodings an event file needs (varint, 64-bit,
 * length-delimited and 32-bit fields), written in the order they are called:
 * call them in field-number order to get the bytes protobuf's own
 * serializers write.
 */
export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** An unsigned integer field (int64 / enum values ≥ 0) as a varint. */
  varint(field: number, value: number): this {
    this.tag(field, 0);
    return this.rawVarint(value);
  }

  /** A `double` field (wire type 1). */
  double(field: number, value: number): this {
    this.tag(field, 1);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return this.push(bytes);
  }

  /** A `float` field (wire type 5): the value rounded to float32. */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.push(bytes);
  }

  /** A `bytes` field, or an embedded message's encoding (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(value.length);
    return this.push(value);
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** The message written so far. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint: expected a safe integer >= 0, got ${value}`);
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    return this.push(Uint8Array.from(bytes));
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }
}
