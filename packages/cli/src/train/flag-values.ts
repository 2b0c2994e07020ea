import type { OptionValues } from '../option-spec.js';

function read<T>(is: (v: unknown) => v is T) {
  return (o: OptionValues, key: string): T | undefined => {
    const value = o[key];
    return is(value) ? value : undefined;
  };
}

/**
 * Typed reads of parsed flag values (each already checked and normalised by
 * its OptionSpec), by camelCase key: a value of another type reads as absent.
 */
export const flagValue = {
  /** A string or path flag. */
  text: read((v): v is string => typeof v === 'string'),
  /** A number or integer flag. */
  number: read((v): v is number => typeof v === 'number'),
  /** A switch. */
  switch: read((v): v is boolean => typeof v === 'boolean'),
  /** A choice flag's value, when it is one of `choices`. */
  choice<C extends string>(o: OptionValues, key: string, choices: readonly C[]): C | undefined {
    return choices.find((c) => c === o[key]);
  },
};
