import { DATA_OPTIONS } from './data-options.js';
import { MODEL_OPTIONS } from './model-options.js';
import { RUN_OPTIONS, TRAINING_OPTIONS } from './training-options.js';

/** Every option of `seqloom train`. */
export const TRAIN_OPTIONS = [...DATA_OPTIONS, ...MODEL_OPTIONS, ...TRAINING_OPTIONS, ...RUN_OPTIONS];
