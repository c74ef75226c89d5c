/**
 * The security headers next.config.ts sends (the e2e suite checks them on
 * the production server; tests/e2e/security.test.ts).
 */
import { contentSecurityPolicy, securityHeaders } from '~/lib/security-headers';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('contentSecurityPolicy', () => {
  it('production: no eval, no foreign scripts, no plugins, no framing, forms to self only', () => {
    const csp = directives(contentSecurityPolicy({ dev: false, https: false }));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('dev allows eval and the HMR WebSocket; https upgrades stray http', () => {
    const dev = directives(contentSecurityPolicy({ dev: true, https: false }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
    expect(directives(contentSecurityPolicy({ dev: false, https: true })).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('securityHeaders', () => {
  it('always sends CSP, nosniff, a referrer policy and DENY framing; HSTS only over https', () => {
    const http = Object.fromEntries(securityHeaders({ dev: false, https: false }).map((h) => [h.key, h.value]));
    expect(http['X-Content-Type-Options']).toBe('nosniff');
    expect(http['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(http['X-Frame-Options']).toBe('DENY');
    expect(http['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(http['Strict-Transport-Security']).toBeUndefined();
    const https = Object.fromEntries(securityHeaders({ dev: false, https: true }).map((h) => [h.key, h.value]));
    expect(https['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
  });
});
