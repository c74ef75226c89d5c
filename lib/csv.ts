/**
 * @file CSV (RFC 4180) writing: fields with a comma, quote or line break are
 * quoted, quotes doubled, rows end with CRLF. Text that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) is prefixed with an
 * apostrophe (OWASP "CSV injection"); numbers are written as they are.
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
