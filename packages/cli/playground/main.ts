// The seqloom playground: loads the model that `seqloom serve` serves at
// ./model/ — a seqloom checkpoint (run on tfjs's wasm backend, its .wasm
// files at ./wasm/) or a Hugging Face ONNX export (run on onnxruntime-web,
// its .wasm at ./ort/) — and decodes with the controls of `seqloom generate`.
import { DecodeOptionError } from '@seqloom/decode';
import { clearHeatmap } from './attention-heatmap.js';
import { controlLabel, fillDecoderControls, readDecoderControls, setupDecoderControls } from './decoder-controls.js';
import { showHypotheses } from './hypotheses-list.js';
import { loadPickedModel, loadServedModel } from './load-page-model.js';
import type { PageModel, PageResult } from './page-model.js';

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

function showResult(result: PageResult, started: number): void {
  $('output').textContent = result.text;
  showHypotheses($('hypotheses'), result.nBest, (index) => result.drawAttention($('attention'), index));
  const ms = performance.now() - started;
  const count = result.nBest.length;
  $('status').textContent = `${count} ${count === 1 ? 'hypothesis' : 'hypotheses'} in ${ms.toFixed(0)} ms; finish reason ${result.finishReason}`;
  document.body.dataset.firstResultMs ??= performance.now().toFixed(0);
}

async function run(model: PageModel): Promise<void> {
  $('error').hidden = true;
  const output = $('output');
  output.textContent = '';
  const started = performance.now();
  for await (const event of model.run($<HTMLTextAreaElement>('input').value, readDecoderControls())) {
    if (event.type === 'result') {
      showResult(event.result, started);
    } else {
      output.textContent += event.text;
      await nextFrame();
    }
  }
}

/** The model the page runs (replaced when a model folder is picked). */
let current: PageModel | undefined;

/** Makes `model` the page's model: labels, decoder defaults, heatmap note, model line. */
function useModel(model: PageModel, loadMs: number, from: string): void {
  current?.dispose();
  current = model;
  $('input-label').textContent = model.inputLabel;
  fillDecoderControls(model.generation);
  clearHeatmap($('attention'), model.noAttention ?? 'Run the model to see where it looks.');
  $('hypotheses').replaceChildren();
  $('output').textContent = '';
  $('model-info').textContent = `${from}: ${model.summary} · loaded in ${loadMs.toFixed(0)} ms`;
}

/** Loads the files of a model folder picked in the page in place of the served one. */
async function pickModel(files: FileList): Promise<void> {
  const started = performance.now();
  const model = await loadPickedModel(files);
  useModel(model, performance.now() - started, `picked folder (${files.length} files)`);
}

async function start(): Promise<void> {
  setupDecoderControls();
  useModel(await loadServedModel(), performance.now(), 'served model');
  const button = $<HTMLButtonElement>('run');
  $('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    run(current!)
      .catch((error) => showError(describe(error)))
      .finally(() => void (button.disabled = false));
  });
  const picker = $<HTMLInputElement>('model-files');
  picker.addEventListener('change', () => {
    if (!picker.files || picker.files.length === 0) return;
    $('error').hidden = true;
    button.disabled = true;
    pickModel(picker.files)
      .catch((error) => showError(describe(error)))
      .finally(() => void (button.disabled = false));
  });
  button.disabled = false;
  document.body.dataset.readyMs = performance.now().toFixed(0);
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  $('model-info').textContent = 'The model could not be loaded.';
  showError(describe(error));
});
