import type { TrainedModel } from '@seqloom/seq2seq';
import type { DecodingPool } from '@seqloom/seq2seq/parallel';

/** A loaded `--model` (or an ensemble of several), the backend it runs on, and its decoding pool when `--threads` is above 1. */
export type LoadedModel = TrainedModel & { backend: string; pool: DecodingPool | undefined; close(): Promise<void> };
