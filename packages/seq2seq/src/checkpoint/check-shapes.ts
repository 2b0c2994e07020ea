import type * as tf from '@tensorflow/tfjs';
import { validateModelConfig } from '../model/config.js';
import { createParams } from '../model/parameters.js';
import { WeightStore } from '../model/weight-store.js';
import type { ModelConfig } from '../model-contract.js';
import { CheckpointError } from './checkpoint-error.js';
import type { CheckedManifest } from './tensor-manifest.js';

/** Weight names and shapes a model configuration implies. */
export type WeightShapes = ReadonlyMap<string, readonly number[]>;

/** A weight store that only records names and shapes: no tensor is allocated. */
class ShapeRecorder extends WeightStore {
  readonly shapes = new Map<string, number[]>();

  override uniform(name: string, shape: number[]): tf.Variable {
    return this.record(name, shape);
  }

  override constant(name: string, shape: number[]): tf.Variable {
    return this.record(name, shape);
  }

  override fromValues(name: string, _values: Float32Array, shape: number[]): tf.Variable {
    return this.record(name, shape);
  }

  private record(name: string, shape: number[]): tf.Variable {
    this.shapes.set(name, [...shape]);
    return { name, shape } as unknown as tf.Variable;
  }
}

/** The weights of a {@link Seq2SeqModel} of `config`, by stable name, computed without allocating them. */
export function seq2seqWeightShapes(config: ModelConfig): WeightShapes {
  const recorder = new ShapeRecorder(0);
  createParams(recorder, validateModelConfig(config), {});
  return recorder.shapes;
}

const SIZE_FIELDS = ['hiddenSize', 'embeddingSize', 'sourceVocabSize', 'targetVocabSize', 'layers'] as const;

/**
 * Bounds every size in config.json by the largest dimension weights.json
 * holds (whose bytes the binary file really has), so that working out the
 * implied shapes cannot itself allocate much.
 */
function checkSizeBounds(config: ModelConfig, manifest: CheckedManifest, configPath: string): void {
  const largest = Math.max(1, ...manifest.specs.flatMap((s) => s.shape));
  for (const field of SIZE_FIELDS) {
    const value = config[field];
    if (value > largest) {
      throw new CheckpointError(
        configPath,
        `model.${field} is ${value}, but no weight in ${manifest.manifestPath} has a dimension above ${largest}; ` +
          'config.json and weights.json come from different models (or one was edited)',
      );
    }
  }
}

const shown = (shape: readonly number[] | undefined) => (shape ? `[${shape.join(', ')}]` : 'none');

/**
 * Checks that the weights config.json implies are exactly those weights.json
 * describes (names and shapes), before any tensor is allocated; the error
 * names both files and the first weight that differs.
 */
export function checkWeightShapes(config: ModelConfig, manifest: CheckedManifest, configPath: string, shapesOf: (config: ModelConfig) => WeightShapes): void {
  checkSizeBounds(config, manifest, configPath);
  let expected: WeightShapes;
  try {
    expected = shapesOf(config);
  } catch (error) {
    throw new CheckpointError(configPath, error instanceof Error ? error.message : String(error));
  }
  const saved = new Map(manifest.specs.map((s) => [s.name, s.shape]));
  const mismatch = (name: string, detail: string) =>
    new CheckpointError(configPath, `does not match ${manifest.manifestPath}: ${detail}; the two files come from different models (or one was edited)`);
  for (const [name, shape] of expected) {
    const found = saved.get(name);
    if (found === undefined) throw mismatch(name, `the model needs weight "${name}" ${shown(shape)}, which is not there`);
    if (found.length !== shape.length || found.some((d, i) => d !== shape[i])) {
      throw mismatch(name, `weight "${name}" is ${shown(found)} there, config.json implies ${shown(shape)}`);
    }
  }
  const extra = [...saved.keys()].filter((name) => !expected.has(name));
  if (extra.length > 0) throw mismatch(extra[0], `it holds weights the model does not have: ${extra.slice(0, 5).join(', ')}`);
}
