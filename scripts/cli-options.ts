/** Option parsers shared by the CLIs. */
import { InvalidArgumentError } from 'commander';
import type { InferenceDevice } from '~/lib/ml/session';

export function parseDevice(value: string): InferenceDevice {
  if (value === 'auto' || value === 'cuda' || value === 'cpu') return value;
  throw new InvalidArgumentError('must be auto, cuda or cpu');
}

/**
 * Number() reads '' and '  ' as 0 and '0x1' as 1: an unset shell variable
 * (`--min-accuracy "$BAR"`) would turn a gate off. Only plain decimals pass.
 */
function decimal(value: string): number {
  return /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
}

export function parseFraction(value: string): number {
  const number = decimal(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('must be a number between 0 and 1');
  return number;
}

export function parseNonNegativeInt(value: string): number {
  const number = decimal(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return number;
}

export function parsePositiveInt(value: string): number {
  const number = decimal(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
}

export function parsePositiveNumber(value: string): number {
  const number = decimal(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number');
  return number;
}
