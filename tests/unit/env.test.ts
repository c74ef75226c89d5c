/**
 * lib/env parses process.env once, at import: each case loads a fresh copy
 * of the module with the variable set as an operator would set it.
 */
import type { ServerEnv } from '~/lib/env';

function loadEnv(vars: Record<string, string | undefined>): ServerEnv {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  for (const [name, value] of Object.entries(vars)) if (value === undefined) delete process.env[name];
  try {
    let env: ServerEnv | undefined;
    jest.isolateModules(() => {
      env = (require('~/lib/env') as { env: ServerEnv }).env;
    });
    return env!;
  } finally {
    process.env = saved;
  }
}

describe('GUEST_RETENTION_DAYS', () => {
  it('defaults to 0 (guests’ uploads are not stored); empty counts as unset', () => {
    expect(loadEnv({ GUEST_RETENTION_DAYS: undefined }).GUEST_RETENTION_DAYS).toBe(0);
    expect(loadEnv({ GUEST_RETENTION_DAYS: '' }).GUEST_RETENTION_DAYS).toBe(0);
  });

  it('takes a whole number of days', () => {
    expect(loadEnv({ GUEST_RETENTION_DAYS: '0' }).GUEST_RETENTION_DAYS).toBe(0);
    expect(loadEnv({ GUEST_RETENTION_DAYS: '30' }).GUEST_RETENTION_DAYS).toBe(30);
  });

  it.each(['-1', '1.5', 'a week', '36501'])('refuses %p and says which variable is wrong', (value) => {
    expect(() => loadEnv({ GUEST_RETENTION_DAYS: value, SKIP_ENV_VALIDATION: undefined })).toThrow(/Invalid environment[\s\S]*GUEST_RETENTION_DAYS/);
  });
});

describe('SKIP_ENV_VALIDATION', () => {
  it('falls back to the default for an invalid variable only; the valid ones stand', () => {
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const env = loadEnv({ SKIP_ENV_VALIDATION: '1', GUEST_RETENTION_DAYS: 'a week', API_MAX_FILES: '4' });
      expect([env.GUEST_RETENTION_DAYS, env.API_MAX_FILES]).toEqual([0, 4]);
      expect(warned).toHaveBeenCalledWith(expect.stringMatching(/ignoring invalid environment[\s\S]*GUEST_RETENTION_DAYS/));
    } finally {
      warned.mockRestore();
    }
  });
});
