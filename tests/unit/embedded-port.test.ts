/**
 * The embedded PostgreSQL's port choice. The launcher starts the database
 * before the app server listens, so the app's port looks free at that moment;
 * it must still never be taken (an e2e run once lost a server to exactly
 * that: both were handed the same free port).
 */
import net from 'node:net';
import { chooseClusterPort, freePort } from '~/lib/db/embedded';

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('chooseClusterPort', () => {
  it('keeps the configured port when it is free', async () => {
    const port = await freePort();
    expect(await chooseClusterPort(port)).toBe(port);
  });

  it('moves to another free port when the configured one is taken', async () => {
    const port = await freePort();
    const holder = await listenOn(port);
    try {
      const chosen = await chooseClusterPort(port);
      expect(chosen).not.toBe(port);
      await listenOn(chosen).then((server) => server.close());
    } finally {
      holder.close();
    }
  });

  it('never takes a port it is told to avoid, though nothing listens there yet', async () => {
    const appPort = await freePort();
    expect(await chooseClusterPort(appPort, [appPort])).not.toBe(appPort);
    for (let i = 0; i < 20; i++) expect(await chooseClusterPort(0, [appPort])).not.toBe(appPort);
  });
});
