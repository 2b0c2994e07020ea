import { generate, type StepModel } from '@seqloom/decode';
import type { CheckpointTokenizers } from '../../checkpoint/tokenizer-files.js';
import type { SequenceExample } from '../../data/sequence-example.js';
import type { ModelConfig, TrainableModel } from '../../model-contract.js';
import { markdownTable } from './markdown-table.js';

/** A model that decodes (a Seq2SeqModel, or any TrainableModel with this method). */
interface Decodable {
  asStepModel(): StepModel<unknown>;
}

/** A tokenizer that turns ids back into text (`@seqloom/tokenizer`'s, or any with this method). */
interface Detokenizer {
  decode(ids: number[]): string;
}

const canDecode = (model: object): model is Decodable => typeof (model as Partial<Decodable>).asStepModel === 'function';
const detokenizer = (value: unknown): Detokenizer | null =>
  typeof value === 'object' && value !== null && typeof (value as Partial<Detokenizer>).decode === 'function' ? (value as Detokenizer) : null;

/** Ids as text with `tokenizer`, or as the ids themselves without one. */
function textOf(tokenizer: Detokenizer | null, ids: readonly number[]): string {
  return tokenizer ? tokenizer.decode([...ids]) : ids.join(' ');
}

/** What to decode for one example: the model's input, the reference continuation, and how long an output may be. */
interface Prompt {
  input: number[];
  reference: number[];
}

/**
 * seq2seq: the source, and the target without its stop token. lm: the first
 * half of the window (without the start token) primes the model, the rest of
 * the window is the reference continuation.
 */
function promptOf(example: SequenceExample, config: ModelConfig): Prompt {
  if (config.task !== 'lm') {
    const out = example.targetOut;
    return { input: [...example.source], reference: out.at(-1) === config.eosId ? out.slice(0, -1) : [...out] };
  }
  const cut = Math.max(1, Math.floor(example.targetIn.length / 2));
  const prime = example.targetIn.slice(0, cut).filter((id, i) => !(i === 0 && id === config.bosId));
  const rest = example.targetOut.slice(cut - 1);
  return { input: prime, reference: rest.at(-1) === config.eosId ? rest.slice(0, -1) : [...rest] };
}

/**
 * Greedy outputs for the first `count` validation examples as a Markdown
 * table (input, reference, output), or null when the model cannot decode
 * (it has no `asStepModel`) or there are no examples. A handful of rows
 * decoded in one batch: cheap beside an evaluation over the validation set.
 */
export async function validationExamples(
  model: TrainableModel,
  examples: readonly SequenceExample[],
  count: number,
  tokenizers: CheckpointTokenizers | undefined,
): Promise<string | null> {
  const picked = examples.slice(0, count);
  if (picked.length === 0 || !canDecode(model)) return null;
  const { config } = model;
  const prompts = picked.map((example) => promptOf(example, config));
  const longest = Math.max(...prompts.map((p) => p.reference.length));
  const maxNewTokens = config.task === 'lm' ? Math.max(1, longest) : Math.ceil(longest * 1.5) + 4;
  const results = await generate(
    model.asStepModel(),
    prompts.map((p) => p.input),
    { strategy: 'greedy', maxNewTokens },
  );
  const target = detokenizer(tokenizers?.target);
  const source = config.task === 'lm' ? target : detokenizer(tokenizers?.source ?? tokenizers?.target);
  const rows = results.map((result, i) => {
    const ids = result.best.ids.at(-1) === config.eosId ? result.best.ids.slice(0, -1) : result.best.ids;
    return [textOf(source, prompts[i]!.input), textOf(target, prompts[i]!.reference), textOf(target, ids)];
  });
  const header = config.task === 'lm' ? ['prime', 'reference', 'greedy continuation'] : ['source', 'reference', 'greedy output'];
  return markdownTable(header, rows);
}
