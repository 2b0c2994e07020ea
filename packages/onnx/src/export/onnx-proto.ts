// The few ONNX messages an export needs (onnx/onnx.proto: ModelProto,
// GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto,
// AttributeProto, OperatorSetIdProto) as plain objects, and their encoding.
import { ProtoWriter } from './protobuf-writer.js';

/** TensorProto.DataType values used here. */
export const ELEM = { float: 1, int32: 6, int64: 7 } as const;
export type ElemType = keyof typeof ELEM;

/** A constant tensor (an initializer or a Constant node's value), data stored raw little-endian. */
export interface OnnxTensor {
  name: string;
  type: ElemType;
  dims: readonly number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

/** A node attribute: int, ints, float, string or tensor. */
export type OnnxAttribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'strings'; value: readonly string[] }
  | { name: string; kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: readonly OnnxAttribute[];
}

/** A graph input or output: a tensor with a shape whose dimensions are sizes or symbolic names. */
export interface OnnxValueInfo {
  name: string;
  type: ElemType;
  shape: readonly (number | string)[];
  doc?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  doc?: string;
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  graph: OnnxGraph;
  doc?: string;
  /** ModelProto.metadata_props. */
  metadata?: Readonly<Record<string, string>>;
}

// AttributeProto.AttributeType
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, ints: 7, strings: 8 } as const;

function rawBytes(data: OnnxTensor['data']): Uint8Array {
  // typed arrays are little-endian on every platform Node and browsers run on
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`ONNX tensor ${t.name}: dims [${t.dims.join(', ')}] hold ${count} values, got ${t.data.length}`);
  for (const d of t.dims) w.int(1, d); // dims
  w.int(2, ELEM[t.type]); // data_type
  w.string(8, t.name); // name
  w.bytes(9, rawBytes(t.data)); // raw_data
}

function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  w.int(20, ATTRIBUTE_TYPE[a.kind]); // type
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'tensor':
      w.message(5, (m) => writeTensor(m, a.value));
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      break;
    case 'strings':
      for (const v of a.value) w.string(9, v);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, (m) => writeAttribute(m, a));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ELEM[v.type]); // elem_type
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
  if (v.doc) w.string(3, v.doc);
}

function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t));
  if (g.doc) w.string(10, g.doc);
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v));
}

/** The serialized ModelProto (what an `.onnx` file holds). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.doc) w.string(6, model.doc);
  w.message(7, (m) => writeGraph(m, model.graph));
  w.message(8, (m) => m.string(1, '').int(2, model.opsetVersion)); // opset_import: the default domain
  for (const [key, value] of Object.entries(model.metadata ?? {})) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}
