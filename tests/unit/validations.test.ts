import { safeCallbackUrl } from '~/lib/safe-redirect';
import { signUpSchema } from '~/lib/validations/auth';
import { passwordProblem } from '~/lib/validations/password-policy';
import { formatBytes } from '~/lib/format';
import { feedbackSchema, historyQuerySchema, uploadSchema } from '~/lib/validations/prediction';

describe('historyQuerySchema', () => {
  it('parses valid query values', () => {
    expect(historyQuerySchema.parse({ page: '3', label: 'dog', feedback: 'corrected', pageSize: '50' })).toEqual({
      page: 3,
      label: 'dog',
      feedback: 'corrected',
      pageSize: 50,
    });
  });

  it('falls back to defaults for missing or hostile values instead of failing the page', () => {
    expect(historyQuerySchema.parse({ page: '-1', label: 'lion', feedback: ['a', 'b'], pageSize: '100000' })).toEqual({
      page: 1,
      label: 'all',
      feedback: 'any',
      pageSize: 24,
    });
  });
});

describe('uploadSchema', () => {
  const schema = uploadSchema(1000);
  it('accepts a non-empty file within the limit', () => {
    expect(schema.safeParse({ file: new File([new Uint8Array(10)], 'a.jpg') }).success).toBe(true);
  });
  it.each([
    ['no file', null, /choose an image/i],
    ['a string', 'x', /choose an image/i],
    ['an empty file', new File([], 'a.jpg'), /empty/i],
    ['a file over the limit', new File([new Uint8Array(1001)], 'a.jpg'), /larger than 1000 bytes/i],
  ])('refuses %s', (_what, file, message) => {
    const result = schema.safeParse({ file });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe('feedbackSchema and signUpSchema', () => {
  it('accepts only the three labels and a uuid', () => {
    expect(feedbackSchema.safeParse({ predictionId: '3f1f8a3e-1f5e-4a5b-9a4e-3c2f1e0d9b8a', correctLabel: 'neither' }).success).toBe(true);
    expect(feedbackSchema.safeParse({ predictionId: '3f1f8a3e-1f5e-4a5b-9a4e-3c2f1e0d9b8a', correctLabel: 'horse' }).success).toBe(false);
    expect(feedbackSchema.safeParse({ predictionId: '1 OR 1=1', correctLabel: 'cat' }).success).toBe(false);
  });
  it('normalises the email and enforces the password length (10 to 128)', () => {
    expect(signUpSchema.parse({ email: '  Me@Example.COM ', password: 'tabby-on-a-mat' }).email).toBe('me@example.com');
    expect(signUpSchema.safeParse({ email: 'me@example.com', password: 'tabby-mat' }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: 'me@example.com', password: 'x'.repeat(7) + 'tabby'.repeat(25) }).success).toBe(false);
  });
});

describe('password policy', () => {
  const problem = (password: string, email = 'Whiskers.Owner@example.com') => {
    const parsed = signUpSchema.safeParse({ email, password });
    return parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  };

  it('accepts long, personal passphrases', () => {
    expect(problem('the tabby sleeps on my keyboard')).toBeNull();
    expect(problem('q7#Lm2!vR9zx')).toBeNull();
    expect(passwordProblem('correct horse battery', 'me@example.com')).toBeNull();
  });

  it('refuses the email address or its name part as the password', () => {
    expect(problem('whiskers.owner@example.com')).toMatch(/^password: .*email/);
    expect(problem('Whiskers.Owner2024')).toMatch(/email/);
    expect(problem('my whiskers.owner@example.com!')).toMatch(/email/);
  });

  it('refuses common passwords, also with digits or symbols added, in any case', () => {
    for (const password of ['password123', 'Password1234!', 'qwertyuiop', '1234567890', 'iloveyou2024', 'LetMeIn!!!!!', 'P@ssw0rd2025', 'correcthorsebatterystaple']) {
      expect({ password, problem: problem(password) }).toEqual({ password, problem: expect.stringMatching(/too common/) });
    }
  });

  it('refuses one or two characters repeated', () => {
    expect(problem('aaaaaaaaaaaa')).toMatch(/different characters/);
    expect(problem('abababababab')).toMatch(/different characters/);
  });
});

describe('safeCallbackUrl', () => {
  it.each([
    ['/history', '/history'],
    ['/history/abc?x=1', '/history/abc?x=1'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    // Browsers drop tabs and newlines in URLs: these are //evil.example to them.
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\r\n/evil.example', '/'],
    ['/%09/evil.example', '/%09/evil.example'],
    // Dot segments are removed by parsing, leaving //evil.example behind.
    ['/.//evil.example', '/'],
    ['/..//evil.example', '/'],
    ['/%2e//evil.example', '/'],
    ['/history/..//evil.example', '/'],
    ['/./\\evil.example', '/'],
    ['/history/../account', '/account'],
    ['/history#item', '/history#item'],
    [undefined, '/'],
  ])('%s -> %s', (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});

it('formats byte sizes for messages', () => {
  expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  expect(formatBytes(1536)).toBe('2 KB');
  expect(formatBytes(12)).toBe('12 bytes');
});
