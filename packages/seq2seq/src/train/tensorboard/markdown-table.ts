/** Characters that Markdown reads as inline or table syntax, escaped with a backslash. */
const SYNTAX = /[\\`*_[\]|]/g;

/**
 * A cell's text shown as written: syntax escaped, `<` and `&` as entities,
 * spaces that Markdown would collapse or trim as non-breaking ones (so an
 * output of spaces is seen), line breaks as ↵.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(SYNTAX, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ↵ ')
    .replace(/ (?= )/g, '&nbsp;')
    .replace(/^ | $/g, '&nbsp;');
}

/** A Markdown table (rendered by TensorBoard's text dashboard). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- |').join('')}`, ...rows.map(line)].join('\n');
}

/** Options as a two-column table; each value is its JSON text. */
export function optionsTable(options: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))]);
  return markdownTable(['option', 'value'], rows);
}
