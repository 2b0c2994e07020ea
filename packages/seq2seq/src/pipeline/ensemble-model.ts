import { SeqloomError } from '@seqloom/core';
import { EnsembleStepModel, type StepModel } from '@seqloom/decode';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { TrainedModel } from './trained-model.js';

/** Models that cannot decode together (different tasks or tokenizers); the message names the folders. */
export class EnsembleError extends SeqloomError {
  override readonly name = 'EnsembleError';
}

/** Same vocabulary, special tokens and text handling: the two tokenizer.json objects are equal. */
function sameTokenizer(a: Tokenizer, b: Tokenizer): boolean {
  return a === b || JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON());
}

function checkMembers(models: readonly TrainedModel[]): void {
  if (models.length === 0) throw new EnsembleError('an ensemble needs at least one model');
  const [first] = models;
  for (const m of models.slice(1)) {
    const pair = `${first.dir} and ${m.dir}`;
    if (m.config.model.task !== first.config.model.task) {
      throw new EnsembleError(`${pair} cannot form an ensemble: one is a ${first.config.model.task} model, the other ${m.config.model.task}`);
    }
    if (!sameTokenizer(first.targetTokenizer, m.targetTokenizer)) {
      throw new EnsembleError(
        `${pair} cannot form an ensemble: their target tokenizers differ (${first.targetTokenizer.vocabSize} and ${m.targetTokenizer.vocabSize} tokens); ` +
          'ensemble members must be trained with the same target tokenizer (e.g. --target-tokenizer <file> of one of them)',
      );
    }
    if (first.config.model.task === 'seq2seq' && !sameTokenizer(first.sourceTokenizer, m.sourceTokenizer)) {
      throw new EnsembleError(
        `${pair} cannot form an ensemble: their source tokenizers differ (${first.sourceTokenizer.vocabSize} and ${m.sourceTokenizer.vocabSize} tokens); ` +
          'every member reads the same source ids, so they must share the source tokenizer too',
      );
    }
  }
}

/**
 * Several trained models with the same tokenizers as one {@link TrainedModel}
 * that decodes with an {@link EnsembleStepModel} (per step, the log of the
 * members' mean probability), so every decoder and the text pipeline work on
 * it unchanged. Config, generation defaults and tokenizers are the first
 * member's; the input limit is the smallest; `members` lists all of them and
 * `dispose` frees them all. One model gives that model back.
 */
export function ensembleTrainedModels(models: readonly TrainedModel[]): TrainedModel {
  checkMembers(models);
  if (models.length === 1) return models[0];
  const [first] = models;
  const stepModel = new EnsembleStepModel(models.map((m) => m.stepModel as StepModel<unknown>));
  const ensemble: TrainedModel = {
    ...first,
    dir: models.map((m) => m.dir).join(' + '),
    stepModel,
    inputLimit: Math.min(...models.map((m) => m.inputLimit)),
    members: [...models],
    dispose: () => models.forEach((m) => m.dispose()),
  };
  return ensemble;
}
