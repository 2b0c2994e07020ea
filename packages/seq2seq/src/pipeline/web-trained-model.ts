import { type CheckpointFile, filesReader, urlReader } from '../checkpoint/web-readers.js';
import { type OpenTrainedModelOptions, openTrainedModel, type TrainedModel } from './open-trained-model.js';

/** Options of {@link loadTrainedModelFromUrl}. */
export interface UrlModelOptions extends OpenTrainedModelOptions {
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Loads a model for inference from a checkpoint folder served over HTTP
 * (`baseUrl` is the folder, e.g. `'/model/'`; relative URLs are resolved
 * against the page). Its files are checked exactly as a folder on disk is.
 */
export async function loadTrainedModelFromUrl(baseUrl: string | URL, options: UrlModelOptions = {}): Promise<TrainedModel> {
  const { fetch: fetcher, ...rest } = options;
  return openTrainedModel(urlReader(baseUrl, fetcher ? { fetch: fetcher } : {}), rest);
}

/**
 * Loads a model for inference from the files of a checkpoint folder picked
 * in the page (`<input type="file" webkitdirectory>` or several files), keyed
 * by their path inside the folder.
 */
export async function loadTrainedModelFromFiles(
  files: Iterable<CheckpointFile> | ArrayLike<CheckpointFile>,
  options: OpenTrainedModelOptions = {},
): Promise<TrainedModel> {
  return openTrainedModel(filesReader(files), options);
}
