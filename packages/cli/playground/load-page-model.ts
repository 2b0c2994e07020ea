// Loads the page's model: the one `seqloom serve` serves at ./model/ (its kind
// at ./model-kind.json), or a folder picked in the page. Each engine's wasm
// files come from the same server (./wasm/ for tfjs, ./ort/ for onnxruntime-web).
import { isOnnxExportFolder, loadOnnxSeq2Seq, type PickedExportFile } from '@seqloom/onnx/browser';
import { loadTrainedModelFromFiles, loadTrainedModelFromUrl, setBackend } from '@seqloom/seq2seq/browser';
import { onnxPageModel } from './onnx-page-model.js';
import type { PageModel } from './page-model.js';
import { trainedPageModel } from './trained-page-model.js';

const here = () => new URL('.', location.href);
const ortPaths = () => new URL('ort/', here()).href;

/** tfjs on its wasm backend, set up once, the first time a seqloom model is loaded. */
let tfjsWasm: Promise<unknown> | undefined;
function tfjsReady(): Promise<unknown> {
  tfjsWasm ??= setBackend('wasm', { wasmPaths: new URL('wasm/', here()).href });
  return tfjsWasm;
}

/** What the server says the model folder holds (a server without /model-kind.json serves checkpoints). */
async function servedKind(): Promise<string> {
  const response = await fetch(new URL('model-kind.json', here()));
  if (!response.ok) return 'seqloom';
  return String(((await response.json()) as { kind?: unknown }).kind ?? 'seqloom');
}

/** The model `seqloom serve` serves. */
export async function loadServedModel(): Promise<PageModel> {
  const url = new URL('model/', here());
  if ((await servedKind()) === 'onnx') return onnxPageModel(await loadOnnxSeq2Seq(url.href, { wasmPaths: ortPaths() }));
  await tfjsReady();
  return trainedPageModel(await loadTrainedModelFromUrl(url));
}

/** A picked file's path inside the picked folder (its own name when picked alone). */
function pathOf(file: File): string {
  const relative = file.webkitRelativePath;
  return relative.includes('/') ? relative.slice(relative.indexOf('/') + 1) : file.name;
}

/** The files of a model folder picked in the page: an ONNX export, else a seqloom checkpoint or training folder. */
export async function loadPickedModel(files: FileList): Promise<PageModel> {
  const picked = Array.from(files);
  const names = new Set(picked.map(pathOf));
  if (await isOnnxExportFolder(async (name) => names.has(name))) {
    const exportFiles: PickedExportFile[] = picked.map((f) => ({ path: f.webkitRelativePath || f.name, size: f.size, arrayBuffer: () => f.arrayBuffer() }));
    return onnxPageModel(await loadOnnxSeq2Seq(exportFiles, { wasmPaths: ortPaths() }));
  }
  await tfjsReady();
  return trainedPageModel(await loadTrainedModelFromFiles(files));
}
