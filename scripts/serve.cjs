/**
 * The production HTTP server that `npm start` runs (scripts/start.ts):
 * Next's own request handler behind a plain node:http server, so that the
 * client's address is decided here, from the TCP connection, before Next and
 * the app see the request.
 *
 *   node scripts/serve.cjs --port 3000 --trusted-proxy-hops 0
 *
 * Why not `next start`: it fills X-Forwarded-For with the socket's address
 * only when the header is absent, so a client talking to it directly can put
 * any address there, and every per-address limit (sign-in, sign-up, guest
 * uploads, anonymous API calls) would be a per-request choice of the client.
 * Here X-Forwarded-For is rewritten to one address:
 *  - 0 trusted proxies (the default: PetLens faces the clients itself): the
 *    socket's peer; whatever the client sent is dropped, and so are the
 *    X-Forwarded-Host / -Proto / -Port and X-Real-IP it may have sent;
 *  - N trusted proxies: the address the outermost trusted proxy saw, i.e.
 *    the Nth entry from the right of "X-Forwarded-For, socket peer" (each
 *    proxy appends the address it received the request from, so entries
 *    further left are the client's to choose).
 * The app reads the first X-Forwarded-For entry (lib/server/rate-limits.ts,
 * lib/server/api/http.ts), which after this is that one address.
 *
 * Plain CommonJS with no TypeScript: it starts Next and nothing else; the
 * settings are validated by lib/env.ts in scripts/start.ts and passed in.
 */
'use strict';

const http = require('node:http');
const path = require('node:path');

/**
 * The client's address: the entry `hops` places from the right of the
 * X-Forwarded-For chain with the socket's peer appended (the leftmost entry
 * when the chain is shorter than that).
 */
function clientAddress(forwardedFor, socketAddress, hops) {
  const chain = String(forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  chain.push(socketAddress || 'unknown');
  return chain[Math.max(0, chain.length - 1 - hops)];
}

/** Rewrites the forwarding headers of `request` in place (see the file comment). */
function settleForwardingHeaders(request, hops) {
  const headers = request.headers;
  headers['x-forwarded-for'] = clientAddress(headers['x-forwarded-for'], request.socket.remoteAddress, hops);
  delete headers['x-real-ip'];
  if (hops === 0) {
    // Next derives these from the connection when they are absent.
    delete headers['x-forwarded-host'];
    delete headers['x-forwarded-proto'];
    delete headers['x-forwarded-port'];
  }
}

/**
 * What a request Node's parser turns away gets: the status Node itself would send, with the API's JSON error body
 * instead of Node's bare status line. It is answered before any route sees the request (before Next, before the
 * app's own checks), so this is the only place that can keep to the API's `{"error": {"code", "message"}}` for it.
 */
const CLIENT_ERRORS = {
  // The headers (and request line) over Node's --max-http-header-size (16 KiB by default).
  HPE_HEADER_OVERFLOW: [431, 'bad_request', 'The request headers are too large.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'payload_too_large', 'The chunk extensions of the request body are too large.'],
  // Headers not in within headersTimeout (60 s), or the whole request not within requestTimeout (300 s).
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive; please retry on a faster connection.'],
};
const MALFORMED = [400, 'bad_request', 'The request is not valid HTTP/1.1.'];

/**
 * The server's 'clientError' listener. As Node's default does, it writes nothing on a connection that can no longer
 * take it or that has begun an answer to the request (bytes after a response's head would corrupt it), and closes
 * the connection: after a parse error its remaining bytes cannot be read as requests. Closes it whole, once the
 * answer is written: the server's sockets are half-open ones, so ending only our side would leave it to the client,
 * and a slow client, the kind the timeouts are for, would hold it (and a request in flight on it) for good.
 */
function answerClientError(error, socket) {
  // The response in flight on this connection, if any. Stricter than Node's own check (header bytes written): a
  // response whose head is set but not yet written is not answered over either.
  const answering = socket._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || (answering && answering.headersSent)) {
    socket.destroy();
    return;
  }
  const [status, code, message] = CLIENT_ERRORS[error.code] ?? MALFORMED;
  const body = JSON.stringify({ error: { code, message } });
  // The answer is written once the client reads it; one that stops reading (with earlier answers filling the
  // connection) is not waited for beyond this.
  socket.setTimeout(5_000, () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** How long a stop waits for the requests in flight: less than the 10 s the launcher allows before SIGKILL. */
const DRAIN_MS = 8_000;

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`serve.cjs: --${name} <whole number> is required`);
  return value;
}

async function main() {
  // What `ps` and the soak script (scripts/soak.ts) look for.
  process.title = 'petlens-server';
  const port = option('port');
  const hops = option('trusted-proxy-hops');
  // The launcher gone without stopping us first (killed with SIGKILL, or by the OOM killer): nothing would ever stop
  // this server, which would hold the port for good. Its IPC channel closing is how we learn it, and Node says so
  // once: while Next is still starting there is nothing to answer, so we exit; once serving, we drain first.
  let stopServing = null;
  process.once('disconnect', () => (stopServing ? stopServing() : process.exit(0)));
  const next = require('next');
  const app = next({ dev: false, dir: path.resolve(__dirname, '..'), port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Requests being handled, so that a stop can answer them before it exits.
  let inFlight = 0;
  let stopping = false;
  let allAnswered = () => {};
  const server = http.createServer((request, response) => {
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (!stopping) return;
      server.closeIdleConnections();
      if (inFlight === 0) allAnswered();
    });
    settleForwardingHeaders(request, hops);
    void handle(request, response);
  });
  server.on('clientError', answerClientError);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  console.log(`[petlens] HTTP on port ${port} (${hops === 0 ? 'no proxy trusted: client addresses from the connection' : `${hops} trusted prox${hops === 1 ? 'y' : 'ies'} in front`})`);
  // Tells the launcher (scripts/start.ts) this start succeeded: a later death is a crash to restart from.
  process.send?.({ type: 'listening' });
  // A stop takes no new connections, closes idle keep-alive ones, and answers
  // the requests it is handling (an upload being saved) before it exits; a
  // request that has not finished within DRAIN_MS has its connection closed.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(); // on Node >= 19 this also closes the keep-alive connections that are idle now
    const answered = inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (allAnswered = resolve));
    const late = new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    void Promise.race([answered, late])
      .then(() => {
        server.closeAllConnections();
        return app.close();
      })
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A closed terminal sends SIGHUP to the whole process group, this server included, not only to the launcher, and
  // often twice (the shell passes it on to its jobs, the kernel sends its own): Node's default for it is to exit at
  // once, which would cut off the requests in flight, so every SIGHUP is handled (`on`, not `once`).
  process.on('SIGHUP', stop);
  stopServing = stop;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`[petlens] cannot serve: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

module.exports = { answerClientError, clientAddress, settleForwardingHeaders };
