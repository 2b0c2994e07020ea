/**
 * The `13a` tokenization of mteval-v13a.pl, the default of sacreBLEU: HTML
 * entities for quotes/ampersand/brackets are unescaped, most ASCII
 * punctuation becomes its own token, and periods/commas are split off
 * unless they sit next to digits (so `3.5` and `1,000` stay whole).
 */
export function tokenize13a(text: string): string {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  // ASCII punctuation other than ' - . , (those three are handled below or kept).
  line = line.replace(/([{-~[-`!-&(-+:-@/])/g, ' $1 ');
  line = line.replace(/([^0-9])([.,])/g, '$1 $2 ');
  line = line.replace(/([.,])([^0-9])/g, ' $1 $2');
  line = line.replace(/([0-9])(-)/g, '$1 $2 ');
  return line
    .split(/\s+/)
    .filter((t) => t !== '')
    .join(' ');
}
