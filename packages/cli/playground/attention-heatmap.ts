// The attention heatmap of one hypothesis: a row per generated token (the
// stop token included), a column per source token, darker = more weight.

const SVG = 'http://www.w3.org/2000/svg';
const CELL = 22;

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** A weight in [0, 1] as a colour from white to deep blue. */
function shade(weight: number): string {
  const w = Math.max(0, Math.min(1, weight));
  const channel = (from: number, to: number) => Math.round(from + (to - from) * w);
  return `rgb(${channel(255, 16)}, ${channel(255, 60)}, ${channel(255, 150)})`;
}

function label(text: string, x: number, y: number, anchor: string, rotate = false): SVGElement {
  const node = svgElement('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'middle', ...(rotate ? { transform: `rotate(-45 ${x} ${y})` } : {}) });
  node.textContent = text;
  return node;
}

/** Shows `message` instead of a heatmap (a model without attention, no hypothesis yet). */
export function clearHeatmap(figure: HTMLElement, message: string): void {
  figure.replaceChildren();
  const note = document.createElement('p');
  note.textContent = message;
  figure.append(note);
  delete figure.dataset.rows;
  delete figure.dataset.cols;
}

/**
 * Draws `rows` (one attention distribution over the source per output
 * token) into `figure` as an SVG grid labelled with the tokens.
 */
export function drawHeatmap(figure: HTMLElement, rows: readonly (readonly number[])[], sourceTokens: readonly string[], targetTokens: readonly string[]): void {
  const cols = rows[0]?.length ?? 0;
  const left = 12 + 7 * Math.max(1, ...targetTokens.map((t) => t.length));
  const top = 12 + 6 * Math.max(1, ...sourceTokens.map((t) => t.length));
  const svg = svgElement('svg', { width: left + cols * CELL + 8, height: top + rows.length * CELL + 8, role: 'img', 'aria-label': 'attention heatmap' });
  sourceTokens.slice(0, cols).forEach((token, j) => svg.append(label(token, left + j * CELL + CELL / 2, top - 8, 'start', true)));
  rows.forEach((row, i) => {
    svg.append(label(targetTokens[i] ?? '', left - 6, top + i * CELL + CELL / 2, 'end'));
    row.forEach((weight, j) => {
      const cell = svgElement('rect', {
        x: left + j * CELL,
        y: top + i * CELL,
        width: CELL - 1,
        height: CELL - 1,
        fill: shade(weight),
        'data-weight': weight.toFixed(4),
      });
      const title = svgElement('title', {});
      title.textContent = `${targetTokens[i] ?? ''} → ${sourceTokens[j] ?? ''}: ${weight.toFixed(3)}`;
      cell.append(title);
      svg.append(cell);
    });
  });
  figure.replaceChildren(svg);
  figure.dataset.rows = String(rows.length);
  figure.dataset.cols = String(cols);
}
