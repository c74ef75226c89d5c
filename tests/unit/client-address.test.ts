/**
 * scripts/serve.cjs: which address the app's per-address limits see, for
 * each number of trusted reverse proxies. The e2e security test checks the
 * running server end to end.
 */
import type { IncomingMessage } from 'node:http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { clientAddress, settleForwardingHeaders } = require('../../scripts/serve.cjs') as {
  clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, hops: number): string;
  settleForwardingHeaders(request: IncomingMessage, hops: number): void;
};

describe('clientAddress', () => {
  it('with no proxy trusted, is the connection peer whatever the client claims', () => {
    expect(clientAddress(undefined, '198.51.100.7', 0)).toBe('198.51.100.7');
    expect(clientAddress('203.0.113.1', '198.51.100.7', 0)).toBe('198.51.100.7');
    expect(clientAddress('203.0.113.1, 10.0.0.1', '198.51.100.7', 0)).toBe('198.51.100.7');
  });

  it('with N trusted proxies, is the address the outermost of them saw (the Nth from the right)', () => {
    // client -> proxy (appends the client's address) -> PetLens (peer = the proxy)
    expect(clientAddress('198.51.100.7', '10.0.0.2', 1)).toBe('198.51.100.7');
    // A forged entry in front of what the proxy appended is ignored.
    expect(clientAddress('203.0.113.1, 198.51.100.7', '10.0.0.2', 1)).toBe('198.51.100.7');
    // Two proxies: client -> CDN -> nginx -> PetLens.
    expect(clientAddress('203.0.113.1, 198.51.100.7, 10.0.0.9', '10.0.0.2', 2)).toBe('198.51.100.7');
  });

  it('never reads past the left end of a short chain, and names a missing peer', () => {
    expect(clientAddress('', '10.0.0.2', 3)).toBe('10.0.0.2');
    expect(clientAddress(' , ', undefined, 0)).toBe('unknown');
  });
});

describe('settleForwardingHeaders', () => {
  const request = (headers: Record<string, string>) => ({ headers: { ...headers }, socket: { remoteAddress: '198.51.100.7' } }) as unknown as IncomingMessage;

  it('with no proxy trusted, drops every forwarding header the client sent and sets X-Forwarded-For to the peer', () => {
    const forged = request({ 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.2', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', host: 'petlens.test' });
    settleForwardingHeaders(forged, 0);
    expect(forged.headers).toEqual({ 'x-forwarded-for': '198.51.100.7', host: 'petlens.test' });
  });

  it("behind a trusted proxy, keeps the proxy's host and protocol and settles the address", () => {
    const proxied = request({ 'x-forwarded-for': '203.0.113.1, 192.0.2.10', 'x-forwarded-host': 'petlens.example', 'x-forwarded-proto': 'https' });
    settleForwardingHeaders(proxied, 1);
    expect(proxied.headers).toEqual({ 'x-forwarded-for': '192.0.2.10', 'x-forwarded-host': 'petlens.example', 'x-forwarded-proto': 'https' });
  });
});
