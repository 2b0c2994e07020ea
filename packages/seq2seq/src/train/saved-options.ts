import { openResumePoint, type ResumePoint } from '../checkpoint/resume.js';
import { readRunFile, runRoot } from '../checkpoint/run-file.js';
import { TrainingError } from '../training-error.js';

/** An option that shapes the model or its data was given a new value on resume. */
export class ResumeOptionError extends TrainingError {
  override readonly name = 'ResumeOptionError';

  constructor(
    /** The option's name, as in run.json. */
    override readonly option: string,
    readonly saved: unknown,
    readonly given: unknown,
  ) {
    super(`option ${option} cannot change when resuming (the run used ${JSON.stringify(saved)}); start a new run in another output folder instead`, { option });
  }
}

/** What {@link resumeWithSavedOptions} found. */
export interface SavedRunOptions {
  /** The checkpoint to pass on as `resumeFrom` (config.json and state.json already read). */
  point: ResumePoint;
  /** The run's output folder (`out` for `out/last`): where training continues. */
  outDir: string;
  /** The run's options: the saved ones (run.json), replaced by those given now. */
  options: Record<string, unknown>;
}

/**
 * Resume with saved options: opens the checkpoint at `path` (a checkpoint or
 * a training output folder; a missing one is an error naming it), reads the
 * run.json its run wrote, and returns the options to continue with — each
 * one given now, else the saved one. Options named in `fixed` (those that
 * shape the model or its data) may be given again only with the saved value.
 */
export async function resumeWithSavedOptions(
  path: string,
  given: Readonly<Record<string, unknown>>,
  fixed: ReadonlySet<string> = new Set(),
): Promise<SavedRunOptions> {
  const point = await openResumePoint(path);
  const outDir = runRoot(path);
  const saved = (await readRunFile(outDir)) ?? {};
  const options: Record<string, unknown> = { ...saved };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (name in saved && fixed.has(name) && JSON.stringify(saved[name]) !== JSON.stringify(value)) {
      throw new ResumeOptionError(name, saved[name], value);
    }
    options[name] = value;
  }
  return { point, outDir, options };
}
