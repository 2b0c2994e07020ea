// The seqloom playground: loads the model folder that `seqloom serve` serves
// at ./model/, runs it in the page on the tfjs wasm backend (its .wasm files
// served at ./wasm/), and decodes with the controls of `seqloom generate`.
import { DecodeOptionError } from '@seqloom/decode';
import {
  describeBackend,
  loadTrainedModelFromFiles,
  loadTrainedModelFromUrl,
  setBackend,
  streamText,
  type TextGeneration,
  type TrainedModel,
} from '@seqloom/seq2seq/browser';
import { clearHeatmap, drawHeatmap } from './attention-heatmap.js';
import { controlLabel, fillDecoderControls, readDecoderControls, setupDecoderControls } from './decoder-controls.js';
import { showHypotheses } from './hypotheses-list.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function showError(message: string): void {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

/** An error as one line naming the control at fault where it is a decoding option. */
function describe(error: unknown): string {
  if (error instanceof DecodeOptionError) {
    const option = (error as DecodeOptionError & { option?: string }).option;
    const label = option === undefined ? undefined : controlLabel(option);
    if (label !== undefined) return `${label}: ${error.message.replace(new RegExp(`^${option}: `), '')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Yields to the browser so text streamed so far is painted. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function tokensOf(trained: TrainedModel, ids: readonly number[], side: 'source' | 'target'): string[] {
  const tokenizer = side === 'source' ? trained.sourceTokenizer : trained.targetTokenizer;
  return ids.map((id) => tokenizer.idToToken(id) ?? `#${id}`);
}

function showGeneration(trained: TrainedModel, generation: TextGeneration): void {
  const source = trained.config.model.task === 'lm' ? [] : trained.sourceTokenizer.encode(generation.input);
  showHypotheses($('hypotheses'), generation.nBest, (index) => {
    const chosen = generation.nBest[index]!;
    if (trained.config.model.attention === 'none') return clearHeatmap($('attention'), 'This model has no attention.');
    if (!chosen.attention || chosen.attention.length === 0) return clearHeatmap($('attention'), 'No attention rows for this hypothesis.');
    const stop = chosen.attention.length > chosen.ids.length ? [trained.stepModel.eosId] : [];
    drawHeatmap($('attention'), chosen.attention, tokensOf(trained, source, 'source'), tokensOf(trained, [...chosen.ids, ...stop], 'target'));
  });
}

async function run(trained: TrainedModel): Promise<void> {
  $('error').hidden = true;
  const output = $('output');
  output.textContent = '';
  const started = performance.now();
  const options = { ...readDecoderControls(), attention: trained.config.model.attention !== 'none' };
  for await (const event of streamText(trained, $<HTMLTextAreaElement>('input').value, options)) {
    if (event.type === 'text') {
      output.textContent += event.text;
      await nextFrame();
    } else {
      output.textContent = event.generation.text;
      showGeneration(trained, event.generation);
      const ms = performance.now() - started;
      const count = event.generation.nBest.length;
      $('status').textContent = `${count} ${count === 1 ? 'hypothesis' : 'hypotheses'} in ${ms.toFixed(0)} ms; finish reason ${event.generation.finishReason}`;
      document.body.dataset.firstResultMs ??= performance.now().toFixed(0);
    }
  }
}

function describeModel(trained: TrainedModel, loadMs: number): string {
  const { task, cell, layers, hiddenSize, attention } = trained.config.model;
  const kind = task === 'lm' ? 'language model' : `seq2seq, ${attention === 'none' ? 'no' : attention} attention`;
  return `${kind} · ${layers}×${cell.toUpperCase()} ${hiddenSize} · vocabulary ${trained.targetTokenizer.vocabSize} · ${describeBackend()} · loaded in ${loadMs.toFixed(0)} ms`;
}

/** The model the page runs (replaced when a model folder is picked). */
let current: TrainedModel | undefined;

/** Makes `trained` the page's model: labels, decoder defaults, heatmap note, model line. */
function useModel(trained: TrainedModel, loadMs: number, from: string): void {
  current?.dispose();
  current = trained;
  const lm = trained.config.model.task === 'lm';
  $('input-label').textContent = lm ? 'Prime (text the model continues; may be empty)' : 'Input';
  fillDecoderControls(trained.generation);
  clearHeatmap($('attention'), lm || trained.config.model.attention === 'none' ? 'This model has no attention.' : 'Run the model to see where it looks.');
  $('hypotheses').replaceChildren();
  $('output').textContent = '';
  $('model-info').textContent = `${from}: ${describeModel(trained, loadMs)}`;
}

/** Loads the files of a model folder picked in the page in place of the served one. */
async function pickModel(files: FileList): Promise<void> {
  const started = performance.now();
  const trained = await loadTrainedModelFromFiles(files);
  useModel(trained, performance.now() - started, `picked folder (${files.length} files)`);
}

async function start(): Promise<void> {
  const here = new URL('.', location.href);
  await setBackend('wasm', { wasmPaths: new URL('wasm/', here).href });
  setupDecoderControls();
  useModel(await loadTrainedModelFromUrl(new URL('model/', here)), performance.now(), 'served model');
  const button = $<HTMLButtonElement>('run');
  $('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    run(current!).catch((error) => showError(describe(error))).finally(() => void (button.disabled = false));
  });
  const picker = $<HTMLInputElement>('model-files');
  picker.addEventListener('change', () => {
    if (!picker.files || picker.files.length === 0) return;
    $('error').hidden = true;
    button.disabled = true;
    pickModel(picker.files).catch((error) => showError(describe(error))).finally(() => void (button.disabled = false));
  });
  button.disabled = false;
  document.body.dataset.readyMs = performance.now().toFixed(0);
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  $('model-info').textContent = 'The model could not be loaded.';
  showError(describe(error));
});
