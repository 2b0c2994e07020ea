import type { ElemType, OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-proto.js';

/** Attribute values by name: a number is an int unless listed in `floats`; arrays are ints. */
export type Attributes = Readonly<Record<string, number | readonly number[] | string | readonly string[]>>;

/**
 * Builds one ONNX graph in SSA form: every node output gets a fresh name
 * (`<prefix>_<n>`) unless one is given; initializers are named weights.
 */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly constants = new Map<string, string>();
  private count = 0;

  constructor(private readonly name: string) {}

  /** A graph input. */
  input(name: string, type: ElemType, shape: readonly (number | string)[], doc?: string): string {
    this.inputs.push({ name, type, shape, ...(doc ? { doc } : {}) });
    return name;
  }

  /** Declares `value` as the graph output `name` (an Identity node renames it when the names differ). */
  output(value: string, name: string, type: ElemType, shape: readonly (number | string)[], doc?: string): void {
    if (value !== name) this.op('Identity', [value], {}, [name]);
    this.outputs.push({ name, type, shape, ...(doc ? { doc } : {}) });
  }

  /** A float32 weight. */
  weight(name: string, data: Float32Array, dims: readonly number[]): string {
    this.initializers.push({ name, type: 'float', dims, data });
    return name;
  }

  /** An int64 constant initializer (shapes, axes, split sizes), shared by equal values. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = `const_i64_${this.constants.size}`;
    this.initializers.push({ name, type: 'int64', dims, data: BigInt64Array.from(values, (v) => BigInt(v)) });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 scalar constant initializer, shared by equal values. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = `const_f32_${this.constants.size}`;
    this.initializers.push({ name, type: 'float', dims: [], data: Float32Array.of(value) });
    this.constants.set(key, name);
    return name;
  }

  /**
   * Adds a node and returns its outputs. `outputs` names them, or gives how
   * many fresh names to make (default 1). Attribute numbers are ints unless
   * their name is in `floats`.
   */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Attributes = {},
    outputs: readonly string[] | number = 1,
    floats: readonly string[] = [],
  ): string[] {
    const id = this.count++;
    const names =
      typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}_${id}${outputs > 1 ? `_${i}` : ''}`) : [...outputs];
    const attrs: OnnxAttribute[] = Object.entries(attributes).map(([name, value]): OnnxAttribute => {
      if (typeof value === 'string') return { name, kind: 'string', value };
      if (typeof value === 'number') return floats.includes(name) ? { name, kind: 'float', value } : { name, kind: 'int', value };
      if (value.every((v) => typeof v === 'string')) return { name, kind: 'strings', value: value as readonly string[] };
      return { name, kind: 'ints', value: value as readonly number[] };
    });
    this.nodes.push({ name: `${opType}_${id}`, opType, inputs, outputs: names, attributes: attrs });
    return names;
  }

  /** A node with one output. */
  op1(opType: string, inputs: readonly string[], attributes: Attributes = {}, floats: readonly string[] = []): string {
    return this.op(opType, inputs, attributes, 1, floats)[0]!;
  }

  build(doc?: string): OnnxGraph {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs, ...(doc ? { doc } : {}) };
  }
}
