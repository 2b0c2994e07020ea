/** A training option or run-time condition that stops training, with the fix in the message. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}
