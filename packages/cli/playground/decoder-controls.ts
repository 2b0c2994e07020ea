// The playground's decoder controls: the options of `seqloom generate`'s
// decoding flags, filled with the model's generation.json (else the decode
// package's defaults) and read back as TextGenerationOptions.
import { DECODE_OPTIONS, type DecodeOptionName } from '@seqloom/decode';
import type { TextGenerationOptions } from '@seqloom/seq2seq/browser';

/** A numeric control: its element id (= data-testid), the option it sets, whether it is an integer. */
interface NumberControl {
  id: string;
  option: DecodeOptionName;
  integer: boolean;
  /** The control's value that leaves the option unset (top-k 0 = off). */
  off?: number;
}

/** Controls in the order of `seqloom generate --help`; `strategies` says when they apply. */
const NUMBER_CONTROLS: readonly NumberControl[] = [
  { id: 'max-length', option: 'maxNewTokens', integer: true },
  { id: 'n-best', option: 'numReturn', integer: true },
  { id: 'beam-width', option: 'beamWidth', integer: true },
  { id: 'alpha', option: 'lengthPenaltyAlpha', integer: false },
  { id: 'temperature', option: 'temperature', integer: false },
  { id: 'top-k', option: 'topK', integer: true, off: 0 },
  { id: 'top-p', option: 'topP', integer: false },
  { id: 'min-p', option: 'minP', integer: false },
  { id: 'seed', option: 'seed', integer: true },
];

const CONTROL_OF: ReadonlyMap<string, string> = new Map([
  ['strategy', 'decoder'],
  ['lengthPenalty', 'length-penalty'],
  ...NUMBER_CONTROLS.map((c) => [c.option, c.id] as [string, string]),
]);

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

function definition(name: DecodeOptionName) {
  return DECODE_OPTIONS.find((o) => o.name === name)!;
}

/** Whether an option applies to a strategy (options without a strategy list apply to all). */
function appliesTo(name: DecodeOptionName, strategy: string): boolean {
  const strategies = definition(name).strategies as readonly string[] | undefined;
  return strategies === undefined || strategies.includes(strategy);
}

/** A control's label text, for error messages. */
export function controlLabel(option: string): string | undefined {
  const id = CONTROL_OF.get(option);
  if (id === undefined) return undefined;
  const label = element(id).closest('label')?.firstChild?.textContent?.trim();
  return label ? `${label} (${id})` : id;
}

/** Shows the fieldsets and controls of the chosen strategy (`data-for` lists the strategies). */
function showStrategyControls(): void {
  const strategy = element<HTMLSelectElement>('decoder').value;
  for (const node of document.querySelectorAll<HTMLElement>('[data-for]')) {
    node.hidden = !(node.dataset.for ?? '').split(' ').includes(strategy);
  }
}

/** The model's generation.json, and the controls the user has changed (those keep their values). */
let saved: Readonly<Record<string, unknown>> = {};
const touched = new Set<string>();

/**
 * The value an option has when its control is left alone, as `seqloom generate`
 * without the flag: generation.json's, unless it belongs to another strategy
 * than the saved one (the pipeline then drops it), else the decode default.
 */
function effective(name: DecodeOptionName, strategy: string): unknown {
  const savedStrategy = String(saved.strategy ?? 'greedy');
  const own = definition(name).strategies === undefined || strategy === savedStrategy;
  return (own ? saved[name] : undefined) ?? definition(name).default;
}

/** Shows the chosen strategy's controls and fills those not changed by hand with their effective values. */
function refill(): void {
  const strategy = element<HTMLSelectElement>('decoder').value;
  if (!touched.has('length-penalty')) element<HTMLSelectElement>('length-penalty').value = String(effective('lengthPenalty', strategy));
  for (const control of NUMBER_CONTROLS) {
    if (touched.has(control.id)) continue;
    const value = effective(control.option, strategy);
    element<HTMLInputElement>(control.id).value = typeof value === 'number' ? String(value) : control.off !== undefined ? String(control.off) : '';
  }
  showStrategyControls();
}

/** Wires the controls once: a control the user changes keeps its value; the decoder select shows its strategy's controls. */
export function setupDecoderControls(): void {
  const penalty = element<HTMLSelectElement>('length-penalty');
  for (const choice of definition('lengthPenalty').value.choices ?? []) penalty.add(new Option(choice, choice));
  for (const id of ['length-penalty', ...NUMBER_CONTROLS.map((c) => c.id)]) {
    element(id).addEventListener('input', () => touched.add(id));
  }
  element('decoder').addEventListener('change', refill);
}

/** Fills the controls with a model's saved decoding options (generation.json), else the decode package's defaults. */
export function fillDecoderControls(generation: Readonly<Record<string, unknown>>): void {
  saved = generation;
  touched.clear();
  const decoder = element<HTMLSelectElement>('decoder');
  decoder.value = String(generation.strategy ?? 'greedy');
  if (decoder.value === '') decoder.value = 'greedy';
  refill();
}

/** A control's value is not a number of the right kind: names the control. */
export class ControlError extends Error {
  override name = 'ControlError';
}

function numberOf(control: NumberControl): number | undefined {
  const input = element<HTMLInputElement>(control.id);
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || (control.integer && !Number.isInteger(value))) {
    throw new ControlError(`${controlLabel(control.option)}: ${JSON.stringify(text)} is not ${control.integer ? 'an integer' : 'a number'}`);
  }
  return control.off !== undefined && value === control.off ? undefined : value;
}

/**
 * The decoding options the controls give for the chosen strategy: those of
 * other strategies are left out, and empty fields leave an option to the
 * model's generation.json and the defaults, as an omitted flag does.
 */
export function readDecoderControls(): TextGenerationOptions {
  const strategy = element<HTMLSelectElement>('decoder').value;
  const options: Record<string, unknown> = { strategy };
  for (const control of NUMBER_CONTROLS) {
    if (!appliesTo(control.option, strategy)) continue;
    const value = numberOf(control);
    if (value !== undefined) options[control.option] = value;
  }
  if (strategy === 'beam') {
    options.lengthPenalty = element<HTMLSelectElement>('length-penalty').value;
  } else {
    delete options.lengthPenaltyAlpha;
  }
  return options as TextGenerationOptions;
}
