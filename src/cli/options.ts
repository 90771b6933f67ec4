/** @file Argument parsers shared by the subcommands; they throw commander's InvalidArgumentError, which it reports with the option's name. */
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ 1, written in decimal. */
export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got '${text}'`);
  }
  return value;
}

/** A batch size: a whole number ≥ 1, or a name ("batch") for a symbolic dim that any size fills at run time. */
export function parseBatch(text: string): number | string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.trim())) return text.trim();
  return parsePositiveInt(text);
}
