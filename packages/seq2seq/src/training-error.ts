import { SeqloomError } from '@seqloom/core';

/** A training option or run-time condition that stops training, with the fix in the message. */
export class TrainingError extends SeqloomError {
  override readonly name: string = 'TrainingError';
}

/** How the options a fix involves are called where training was started (library names, or CLI flags). */
export interface OptionNames {
  learningRate: string;
  clipNorm: string;
}

const LIBRARY_NAMES: OptionNames = { learningRate: 'the learning rate', clipNorm: 'clipNorm' };

/**
 * The loss of a step was NaN or infinite: training stops, keeping the last
 * checkpoint. {@link NonFiniteLossError.explain} words the fix with other
 * option names (the command line's `--lr`, `--clip-norm`).
 */
export class NonFiniteLossError extends TrainingError {
  override readonly name = 'NonFiniteLossError';

  constructor(
    readonly loss: number,
    /** The step whose loss it was (1-based). */
    readonly step: number,
  ) {
    super(NonFiniteLossError.explain(loss, step, LIBRARY_NAMES));
  }

  static explain(loss: number, step: number, names: OptionNames): string {
    return `the loss became ${loss} at step ${step}; lower ${names.learningRate} or set ${names.clipNorm}`;
  }
}
