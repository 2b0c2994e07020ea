import { generateTexts, streamText, type TextGenerationOptions, type TrainedModel } from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { EXIT, UsageError } from '../cli-error.js';
import { asFlagError, decodeOptionsFromFlags } from '../decode-options-from-flags.js';
import { textInputs, untilAborted } from '../text-inputs.js';
import { loadModelFromOptions } from './load-model.js';
import { generationJson, printGeneration } from './print-generation.js';

/** Where inputs come from, and whether they may be batched (not for streamed stdin). */
function inputsOf(ctx: CommandContext, trained: TrainedModel): { inputs: AsyncIterable<string>; batchable: boolean } {
  const positionals = ctx.positionals.inputs as string[];
  const file = ctx.options.input as string | undefined;
  const prime = ctx.options.prime as string | undefined;
  const isLm = trained.config.model.task === 'lm';
  if (prime !== undefined) {
    if (!isLm) throw new UsageError('--prime is for language models (task lm); this model is seq2seq: give source texts as inputs');
    if (positionals.length > 0 || file) throw new UsageError('give the prime with --prime or as inputs, not both');
    return { inputs: textInputs(ctx.io, [prime], undefined), batchable: true };
  }
  if (isLm && positionals.length === 0 && !file && ctx.io.stdinIsTTY) {
    return { inputs: textInputs(ctx.io, [''], undefined), batchable: true };
  }
  const reading = { warn: (message: string) => ctx.out.warn(message), signal: ctx.signal };
  return { inputs: textInputs(ctx.io, positionals, file, reading), batchable: positionals.length > 0 || Boolean(file) };
}

async function streamOne(ctx: CommandContext, trained: TrainedModel, input: string, decoding: TextGenerationOptions): Promise<void> {
  for await (const event of streamText(trained, input, decoding)) {
    if (event.type === 'text') ctx.io.stdout.write(event.text);
    else if (ctx.options.json) ctx.io.stdout.write(`\n${JSON.stringify(generationJson(event.generation))}\n`);
    else ctx.io.stdout.write('\n');
  }
}

/** `--attention`: checked against --json and the model. */
function attentionWanted(ctx: CommandContext, trained: TrainedModel): boolean {
  if (!ctx.options.attention) return false;
  if (!ctx.options.json && !ctx.out.logJson) throw new UsageError('--attention adds attention rows to the JSON output: give --json as well');
  const kind = trained.config.model.attention;
  if (kind === 'none') throw new UsageError(`--attention: this model has no attention (attention "none" in ${trained.dir}/config.json)`);
  return true;
}

/** Runs `seqloom generate` (loaded on demand: it pulls in TensorFlow.js). */
export async function runGenerate(ctx: CommandContext): Promise<number> {
  const trained = await loadModelFromOptions(ctx, { onnx: true });
  try {
    const attention = attentionWanted(ctx, trained);
    const decoding: TextGenerationOptions = { ...decodeOptionsFromFlags(ctx.options, ctx.given), signal: ctx.signal, ...(attention ? { attention } : {}) };
    // attention rows are collected on this thread (worker pools return hypotheses without them)
    const batchDecoding: TextGenerationOptions = trained.pool && !attention ? { ...decoding, pool: trained.pool } : decoding;
    const { inputs, batchable } = inputsOf(ctx, trained);
    const batchSize = batchable && !ctx.options.stream ? (ctx.options.batchSize as number) : 1;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = await generateTexts(trained, batch, batchDecoding);
      for (const g of results) printGeneration(ctx.out, g, (ctx.options.json as boolean) || ctx.out.logJson);
      batch = [];
    };
    for await (const input of untilAborted(inputs, ctx.signal)) {
      if (ctx.signal.aborted) break;
      if (ctx.options.stream) {
        await streamOne(ctx, trained, input, decoding);
        continue;
      }
      batch.push(input);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return ctx.signal.aborted ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    throw asFlagError(error);
  } finally {
    await trained.close();
  }
}
