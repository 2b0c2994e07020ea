import { constants, createReadStream, open } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { CliError } from './cli-error.js';

/** A readable byte stream that can be given up at any time. */
export interface InputStream extends AsyncIterable<Uint8Array | string> {
  destroy(): void;
}

/**
 * Opens a file given by the user for reading, without ever blocking a
 * thread: a named pipe (FIFO) is opened non-blocking and read through the
 * event loop, so that while it has no writer (or its writer is silent)
 * a signal still ends the process at once. (A plain `open()` of such a pipe
 * waits in the thread pool until a writer comes, and then not even
 * `process.exit` returns.) A regular file is streamed as usual. `signal`
 * gives the stream up.
 */
export async function openInput(path: string, option: string, signal?: AbortSignal): Promise<InputStream> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new CliError(`${option} ${path}: no such file`);
  if (info.isDirectory()) throw new CliError(`${option} ${path}: is a folder; expected a text file`);
  const stream: InputStream = info.isFIFO() ? await openPipe(path) : createReadStream(path);
  if (signal?.aborted) stream.destroy();
  signal?.addEventListener('abort', () => stream.destroy(), { once: true });
  return stream;
}

function openPipe(path: string): Promise<InputStream> {
  return new Promise((resolve, reject) => {
    // A raw descriptor (not a FileHandle): the socket owns it and closes it when destroyed.
    open(path, constants.O_RDONLY | constants.O_NONBLOCK, (error, fd) => {
      if (error) reject(error);
      else resolve(new Socket({ fd, readable: true, writable: false }));
    });
  });
}
