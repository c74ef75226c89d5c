/**
 * End to end, production build (issue #6): the authorization matrix of every
 * page and route handler. The paths are read from app/ (page, route and
 * metadata files), so a new one without an entry in ROUTES fails here. Each
 * is requested over plain HTTP as a guest, as user A, as user B (who owns
 * the prediction the dynamic segments are filled with) and as the admin,
 * with the segment filled with B's real prediction id, a random uuid and a
 * string that is no uuid. No answer is a 5xx and no body carries another
 * user's data (email, prediction id, photo hash, token prefix), admin
 * surfaces for the admin excepted. Then the REST API's tokens, and an admin
 * session whose account was demoted since sign-in.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'pg';
import { readSample } from '../fixtures/images';
import { cookieHeader, signIn, signUp } from '../support/e2e-auth';
import { connectToServerDatabase, insertApiToken } from '../support/e2e-db';
import type { Browser } from 'playwright-core';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';

const ADMIN = { email: 'authz-admin@example.test', password: 'authz admin password 314' };

type Role = 'guest' | 'userA' | 'userB' | 'admin';
const ROLES: Role[] = ['guest', 'userA', 'userB', 'admin'];

/** What fills a dynamic segment: B's real prediction id, a random uuid, or no uuid at all. */
type Fill = 'bPrediction' | 'randomUuid' | 'notUuid';
const FILLS: Fill[] = ['bPrediction', 'randomUuid', 'notUuid'];

/** A status, or a redirect to sign-in (coming back to the path) or home. */
type Expected = 200 | 400 | 401 | 403 | 404 | 405 | 'login' | 'home';

interface RouteEntry {
  /** Who gets what; `fill` is the dynamic segment's, or null on a static path. */
  expect: (role: Role, fill: Fill | null) => Expected;
  /** What a catch-all segment is filled with besides FILLS (it has meaningful values of its own). */
  extraFills?: string[];
  /** Checks an allowed (200) answer's body. */
  allowed?: (role: Role, fill: string | null, body: string) => void;
}

interface Person {
  email: string;
  id: string;
  /** The session, as a Cookie header. */
  cookie: string;
}

/** A user with data of their own: one stored prediction and an API token. */
interface Owner extends Person {
  prediction: string;
  sha256: string;
  tokenPrefix: string;
}

let server: E2eServer;
let browser: Browser;
let baseUrl: string;
let db: Client;
let people: { userA: Owner; userB: Owner; admin: Person };
let tokens: { a: string; b: string; bRevoked: string };

const signedIn = (role: Role) => role !== 'guest';
const isB = (role: Role, fill: Fill | null) => role === 'userB' && fill === 'bPrediction';

/** Keyed by the path as app/ spells it, route groups left out. */
const ROUTES: Record<string, RouteEntry> = {
  '/': { expect: () => 200, allowed: (role, _fill, body) => signedIn(role) && expect(body).toContain(people[role as Exclude<Role, 'guest'>].email) },
  '/login': { expect: (role) => (signedIn(role) ? 'home' : 200) },
  '/signup': { expect: (role) => (signedIn(role) ? 'home' : 200) },
  '/history': {
    expect: (role) => (signedIn(role) ? 200 : 'login'),
    allowed: (role, _fill, body) => role !== 'admin' && expect(body).toContain(people[role as 'userA' | 'userB'].prediction),
  },
  '/history/[id]': {
    expect: (role, fill) => (!signedIn(role) ? 'login' : isB(role, fill) ? 200 : 404),
    allowed: (_role, _fill, body) => expect(body).toContain(people.userB.sha256),
  },
  '/history/[id]/thumbnail': { expect: (role, fill) => (!signedIn(role) ? 401 : isB(role, fill) ? 200 : 404) },
  '/account': {
    expect: (role) => (signedIn(role) ? 200 : 'login'),
    allowed: (role, _fill, body) => expect(body).toContain(people[role as Exclude<Role, 'guest'>].email),
  },
  '/admin': { expect: (role) => (role === 'admin' ? 200 : signedIn(role) ? 'home' : 'login') },
  '/admin/review': {
    expect: (role) => (role === 'admin' ? 200 : signedIn(role) ? 'home' : 'login'),
    // B's prediction was marked wrong: the admin reviews everyone's.
    allowed: (_role, _fill, body) => expect(body).toContain(people.userB.prediction),
  },
  '/admin/data': {
    expect: (role) => (role === 'admin' ? 200 : signedIn(role) ? 'home' : 'login'),
    // What is stored, with the purge forms; the counts are everyone's.
    allowed: (_role, _fill, body) => expect(body).toContain('PURGE'),
  },
  '/admin/export.csv': {
    expect: (role) => (role === 'admin' ? 200 : signedIn(role) ? 403 : 401),
    allowed: (_role, _fill, body) => expect(body).toContain(people.userB.prediction),
  },
  '/admin/predictions/[id]/thumbnail': { expect: (role, fill) => (role === 'admin' ? (fill === 'bPrediction' ? 200 : 404) : signedIn(role) ? 403 : 401) },
  '/api/auth/[...nextauth]': {
    // next-auth's own endpoints answer everyone; anything else is its 400.
    expect: (_role, fill) => (fill === null ? 200 : 400),
    extraFills: ['session', 'csrf', 'providers'],
    allowed: (role, fill, body) => fill === 'session' && signedIn(role) && expect(body).toContain(people[role as Exclude<Role, 'guest'>].email),
  },
  '/api/v1/health': { expect: () => 200 },
  '/api/v1/model': { expect: () => 200 },
  '/api/v1/openapi.json': { expect: () => 200 },
  // POST only (below); a GET is refused whoever asks, with the API's JSON error.
  '/api/v1/predict': { expect: () => 405 },
  // Any /api path no route answers: the API's JSON 404 (not the HTML page), whoever asks.
  '/api/[[...path]]': { expect: () => 404, extraFills: ['', 'v2/predict', 'v1/predictions', 'v1'] },
  '/icon.svg': { expect: () => 200 },
};

