/** Line and column (1-based) of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** JSON.parse's failure on a prefix: true when the prefix holds an error (not just an early end). */
function failsWithin(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/end of JSON input/.test(message)) return false;
    // An error at the very end of the prefix is the prefix ending early, not the text's error.
    const at = /at position (\d+)/.exec(message);
    return !(at && Number(at[1]) >= prefix.length);
  }
}

/** Offset of the first syntax error: the shortest prefix that fails other than by ending early. */
function errorOffset(text: string, message: string): number {
  const given = /at position (\d+)/.exec(message);
  if (given) return Number(given[1]);
  if (/end of JSON input/.test(message)) return text.length;
  let [low, high] = [0, text.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (failsWithin(text.slice(0, mid + 1))) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Describes why `text` is not JSON as `line L, column C: reason` on one line:
 * the reason is JSON.parse's own, without the quoted excerpt of the text
 * (which may span lines) or the character offset.
 */
export function describeJsonSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const { line, column } = lineAndColumn(text, Math.min(errorOffset(text, message), text.length));
  const reason = message
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `line ${line}, column ${column}: ${reason || 'not valid JSON'}`;
}
