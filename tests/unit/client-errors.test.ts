/**
 * scripts/serve.cjs, answerClientError: what a request that Node's HTTP parser
 * turns away gets (a malformed request, headers too large, a request that
 * outlasts Node's timeouts). Node's default is a bare status line with no
 * body; the API promises JSON errors. Real node:http servers and sockets, with
 * Node's timeouts shortened so that they fire within the test. The e2e hostile
 * sweep checks that the production server has this listener.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { until } from '../api/helpers';
import { exchangeRaw } from '../support/raw-http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { answerClientError } = require('../../scripts/serve.cjs') as {
  answerClientError(error: NodeJS.ErrnoException, socket: net.Socket): void;
};

let server: http.Server;
let port: number;
/** Set by a test whose handler must keep its response open. */
let holdResponse: ((response: http.ServerResponse) => void) | null = null;

beforeEach(async () => {
  holdResponse = null;
  server = http.createServer({ headersTimeout: 400, requestTimeout: 800, connectionsCheckingInterval: 50 }, (request, response) => {
    if (holdResponse) return holdResponse(response);
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('a request that is not HTTP: 400 with a JSON error, and the connection closed', async () => {
  const answer = await exchangeRaw(port, 'HELLO THERE\r\n\r\n');
  expect(answer).toMatchObject({ status: 400, json: { error: { code: 'bad_request', message: 'The request is not valid HTTP/1.1.' } } });
  expect(answer.text).toMatch(/^content-type: application\/json$/im);
  expect(answer.text).toMatch(/^connection: close$/im);
  // The length is the body's, so a client reading by it gets exactly the JSON.
  const length = Number(/^content-length: (\d+)$/im.exec(answer.text)?.[1]);
  expect(length).toBe(Buffer.byteLength(JSON.stringify(answer.json)));
});

it('closes its side whole, even for a client that keeps its own open (a half-open socket would be held for good)', async () => {
  // A server of its own with Node's default timeouts, which would otherwise close the socket soon anyway.
  const plain = http.createServer((request, response) => response.end('ok'));
  plain.on('clientError', answerClientError);
  const ours = new Promise<net.Socket>((resolve) => plain.once('connection', resolve));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const socket = net.connect({ port: (plain.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  try {
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (data) => (text += data.toString('latin1')));
    const answered = new Promise((resolve) => socket.once('end', resolve));
    socket.write('HELLO THERE\r\n\r\n');
    await answered;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const serverSide = await ours;
    await until('the server closes its socket', () => serverSide.destroyed, 5_000);
  } finally {
    socket.destroy();
    plain.closeAllConnections();
    await new Promise((resolve) => plain.close(resolve));
  }
});

it('headers over the size limit: 431 with a JSON error', async () => {
  const answer = await exchangeRaw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(answer).toMatchObject({ status: 431, json: { error: { code: 'bad_request', message: 'The request headers are too large.' } } });
});

it('headers that stop arriving: 408 with a JSON error once headersTimeout has passed', async () => {
  const answer = await exchangeRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\n');
  expect(answer).toMatchObject({ status: 408, json: { error: { code: 'request_timeout' } } });
  expect(answer.ms).toBeGreaterThan(350);
});

it('a body that stops arriving: 408 with a JSON error once requestTimeout has passed', async () => {
  const answer = await exchangeRaw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n', 'only part of it');
  expect(answer).toMatchObject({ status: 408, json: { error: { code: 'request_timeout' } } });
  expect(answer.ms).toBeGreaterThan(750);
});

it('a request that parses is not touched', async () => {
  const answer = await exchangeRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(answer.status).toBe(200);
  expect(answer.text.endsWith('ok')).toBe(true);
});

it('writes nothing into a response already begun: garbage sent behind a request being answered only closes the connection', async () => {
  holdResponse = (response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.write('partial');
  };
  const received = await new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (data) => {
      const first = text === '';
      text += data.toString('latin1');
      // The answer has begun: now the next "request" on the connection is garbage.
      if (first) socket.write('NOT HTTP\r\n\r\n');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
  expect(received).toContain('partial');
  expect(received).not.toContain('HTTP/1.1 400');
  expect(received).not.toContain('bad_request');
});
