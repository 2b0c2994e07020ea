import { type CutLine, MAX_LINE_BYTES } from '@seqloom/core';

// One implementation of bounded lines, shared with the library's data readers.
export { boundLines, type CutLine, MAX_LINE_BYTES } from '@seqloom/core';

/** The warning for a cut line of `what` (e.g. `--input data.txt`, `standard input`). */
export function cutLineWarning(what: string, cut: CutLine, maxBytes = MAX_LINE_BYTES): string {
  return `${what}: line ${cut.line} has ${cut.bytes} bytes, more than a line may have (${maxBytes}); only its first ${maxBytes} bytes are read`;
}
