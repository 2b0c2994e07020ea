// Part of @seqloom/seq2seq/tooling (tooling.ts): the checkpoint folder's files one by one, the
// atomic folder writer, resume points and run files. Needs node:fs.
export { CheckpointError } from './checkpoint-error.js';
export { CHECKPOINT_FORMAT_VERSION, type CheckpointConfig, type SequenceLengths } from './checkpoint-config.js';
export { seq2seqWeightShapes, type WeightShapes } from './check-shapes.js';
export { DEFAULT_GENERATION, folderFormat, saveCheckpoint, type CheckpointContents, type CheckpointTokenizers } from './save-checkpoint.js';
export {
  loadCheckpoint,
  loadWeightsInto,
  readCheckpointConfig,
  readOptimizerState,
  readTrainingState,
  resolveCheckpointDir,
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
} from './load-checkpoint.js';
export type { EvaluationRecord, TrainingState } from './training-state.js';
export { writeDirAtomic } from './atomic-dir.js';
export { sharedIdMessage, sharedVocabularyId, type SharedId } from './vocabulary-ids.js';
export { checkNotLocked, FolderLockedError, lockFileOf, lockFolder, type FolderLock, type LockHolder } from './folder-lock.js';
export { containedPath } from './contained-path.js';
export { checkContainedName, uncontainedReason } from './contained-name.js';
export { openResumePoint, type ResumePoint } from './resume.js';
export { readRunFile, runRoot, writeRunFile, type RunFile } from './run-file.js';
export {
  averageCheckpoints,
  type AverageCheckpointsOptions,
  type AveragedCheckpoint,
  type AveragedSource,
} from './average-checkpoints.js';
