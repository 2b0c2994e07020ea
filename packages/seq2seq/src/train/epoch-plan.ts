import { type BatchPlan, epochBatches } from '../data/batching.js';
import type { SequenceExample } from '../data/sequence-example.js';
import { planStreams } from '../data/stream-batches.js';
import type { ResolvedTrainSettings } from './train-options.js';

/**
 * The batches of an epoch: parallel streams of consecutive windows in text
 * order when the state is carried (the same every epoch), else the seeded,
 * length-bucketed shuffle of `planEpoch`, made batch by batch as training asks.
 */
export function epochPlan(examples: readonly SequenceExample[], epoch: number, settings: ResolvedTrainSettings): BatchPlan {
  return settings.carryState === true ? planStreams(examples.length, settings.batchSize) : epochBatches(examples, epoch, settings);
}
