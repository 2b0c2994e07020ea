// A Hugging Face ONNX export in the page: onnxruntime-web (wasm) under
// @seqloom/onnx's StepModel, decoded by @seqloom/decode with every strategy the
// controls offer. Ids are those Hugging Face generate() returns (the decoder
// start token left out, the stop token kept); exports give no attention.
import { DECODE_OPTIONS, type GenerateOptions, type GenerationResult, stream } from '@seqloom/decode';
import type { OnnxSeq2Seq } from '@seqloom/onnx/browser';
import { clearHeatmap } from './attention-heatmap.js';
import type { PageEvent, PageModel, PageResult } from './page-model.js';

/** Why ONNX exports get no heatmap. */
export const ONNX_NO_ATTENTION = 'ONNX exports do not output attention weights, so no heatmap is drawn for this model.';

/** Options that belong to some strategies only (beam width, temperature, …). */
const STRATEGY_KEYS: ReadonlySet<string> = new Set(DECODE_OPTIONS.filter((o) => o.strategies !== undefined).map((o) => o.name));

/**
 * The export's generation_config.json options overlaid with the controls',
 * as `seqloom generate` overlays generation.json: when the controls pick
 * another strategy, the saved strategy's own options are dropped.
 */
export function onnxDecodingOptions(saved: GenerateOptions, options: GenerateOptions): GenerateOptions {
  const switched = options.strategy !== undefined && options.strategy !== (saved.strategy ?? 'greedy');
  const kept = Object.entries(saved).filter(([key]) => !(switched && STRATEGY_KEYS.has(key)));
  return { ...Object.fromEntries(kept), ...options } as GenerateOptions;
}

function pageResult(loaded: OnnxSeq2Seq, result: GenerationResult): PageResult {
  return {
    text: loaded.decode(result.best.ids),
    finishReason: result.best.finishReason,
    nBest: result.hypotheses.map((h) => ({ text: loaded.decode(h.ids), ids: h.ids, score: h.score })),
    drawAttention: (figure) => clearHeatmap(figure, ONNX_NO_ATTENTION),
  };
}

/** Decodes one input, yielding the first row's text as tokens arrive (greedy, sampling), then the result. */
async function* runExport(loaded: OnnxSeq2Seq, input: string, options: GenerateOptions): AsyncGenerator<PageEvent> {
  const { model, tokenizer } = loaded;
  const detokenizer = tokenizer.createDetokenizer();
  for await (const event of stream(model, [loaded.encode(input)], onnxDecodingOptions(loaded.generation, options))) {
    if (event.type === 'token' && event.sample === 0 && event.token !== model.eosId && event.token < tokenizer.vocabSize) {
      const text = detokenizer.push(event.token);
      if (text) yield { type: 'text', text };
    } else if (event.type === 'result') {
      const rest = detokenizer.flush();
      if (rest) yield { type: 'text', text: rest };
      yield { type: 'result', result: pageResult(loaded, event.result) };
    }
  }
}

/** A loaded ONNX export as the page's model. */
export function onnxPageModel(loaded: OnnxSeq2Seq): PageModel {
  const graphs = [loaded.files.encoder, ...loaded.files.decoder].map((f) => f.replace(/^onnx\//, '')).join(', ');
  return {
    summary: `${loaded.modelType} (${loaded.seqloom ? 'seqloom' : 'Hugging Face'} ONNX export: ${graphs}) · vocabulary ${loaded.model.vocabSize} · onnxruntime-web (wasm)`,
    inputLabel: 'Input',
    generation: loaded.generation as Readonly<Record<string, unknown>>,
    noAttention: ONNX_NO_ATTENTION,
    run: (input, options) => runExport(loaded, input, options as GenerateOptions),
    dispose: () => void loaded.dispose(),
  };
}
