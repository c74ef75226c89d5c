/**
 * The embedded PostgreSQL's port choice. The launcher starts the database
 * before the app server listens, so the app's port looks free at that moment;
 * it must still never be taken (an e2e run once lost a server to exactly
 * that: both were handed the same free port).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { chooseClusterPort, clusterInUse, freePort } from '~/lib/db/embedded';
import { withTempFolder } from '../support/file-tree';

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

describe('clusterInUse (a running PostgreSQL on the folder: tests/app/faults-database.test.ts)', () => {
  it('is null without a lock file, and for a lock whose process is gone or is not a PostgreSQL', async () => {
    await withTempFolder('petlens-lock-', async (cluster) => {
      expect(await clusterInUse(cluster)).toBeNull();
      // A server gone (a crash): PostgreSQL clears such a lock itself on start.
      const gone = spawnSync('true').pid;
      await writeFile(path.join(cluster, 'postmaster.pid'), `${gone}\n${cluster}\n1795369480\n54329\n`);
      expect(await clusterInUse(cluster)).toBeNull();
      // Its pid handed to another program since (here this test's own process): told apart where /proc names it.
      await writeFile(path.join(cluster, 'postmaster.pid'), `${process.pid}\n${cluster}\n1795369480\n54329\n`);
      expect(await clusterInUse(cluster)).toEqual(existsSync('/proc/self/comm') ? null : { pid: process.pid, port: 54329 });
      await writeFile(path.join(cluster, 'postmaster.pid'), 'garbage');
      expect(await clusterInUse(cluster)).toBeNull();
    });
  });
});