// ---- the paths in app/ ----------------------------------------------------------

const APP = path.resolve(__dirname, '..', '..', 'app');
const METADATA_FILE = /^(icon|apple-icon|favicon|opengraph-image|twitter-image|sitemap|robots|manifest)\d*\.\w+$/;

/** Every page, route handler and metadata file under app/, as its URL path (dynamic segments as written). */
async function appPaths(dir = APP, segments: string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith('_')) continue; // private folders are not routes
      const routed = /^\(.*\)$/.test(entry.name) || entry.name.startsWith('@') ? segments : [...segments, entry.name];
      found.push(...(await appPaths(path.join(dir, entry.name), routed)));
    } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
      found.push(`/${segments.join('/')}`);
    } else if (METADATA_FILE.test(entry.name)) {
      found.push(`/${[...segments, entry.name].join('/')}`);
    }
  }
  return found;
}

// ---- setting the stage -----------------------------------------------------------

function predict(image: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'photo.jpg');
  return fetch(`${baseUrl}/api/v1/predict`, { method: 'POST', body: form, headers });
}

async function predictionCounts(): Promise<Record<string, number>> {
  const rows = await db.query<{ userId: string; n: string }>('SELECT "userId", count(*) AS n FROM "Prediction" GROUP BY "userId"');
  return Object.fromEntries(rows.rows.map((r) => [r.userId, Number(r.n)]));
}

beforeAll(async () => {
  // First: a missing Chromium is said at once, not after the server's build.
  browser = await launchChromium();
  const photos = { userA: await readSample('dog'), userB: await readSample('cat') };
  server = await startE2eServer('authz', {
    SIGN_IN_RATE_LIMIT: '0',
    SIGN_UP_RATE_LIMIT: '0',
    UPLOAD_RATE_LIMIT: '0',
    API_ANON_RATE_LIMIT: '0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  baseUrl = server.baseUrl;
  db = await connectToServerDatabase(server);

  // A and B sign up through the form, the admin signs in; their sessions then go over plain HTTP.
  const emails = { userA: `authz-a-${randomUUID()}@example.test`, userB: `authz-b-${randomUUID()}@example.test`, admin: ADMIN.email };
  const signedInAs = async (role: keyof typeof emails): Promise<Person> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (role === 'admin') await signIn(page, baseUrl, ADMIN.email, ADMIN.password);
    else await signUp(page, baseUrl, emails[role], 'a long enough passphrase');
    const cookie = await cookieHeader(context);
    await context.close();
    const { id } = (await db.query<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [emails[role]])).rows[0]!;
    return { id, email: emails[role], cookie };
  };
  let a: Person, b: Person, admin: Person;
  try {
    [a, b, admin] = [await signedInAs('userA'), await signedInAs('userB'), await signedInAs('admin')];
  } finally {
    // Only the sign-ins need it; the checks below go over plain HTTP.
    await browser.close();
  }

  // Each user uploads one photo with their own API token (a dog for A, a cat for B).
  tokens = { a: await insertApiToken(db, a.id), b: await insertApiToken(db, b.id), bRevoked: await insertApiToken(db, b.id, { revoked: true }) };
  const upload = async (person: Person, token: string, image: Buffer): Promise<Owner> => {
    const body = (await (await predict(image, { authorization: `Bearer ${token}` })).json()) as { saved: boolean; predictions: { id: string }[] };
    expect(body.saved).toBe(true);
    return { ...person, prediction: body.predictions[0]!.id, sha256: createHash('sha256').update(image).digest('hex'), tokenPrefix: token.slice(0, 10) };
  };
  people = { userA: await upload(a, tokens.a, photos.userA), userB: await upload(b, tokens.b, photos.userB), admin };
  // B said their cat is a dog: it is in the admin's review queue.
  await db.query(`UPDATE "Prediction" SET "correctLabel" = 'dog', "ownerLabel" = 'dog', "feedbackAt" = now() WHERE id = $1`, [people.userB.prediction]);
}, 300_000);

