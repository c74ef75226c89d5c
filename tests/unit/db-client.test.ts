import { withUtcSessions } from '~/lib/db/client';

describe('withUtcSessions', () => {
  it('adds the UTC session option and keeps the rest of the connection string as it was', () => {
    const url = new URL(withUtcSessions('postgresql://postgres:p%40ss@127.0.0.1:5432/petlens'));
    expect([url.protocol, url.username, decodeURIComponent(url.password), url.host, url.pathname]).toEqual(['postgresql:', 'postgres', 'p@ss', '127.0.0.1:5432', '/petlens']);
    expect(Object.fromEntries(url.searchParams)).toEqual({ options: '-c TimeZone=UTC' });
  });

  it('keeps options the string already has', () => {
    const url = new URL(withUtcSessions('postgres://u:p@db.example:6543/app?application_name=petlens&options=-c%20search_path%3Dapp'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ application_name: 'petlens', options: '-c search_path=app -c TimeZone=UTC' });
  });
});
