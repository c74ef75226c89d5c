/**
 * Raw HTTP/1.1 over a socket, for what a client library would not send (a request that is not HTTP, headers cut off):
 * the tests of what the server's parser turns away.
 */
import net from 'node:net';

/** Everything the server sent until it closed the connection, and how long that took. */
export interface RawAnswer {
  text: string;
  status: number | null;
  json: unknown;
  ms: number;
}

/** Writes `pieces` on a fresh connection to 127.0.0.1:`port` and reads until the server closes it (10 s at most). */
export function exchangeRaw(port: number, ...pieces: string[]): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; it sent: ${Buffer.concat(chunks).toString('latin1')}`));
    }, 10_000);
    socket.on('data', (data) => chunks.push(data));
    socket.on('error', () => undefined); // a reset after the answer: what was read is what counts
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]) || null;
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // Not JSON: left null, and the test's expectation shows the text.
      }
      resolve({ text, status, json, ms: performance.now() - started });
    });
    for (const piece of pieces) socket.write(piece);
  });
}