afterAll(async () => {
  // Closed already unless the setup failed before the sign-ins were done (closing twice is harmless).
  await browser?.close();
  await db?.end();
  await server?.stop();
}, 60_000);

// ---- the walk ----------------------------------------------------------------------

/** Other users' data that `role` must never get on `url` (the admin may on admin surfaces). */
function forbiddenMarkers(role: Role, url: string): string[] {
  if (role === 'admin' && url.startsWith('/admin')) return [];
  return (['userA', 'userB'] as const)
    .filter((other) => other !== role)
    .flatMap((other) => [people[other].email, people[other].sha256, people[other].tokenPrefix, people[other].prediction])
    // A 404 page's route data echoes the requested path, and with it the id asked for.
    .filter((marker) => !url.includes(marker));
}

async function request(role: Role, url: string): Promise<{ status: number; location: URL | null; body: string; type: string }> {
  const headers: Record<string, string> = role === 'guest' ? {} : { cookie: people[role].cookie };
  const response = await fetch(`${baseUrl}${url}`, { headers, redirect: 'manual' });
  const location = response.headers.get('location');
  const type = response.headers.get('content-type') ?? '';
  // Images (thumbnails, the icon) are drained, not searched for text.
  const body = type.startsWith('image/') ? (await response.arrayBuffer(), '') : await response.text();
  return { status: response.status, location: location ? new URL(location, baseUrl) : null, body, type };
}

it('every page and route handler under app/ has an entry in the matrix (and every entry a file)', async () => {
  const found = (await appPaths()).sort();
  expect({ missing: found.filter((p) => !(p in ROUTES)), stale: Object.keys(ROUTES).filter((p) => !found.includes(p)) }).toEqual({ missing: [], stale: [] });
});

describe.each(Object.entries(ROUTES))('%s', (pattern, entry) => {
  const dynamic = /\[[^\]]+\]/.test(pattern);

  it.each(ROLES)('as %s', async (role) => {
    const values: { fill: Fill | null; value: string | null }[] = dynamic
      ? [
          ...(entry.extraFills ?? []).map((value) => ({ fill: null, value })),
          ...FILLS.map((fill) => ({ fill, value: { bPrediction: people.userB.prediction, randomUuid: randomUUID(), notUuid: 'not-a-uuid' }[fill] })),
        ]
      : [{ fill: null, value: null }];
    for (const { fill, value } of values) {
      // An optional catch-all ([[...path]]) filled with '' is the path without the segment.
      const url = value === null ? pattern : pattern.replace(/\/\[\[?[^\]]+\]\]?/, value === '' ? '' : `/${value}`);
      const want = entry.expect(role, fill);
      const got = await request(role, url);
      const what = `${role} GET ${url}`;
      if (want === 'login' || want === 'home') {
        expect({ what, status: [302, 303, 307, 308].includes(got.status), to: got.location?.pathname }).toEqual({ what, status: true, to: want === 'home' ? '/' : '/login' });
        if (want === 'login') expect({ what, callbackUrl: got.location!.searchParams.get('callbackUrl') }).toEqual({ what, callbackUrl: url });
      } else {
        expect({ what, status: got.status }).toEqual({ what, status: want });
      }
      if (want === 401 || want === 403 || want === 405 || (want === 404 && (got.type.includes('json') || url.startsWith('/api')))) {
        expect({ what, body: JSON.parse(got.body) as unknown }).toEqual({ what, body: { error: { code: expect.any(String), message: expect.any(String) } } });
      }
      if (want === 200) entry.allowed?.(role, value, got.body);
      for (const marker of forbiddenMarkers(role, url)) expect({ what, leaks: got.body.includes(marker) ? marker : null }).toEqual({ what, leaks: null });
    }
  });
});

