// The n-best list: one <li> per hypothesis with its text and score; clicking
// one selects it (and its attention heatmap).
import type { PageHypothesis } from './page-model.js';

/**
 * Fills `list` with the hypotheses, best first; each item carries its ids
 * (`data-ids`), its text (`.text`) and its score (`.score`, `data-score`).
 * `onSelect` receives the index chosen (0 at once).
 */
export function showHypotheses(list: HTMLElement, hypotheses: readonly PageHypothesis[], onSelect: (index: number) => void): void {
  const items = hypotheses.map((h, index) => {
    const item = document.createElement('li');
    item.setAttribute('data-testid', 'hypothesis');
    item.dataset.ids = h.ids.join(' ');
    item.dataset.score = String(h.score);
    item.tabIndex = 0;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = h.text;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = h.score.toFixed(4);
    item.append(text, score);
    const select = () => {
      for (const other of list.children) other.setAttribute('aria-selected', String(other === item));
      onSelect(index);
    };
    item.addEventListener('click', select);
    item.addEventListener('keydown', (event) => void (event.key === 'Enter' && select()));
    return item;
  });
  list.replaceChildren(...items);
  if (items.length > 0) {
    items[0]!.setAttribute('aria-selected', 'true');
    onSelect(0);
  }
}
