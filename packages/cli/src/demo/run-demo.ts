import { loadCmudictSubset, pronunciationPairs } from '@seqloom/datasets';
import {
  evaluateTrainedModel,
  generateTexts,
  loadTrainedModel,
  prepareTrainingData,
  Seq2SeqModel,
  type TrainedModel,
  train,
  validateModelConfig,
} from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { seqloomCommand } from '../install-location.js';
import { startBackend } from '../options/backend-options.js';
import { createProgressReporter } from '../progress/create-progress-reporter.js';
import { formatDuration } from '../progress/progress-events.js';
import { resolvePath } from '../text-inputs.js';
import { demoProgressCallbacks, evaluationSummary } from './demo-progress.js';
import { DEMO_WORDS } from './demo-words.js';
import { freeFolder } from './free-folder.js';

/** The demo's fixed data: 20,000 training words, 300 for validation, 500 for the test. */
const SUBSET = { train: 20_000, valid: 300, test: 500 };

async function trainDemoModel(ctx: CommandContext, out: string): Promise<{ aborted: boolean; test: ReturnType<typeof loadCmudictSubset>['test'] }> {
  const subset = loadCmudictSubset(SUBSET);
  const data = await prepareTrainingData({
    data: { train: pronunciationPairs(subset.train), valid: pronunciationPairs(subset.valid) },
    sourceTokenizer: 'char',
    targetTokenizer: 'word',
  });
  ctx.out.info(
    `data: CMUdict subset, ${subset.train.length} training words (${data.train.length} pronunciations), ${subset.valid.length} validation, ${subset.test.length} test`,
  );
  const seed = ctx.options.seed as number;
  const modelConfig = validateModelConfig({
    task: 'seq2seq',
    cell: 'lstm',
    hiddenSize: 128,
    embeddingSize: 64,
    bidirectional: true,
    attention: 'general',
    inputFeeding: false, // as the G2P recipe: each step is cheaper, so the minutes hold more of them
    sourceVocabSize: data.sourceTokenizer.vocabSize,
    sourcePadId: data.sourceTokenizer.padId,
    targetVocabSize: data.targetTokenizer.vocabSize,
    padId: data.targetTokenizer.padId,
    bosId: data.targetTokenizer.bosId,
    eosId: data.targetTokenizer.eosId,
  });
  const minutes = ctx.options.minutes as number;
  ctx.out.info(`model: bidirectional LSTM encoder-decoder with attention, hidden 128; training for ${formatDuration(minutes * 60)}`);
  const reporter = createProgressReporter(ctx.io, { quiet: ctx.out.quiet, logJson: ctx.out.logJson, intervalMs: 15_000 });
  reporter.start({ maxMinutes: minutes });
  const { callbacks, evaluations } = demoProgressCallbacks(reporter, ctx.out.logJson);
  try {
    const summary = await train({
      createModel: (config) => Seq2SeqModel.create(config, { seed }),
      modelConfig,
      train: data.train,
      valid: data.valid,
      outDir: out,
      seed,
      batchSize: 32,
      epochs: 1000,
      maxMinutes: minutes,
      evalEvery: 150,
      optimizer: { type: 'adam', learningRate: 0.005 },
      // as the G2P recipe: a short warmup, then a cosine down over the time budget; label smoothing 0.1
      schedule: { type: 'cosine', warmupSteps: 100, minLearningRate: 5e-5, totalMinutes: minutes },
      labelSmoothing: 0.1,
      clipNorm: 5,
      tokenizers: { target: data.targetTokenizer, source: data.sourceTokenizer },
      generation: { strategy: 'greedy', maxNewTokens: 32 },
      signal: ctx.signal,
      ...callbacks,
    });
    reporter.finish();
    summary.model.dispose();
    ctx.out.info(`trained ${summary.steps} steps in ${formatDuration(summary.elapsedMs / 1000)}`);
    ctx.out.info(evaluationSummary(evaluations) ?? `validation: best loss ${summary.bestValidLoss?.toFixed(4) ?? 'n/a'}`);
    return { aborted: summary.stopReason === 'aborted', test: subset.test };
  } finally {
    reporter.finish();
  }
}

async function showWords(ctx: CommandContext, trained: TrainedModel, words: string[]): Promise<Record<string, unknown>[]> {
  const seed = ctx.options.seed as number;
  const greedy = await generateTexts(trained, words, { strategy: 'greedy' });
  const beam = await generateTexts(trained, words, { strategy: 'beam', beamWidth: 5, numReturn: 3 });
  const sampled = await generateTexts(trained, words, { strategy: 'sample', temperature: 0.8, numReturn: 3, seed });
  return words.map((word, i) => ({
    word,
    greedy: greedy[i].text,
    beam: beam[i].nBest.map((h) => ({ text: h.text, score: h.score })),
    sample: sampled[i].nBest.map((h) => h.text),
  }));
}

/** Runs `seqloom demo`. */
export async function runDemo(ctx: CommandContext): Promise<number> {
  const out = await freeFolder(resolvePath(ctx.io, ctx.options.out as string));
  const backend = await startBackend(ctx.options);
  ctx.out.info(`seqloom demo: grapheme-to-phoneme (spelling → ARPAbet phonemes) on CMUdict; backend ${backend}`);
  const { aborted, test } = await trainDemoModel(ctx, out);
  if (aborted) {
    ctx.out.result(`interrupted; the model so far is in ${out} (continue with: ${seqloomCommand()} train --resume ${out} --data cmudict)`);
    return EXIT.interrupted;
  }
  const trained = await loadTrainedModel(out);
  try {
    const report = await evaluateTrainedModel(
      trained,
      { task: 'seq2seq', examples: test.map((e) => ({ source: e.word, targets: e.pronunciations })) },
      { batchSize: 100 },
    );
    const words = (ctx.options.words as string[] | undefined) ?? DEMO_WORDS;
    const shown = await showWords(
      ctx,
      trained,
      words.map((w) => w.toLowerCase()),
    );
    const s = report.scores!;
    if (ctx.out.logJson) {
      ctx.out.json({
        event: 'demo',
        model: out,
        test: { words: report.examples, exactMatch: s.exactMatch.accuracy, phonemeErrorRate: s.tokenErrorRate?.rate, loss: report.loss },
        words: shown,
      });
      return EXIT.ok;
    }
    const lines = [
      '',
      `test set (${report.examples} unseen words, greedy): word accuracy ${(100 * s.exactMatch.accuracy).toFixed(1)}% ` +
        `(word error rate ${(100 * (1 - s.exactMatch.accuracy)).toFixed(1)}%), phoneme error rate ${(100 * (s.tokenErrorRate?.rate ?? 0)).toFixed(1)}%`,
      '',
    ];
    for (const w of shown) {
      const beam = (w.beam as { text: string; score: number }[]).map((h) => `${h.text} (${h.score.toFixed(2)})`).join(' | ');
      lines.push(`${w.word as string}`, `  greedy   ${w.greedy as string}`, `  beam     ${beam}`, `  sampled  ${(w.sample as string[]).join(' | ')}`);
    }
    lines.push('', `model saved in ${out}`, `try: ${seqloomCommand()} generate --model ${out} --decoder beam --n-best 3 <word>`);
    ctx.out.result(lines.join('\n'));
    return EXIT.ok;
  } finally {
    trained.dispose();
  }
}
