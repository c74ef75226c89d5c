/**
 * The CLIs' option parsers. Only plain decimals pass: Number() would read ''
 * and ' ' as 0 and '0x1' as 1, so an unset shell variable
 * (`--min-accuracy "$BAR"`) would quietly turn a gate off.
 */
import { InvalidArgumentError } from 'commander';
import { parseDevice, parseFraction, parseNonNegativeInt, parsePositiveInt, parsePositiveIntUpTo, parsePositiveNumber } from '~/scripts/cli-options';

const NOT_DECIMALS = ['', ' ', 'lots', '0x1', '1e-2', '-0', 'NaN', 'Infinity', '1,5', '+1'];

/** `parse(value)` throws commander's InvalidArgumentError (its message is printed after the option's name), with `message`. */
function expectRefused(parse: (value: string) => unknown, value: string, message: string): void {
  let thrown: unknown;
  try {
    parse(value);
  } catch (error) {
    thrown = error;
  }
  expect([value, thrown]).toEqual([value, expect.any(InvalidArgumentError)]);
  expect((thrown as Error).message).toBe(message);
}

describe('parseFraction', () => {
  it('reads decimals from 0 to 1, with or without a leading digit, and surrounding spaces', () => {
    expect(['0', '1', '0.99', '.5', '1.', ' 0.25 ', '1.0'].map(parseFraction)).toEqual([0, 1, 0.99, 0.5, 1, 0.25, 1]);
  });

  it('refuses anything else, out of range included', () => {
    for (const value of [...NOT_DECIMALS, '1.01', '2', '99']) expectRefused(parseFraction, value, 'must be a number between 0 and 1');
  });
});

describe('the integer parsers', () => {
  it('parsePositiveIntUpTo reads 1 to its ceiling and refuses the rest', () => {
    const upTo64 = parsePositiveIntUpTo(64);
    expect(['1', '4', ' 64 '].map(upTo64)).toEqual([1, 4, 64]);
    for (const value of [...NOT_DECIMALS, '0', '65', '100000', '2.5']) expectRefused(upTo64, value, 'must be a whole number from 1 to 64');
  });

  it('parseNonNegativeInt reads 0 and up; parsePositiveInt 1 and up', () => {
    expect(['0', '7', ' 32 ', '10.'].map(parseNonNegativeInt)).toEqual([0, 7, 32, 10]);
    expect(['1', '16', '600'].map(parsePositiveInt)).toEqual([1, 16, 600]);
  });

  it('refuse fractions, words and out-of-range values', () => {
    for (const value of [...NOT_DECIMALS, '1.5', '.5']) expectRefused(parseNonNegativeInt, value, 'must be a whole number, 0 or more');
    for (const value of [...NOT_DECIMALS, '0', '2.5']) expectRefused(parsePositiveInt, value, 'must be a positive integer');
  });
});

describe('parsePositiveNumber', () => {
  it('reads any decimal above 0', () => {
    expect(['0.5', '5', '12.25', '.1'].map(parsePositiveNumber)).toEqual([0.5, 5, 12.25, 0.1]);
    for (const value of [...NOT_DECIMALS, '0', '0.0']) expectRefused(parsePositiveNumber, value, 'must be a positive number');
  });
});

describe('parseDevice', () => {
  it('reads auto, cuda and cpu, exactly', () => {
    expect(['auto', 'cuda', 'cpu'].map(parseDevice)).toEqual(['auto', 'cuda', 'cpu']);
    for (const value of ['', 'gpu', 'CPU', ' cpu']) expectRefused(parseDevice, value, 'must be auto, cuda or cpu');
  });
});
