/**
 * CSV escaping for the admin export, and the admin filters' query parsing.
 */
import { csvField, csvRow } from '~/lib/csv';
import { adminFilterQuerySchema, modelFilterValue, reviewQuerySchema, toAdminFilters } from '~/lib/validations/admin';

describe('csvField / csvRow', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  });

  it('writes empty cells for null, ISO times for dates, plain numbers and booleans', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(new Date('2026-11-21T10:00:00.000Z'))).toBe('2026-11-21T10:00:00.000Z');
    expect(csvField(0.125)).toBe('0.125');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 1, null, 'x,y'])).toBe('a,1,,"x,y"\r\n');
  });
});

describe('adminFilterQuerySchema', () => {
  it('keeps valid days and a model version; days become a half-open UTC range', () => {
    const query = adminFilterQuerySchema.parse({ from: '2026-02-01', to: '2026-02-28', model: ' 1.2.0 ' });
    expect(query).toEqual({ from: '2026-02-01', to: '2026-02-28', model: '1.2.0' });
    expect(toAdminFilters(query)).toEqual({
      from: new Date('2026-02-01T00:00:00.000Z'),
      toExclusive: new Date('2026-03-01T00:00:00.000Z'),
      model: { name: null, version: '1.2.0' },
    });
  });

  it('reads a model as NAME@VERSION (the last @ splits them), or as a bare version of any name', () => {
    expect(toAdminFilters(adminFilterQuerySchema.parse({ model: 'petlens-mobilenetv3-small@1.5.0' })).model).toEqual({ name: 'petlens-mobilenetv3-small', version: '1.5.0' });
    expect(toAdminFilters(adminFilterQuerySchema.parse({ model: 'team@lab@2.0' })).model).toEqual({ name: 'team@lab', version: '2.0' });
    expect(toAdminFilters(adminFilterQuerySchema.parse({ model: '@1.5.0' })).model).toEqual({ name: null, version: '@1.5.0' });
    expect(modelFilterValue({ modelName: 'petlens-mobilenetv3-small', modelVersion: '1.5.0' })).toBe('petlens-mobilenetv3-small@1.5.0');
  });

  it('drops impossible or malformed values instead of failing, and swaps a reversed range', () => {
    expect(adminFilterQuerySchema.parse({ from: '2026-02-30', to: 'yesterday', model: ['a', 'b'] })).toEqual({ from: undefined, to: undefined, model: undefined });
    expect(adminFilterQuerySchema.parse({ from: '2026-03-05', to: '2026-03-01' })).toMatchObject({ from: '2026-03-01', to: '2026-03-05' });
    expect(toAdminFilters(adminFilterQuerySchema.parse({}))).toEqual({ from: null, toExclusive: null, model: null });
  });

  it('review query: a kind or page cursor that is not one is ignored', () => {
    const id = '0b7f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
    expect(reviewQuerySchema.parse({ kind: 'misclassified', older: id })).toEqual({ kind: 'misclassified', older: id, reviewed: false });
    expect(reviewQuerySchema.parse({ kind: 'everything', older: '3', newer: ['a', 'b'], reviewed: 'yes' })).toEqual({ kind: 'all', reviewed: false });
    expect(reviewQuerySchema.parse({ reviewed: '1' })).toEqual({ kind: 'all', reviewed: true });
  });
});
