/** Number formatting shared by the admin tables and charts (server and client). */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)}%`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function ratio(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** A bin's range as text, e.g. "65–70%". */
export function binRange(lower: number, upper: number): string {
  return `${Math.round(lower * 100)}–${Math.round(upper * 100)}%`;
}