it('through Next: other methods on /api/v1 are JSON 405 with Allow, OPTIONS lists the real ones, HEAD follows GET, other /api paths are JSON 404', async () => {
  const call = (method: string, url: string) => fetch(`${baseUrl}${url}`, { method, redirect: 'manual' });
  const endpoints: [string, 'GET' | 'POST'][] = [['/api/v1/predict', 'POST'], ['/api/v1/health', 'GET'], ['/api/v1/model', 'GET'], ['/api/v1/openapi.json', 'GET']];
  for (const [url, takes] of endpoints) {
    const allow = takes === 'GET' ? 'GET, HEAD, OPTIONS' : 'POST, OPTIONS';
    const options = await call('OPTIONS', url);
    expect({ url, status: options.status, allow: options.headers.get('allow') }).toEqual({ url, status: 204, allow });
    for (const method of [takes === 'GET' ? 'POST' : 'GET', 'PUT', 'PATCH', 'DELETE']) {
      const refused = await call(method, url);
      const what = `${method} ${url}`;
      expect({ what, status: refused.status, allow: refused.headers.get('allow') }).toEqual({ what, status: 405, allow });
      expect(await refused.json()).toEqual({ error: { code: 'method_not_allowed', message: `${method} is not allowed here; this endpoint answers ${takes}` } });
    }
  }
  expect((await call('HEAD', '/api/v1/predict')).status).toBe(405);
  expect((await call('HEAD', '/api/v1/health')).status).toBe(200);
  for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']) {
    const missing = await call(method, '/api/v2/predict');
    expect({ method, status: missing.status, type: missing.headers.get('content-type') }).toEqual({ method, status: 404, type: expect.stringMatching(/^application\/json/) });
    if (method !== 'HEAD') expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  }
  // next-auth keeps its own paths.
  expect((await call('GET', '/api/auth/providers')).status).toBe(200);
});

// ---- the REST API's tokens --------------------------------------------------------

describe('POST /api/v1/predict', () => {
  let cat: Buffer;
  beforeAll(async () => {
    cat = await readSample('cat');
  });

  it('without a token it classifies and stores nothing, even with a session cookie', async () => {
    const before = await predictionCounts();
    for (const headers of [{}, { cookie: people.userA.cookie }, { cookie: people.admin.cookie }] as Record<string, string>[]) {
      const response = await predict(cat, headers);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ saved: false, predictions: [{ label: 'cat' }] });
    }
    expect(await predictionCounts()).toEqual(before);
  });

  it('a revoked, malformed, tampered or unknown token is 401 and stores nothing', async () => {
    const before = await predictionCounts();
    const refused: Record<string, string> = {
      revoked: `Bearer ${tokens.bRevoked}`,
      'no token after Bearer': 'Bearer ',
      'another scheme': `Basic ${Buffer.from('a:b').toString('base64')}`,
      'two tokens': `Bearer ${tokens.a} ${tokens.b}`,
      'too short': 'Bearer pl_short',
      tampered: `Bearer ${tokens.b.slice(0, -1)}${tokens.b.endsWith('A') ? 'B' : 'A'}`,
      'unknown but well formed': `Bearer pl_${'x'.repeat(43)}`,
    };
    for (const [what, authorization] of Object.entries(refused)) {
      const response = await predict(cat, { authorization, cookie: people.userB.cookie });
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(await predictionCounts()).toEqual(before);
  });

  it('B’s token stores in B’s history only, whoever’s session cookie comes with it', async () => {
    const before = await predictionCounts();
    const response = await predict(cat, { authorization: `Bearer ${tokens.b}`, cookie: people.userA.cookie });
    const body = (await response.json()) as { saved: boolean; predictions: { id: string }[] };
    expect(body.saved).toBe(true);
    const id = body.predictions[0]!.id;
    expect(await predictionCounts()).toEqual({ ...before, [people.userB.id]: before[people.userB.id]! + 1 });
    // B sees it; A does not, not even by id.
    expect((await request('userB', `/history/${id}`)).status).toBe(200);
    expect((await request('userA', `/history/${id}`)).status).toBe(404);
    expect((await request('userA', '/history')).body).not.toContain(id);
  });
});

// ---- last: it changes the admin ---------------------------------------------------

it('an admin session whose account was demoted since sign-in is refused every admin surface', async () => {
  await db.query(`UPDATE "User" SET role = 'user' WHERE id = $1`, [people.admin.id]);
  for (const url of ['/admin', '/admin/review', '/admin/data']) {
    const got = await request('admin', url);
    expect({ url, status: got.status, to: got.location?.pathname }).toEqual({ url, status: 307, to: '/' });
  }
  for (const url of ['/admin/export.csv', `/admin/predictions/${people.userB.prediction}/thumbnail`]) {
    const got = await request('admin', url);
    expect({ url, status: got.status }).toEqual({ url, status: 403 });
    expect(got.body).not.toContain(people.userB.prediction);
  }
});
