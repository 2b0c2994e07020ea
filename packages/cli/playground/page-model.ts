// What the page needs from a model, whichever kind it is: a seqloom
// checkpoint (tfjs wasm) or a Hugging Face ONNX export (onnxruntime-web).
import type { TextGenerationOptions } from '@seqloom/seq2seq/browser';

/** One entry of the n-best list. */
export interface PageHypothesis {
  readonly text: string;
  /** Generated token ids as the model's own tools report them (see each model kind). */
  readonly ids: readonly number[];
  readonly score: number;
}

/** The outcome of one run. */
export interface PageResult {
  /** The best hypothesis's text. */
  readonly text: string;
  readonly finishReason: string;
  /** Best first. */
  readonly nBest: readonly PageHypothesis[];
  /** Draws the attention of hypothesis `index` into `figure`, or says there is none. */
  drawAttention(figure: HTMLElement, index: number): void;
}

/** What a run yields: text as it is generated (greedy, sampling), then the result. */
export type PageEvent = { readonly type: 'text'; readonly text: string } | { readonly type: 'result'; readonly result: PageResult };

/** A model loaded in the page. */
export interface PageModel {
  /** One line about the model: its kind, size and engine. */
  readonly summary: string;
  /** The input box's label (a prime for language models). */
  readonly inputLabel: string;
  /** The model's saved decoding options, which the decoder controls start from. */
  readonly generation: Readonly<Record<string, unknown>>;
  /** Why the model draws no attention heatmap, or undefined when it does. */
  readonly noAttention: string | undefined;
  /** Decodes `input` with the controls' options over the model's saved ones. */
  run(input: string, options: TextGenerationOptions): AsyncIterable<PageEvent>;
  dispose(): void;
}
