/**
 * The admin area against the real test database: who may enter (every
 * page, layout, action and route), the dashboard's figures against an
 * independent computation in JavaScript from the same rows, the review
 * action, the thumbnail and CSV routes, and the admin:create and
 * evaluate --record CLIs run as a user runs them.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { setConfirmedLabelAction } from '~/app/admin/actions';
import { GET as exportCsv } from '~/app/admin/export.csv/route';
import AdminLayout from '~/app/admin/layout';
import AdminDashboardPage from '~/app/admin/page';
import { GET as adminThumbnail } from '~/app/admin/predictions/[id]/thumbnail/route';
import ReviewQueuePage from '~/app/admin/review/page';
import { GET as userThumbnail } from '~/app/(app)/history/[id]/thumbnail/route';
import { ADMIN, LABELS, type Label } from '~/lib/config';
import { ensureAdmin } from '~/lib/db/admins';
import { freePort } from '~/lib/db/embedded';
import { env } from '~/lib/env';
import { type ClassMetrics, computeMetrics } from '~/lib/ml/metrics';
import { disconnectDb, getDb } from '~/lib/server/db';
import { getDashboardStats, getPredictionThumbnailForAdmin, getReviewQueue, iteratePredictionsForExport, type ReviewCursor, type ReviewPage, setConfirmedLabelAsAdmin } from '~/lib/server/queries/admin';
import { getPredictionForUser, getPredictionsByUserId, setPredictionFeedback } from '~/lib/server/queries/predictions';
import { adminFilterQuerySchema, toAdminFilters } from '~/lib/validations/admin';
import { RETURN_TO_HEADER } from '~/lib/return-to';
import { SAMPLE_PHOTOS } from '../fixtures/images';
import { actAs, insertRows, makePrediction, makeUser, type Row, withLoggedErrors } from './helpers';
import { runCli } from '../support/cli';
import { authorize } from './credentials';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
// The request's headers, as proxy.ts passes them on (none unless a test sets them).
jest.mock('next/headers', () => ({ headers: jest.fn(async () => new Headers()) }));
// The real queries; two wrapped so that one test can make a read fail after the role check passed.
jest.mock('~/lib/server/queries/admin', () => {
  const actual = jest.requireActual<typeof import('~/lib/server/queries/admin')>('~/lib/server/queries/admin');
  return { ...actual, getPredictionThumbnailForAdmin: jest.fn(actual.getPredictionThumbnailForAdmin), iteratePredictionsForExport: jest.fn(actual.iteratePredictionsForExport) };
});


afterAll(() => disconnectDb());

type Role = 'guest' | 'user' | 'admin';
let people: Record<'user' | 'admin', Awaited<ReturnType<typeof makeUser>>>;

beforeAll(async () => {
  people = { user: await makeUser('user'), admin: await makeUser('admin') };
});

function as(role: Role) {
  actAs(role === 'guest' ? null : people[role]);
}

async function expectRedirect(promise: Promise<unknown>, to: RegExp) {
  await expect(promise).rejects.toMatchObject({ digest: expect.stringMatching(new RegExp(`^NEXT_REDIRECT;[a-z]+;${to.source}`)) });
}

// ---- rows the dashboard tests measure --------------------------------------

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function makeRows(count: number, seed: number): Row[] {
  const random = lcg(seed);
  const start = Date.UTC(2026, 8, 1, 0, 0, 0);
  return Array.from({ length: count }, () => {
    const label = LABELS[Math.floor(random() * 3)]!;
    // float32, as the database stores it (REAL), so JS and SQL see the same number
    const confidence = Math.fround(0.34 + random() * 0.66);
    const feedback = random() < 0.8;
    const right = random() < confidence;
    const other = LABELS.filter((l) => l !== label)[Math.floor(random() * 2)]!;
    return {
      label,
      confidence,
      correctLabel: feedback ? (right ? label : other) : null,
      // 12 days, any time of day (day boundaries in UTC matter)
      createdAt: new Date(start + Math.floor(random() * 12 * 86_400_000)),
    };
  });
}

/** data-testid="…" data-value="…" pairs and row attributes, from rendered HTML. */
function attribute(html: string, testId: string, name: string): string {
  const tag = new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no element with data-testid="${testId}" on the page`);
  const value = new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  if (value === undefined) throw new Error(`${testId} has no ${name}`);
  return value;
}

/** What a class's precision, recall and F1 should be, to 12 digits, with null where the ratio is undefined. */
function closeToMetrics(want: ClassMetrics): Record<'precision' | 'recall' | 'f1', unknown> {
  const close = (v: number | null) => (v === null ? null : expect.closeTo(v, 12));
  return { precision: close(want.precision), recall: close(want.recall), f1: close(want.f1) };
}

// ---- access control --------------------------------------------------------

describe('who may enter the admin area', () => {
  /** One unreviewed prediction of `ownerId`'s, for the actions and routes to act on; its id. */
  async function predictionOf(ownerId: string): Promise<string> {
    return (await makePrediction(ownerId, 'cat', { modelVersion: `acl-${randomUUID()}` })).id;
  }

  // Each page with a mark only it renders, so that a refusal rendered in its place would not pass.
  const pages: [string, () => Promise<unknown>, RegExp][] = [
    ['layout', () => AdminLayout({ children: createElement('p', { 'data-testid': 'admin-child' }) }), /href="\/admin\/review"[\s\S]*data-testid="admin-child"/],
    ['dashboard', () => AdminDashboardPage({ searchParams: Promise.resolve({}) }), /data-testid="overview-total"/],
    ['review queue', () => ReviewQueuePage({ searchParams: Promise.resolve({}) }), /data-testid="review-(total|empty)"/],
  ];

  it.each(pages)('%s: a guest is sent to sign-in, a user home, an admin gets the page', async (_name, render, mark) => {
    as('guest');
    await expectRedirect(render(), /\/login\?callbackUrl=%2Fadmin/);
    as('user');
    await expectRedirect(render(), /\/;/);
    as('admin');
    expect(renderToStaticMarkup((await render()) as ReactElement)).toMatch(mark);
  });

  it('layout: sign-in comes back to the path and query proxy.ts recorded, if it is on this site', async () => {
    as('guest');
    for (const [recorded, back] of [['/admin/review?label=dog&feedback=corrected', '/admin/review?label=dog&feedback=corrected'], ['//evil.example/admin', '/admin']] as const) {
      jest.mocked(headers).mockResolvedValueOnce(new Headers({ [RETURN_TO_HEADER]: recorded }) as never);
      await expectRedirect(pages[0]![1](), new RegExp(`/login\\?callbackUrl=${encodeURIComponent(back)};`));
    }
  });

  it('the label action refuses guests (unauthorized) and users (forbidden) and changes nothing', async () => {
    const owner = await makeUser();
    const rowId = await predictionOf(owner.id);
    for (const [role, status] of [['guest', 'unauthorized'], ['user', 'forbidden']] as const) {
      as(role);
      await expect(setConfirmedLabelAction({ predictionId: rowId, correctLabel: 'dog' })).resolves.toMatchObject({ status });
    }
    expect((await getDb().prediction.findUniqueOrThrow({ where: { id: rowId } })).correctLabel).toBeNull();

    as('admin');
    await expect(setConfirmedLabelAction({ predictionId: rowId, correctLabel: 'dog' })).resolves.toEqual({ status: 'success', predictionId: rowId, correctLabel: 'dog' });
    const after = await getDb().prediction.findUniqueOrThrow({ where: { id: rowId } });
    expect(after.correctLabel).toBe('dog');
    expect(after.feedbackAt).toBeInstanceOf(Date);
    await expect(setConfirmedLabelAction({ predictionId: rowId, correctLabel: 'lion' })).resolves.toMatchObject({ status: 'invalid_data' });
    await expect(setConfirmedLabelAction({ predictionId: randomUUID(), correctLabel: 'cat' })).resolves.toMatchObject({ status: 'not_found' });
  });

  it('a session that cannot be read is refused as unchecked, without blaming the database, and changes nothing', async () => {
    const owner = await makeUser();
    const rowId = await predictionOf(owner.id);
    jest.mocked(getServerSession).mockRejectedValueOnce(new Error('JWT could not be decrypted'));
    const { result: refused, logged } = await withLoggedErrors(() => setConfirmedLabelAction({ predictionId: rowId, correctLabel: 'dog' }));
    // The cause goes to the server log, not to the admin.
    expect(logged).toEqual([['[petlens] checking the admin role:', expect.objectContaining({ message: 'JWT could not be decrypted' })]]);
    expect(refused).toEqual({ status: 'failed', message: expect.stringMatching(/could not be checked; nothing was changed/) });
    expect((await getDb().prediction.findUniqueOrThrow({ where: { id: rowId } })).correctLabel).toBeNull();
  });

  it('a session whose admin account was since demoted or deleted is refused everywhere', async () => {
    const owner = await makeUser();
    const id = await predictionOf(owner.id);
    const demoted = await makeUser('admin');
    const deleted = await makeUser('admin');
    await getDb().user.update({ where: { id: demoted.id }, data: { role: 'user' } });
    await getDb().user.delete({ where: { id: deleted.id } });

    // Their sessions' JWTs still say admin.
    for (const [session, code] of [[demoted, 'forbidden'], [deleted, 'unauthorized']] as const) {
      actAs(session);
      // A demoted admin goes home; a deleted account's session is signed out, so to sign-in.
      for (const [, render] of pages) await expectRedirect(render(), code === 'forbidden' ? /\/;/ : /\/login\?/);
      const routes = [exportCsv(new Request('http://localhost/admin/export.csv')), adminThumbnail(new Request('http://localhost/'), { params: Promise.resolve({ id }) })];
      for (const response of await Promise.all(routes)) {
        expect(response.status).toBe(code === 'forbidden' ? 403 : 401);
        await expect(response.json()).resolves.toMatchObject({ error: { code } });
      }
      await expect(setConfirmedLabelAction({ predictionId: id, correctLabel: 'dog' })).resolves.toMatchObject({ status: code });
    }
    expect((await getDb().prediction.findUniqueOrThrow({ where: { id } })).correctLabel).toBeNull();
  });

  it('routes answer a read that fails after the role check with a logged 503 in JSON, not a bare 500 or a 200 that breaks off', async () => {
    const id = randomUUID(); // the reads are made to fail: no row is needed
    as('admin');
    const outage = new Error('Connection terminated unexpectedly');
    jest.mocked(getPredictionThumbnailForAdmin).mockRejectedValueOnce(outage);
    jest.mocked(iteratePredictionsForExport).mockImplementationOnce(async function* () {
      yield* [];
      throw outage;
    });
    const { result: responses, logged } = await withLoggedErrors(async () => [
      await adminThumbnail(new Request(`http://localhost/admin/predictions/${id}/thumbnail`), { params: Promise.resolve({ id }) }),
      await exportCsv(new Request('http://localhost/admin/export.csv')),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(503);
      await expect(response.json()).resolves.toMatchObject({ error: { code: 'unavailable' } });
    }
    expect(logged.map((call) => String(call[0]))).toEqual([expect.stringMatching(/reading a thumbnail/), expect.stringMatching(/CSV export/)]);
  });

  it('routes answer 401 to guests and 403 to users; admins see any thumbnail; the user route stays owner-scoped', async () => {
    const owner = await makeUser();
    const id = await predictionOf(owner.id);
    const params = { params: Promise.resolve({ id }) };
    const csv = () => exportCsv(new Request('http://localhost/admin/export.csv'));
    const thumbnail = () => adminThumbnail(new Request(`http://localhost/admin/predictions/${id}/thumbnail`), { params: Promise.resolve({ id }) });

    for (const [role, status] of [['guest', 401], ['user', 403]] as const) {
      as(role);
      for (const response of [await csv(), await thumbnail()]) {
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(/application\/json/);
        await expect(response.json()).resolves.toMatchObject({ error: { code: role === 'guest' ? 'unauthorized' : 'forbidden' } });
      }
    }
    as('admin');
    const image = await thumbnail();
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('cache-control')).toBe('private, no-store');
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // The admin route is the way in: the user route is still scoped to the owner, admin or not.
    expect((await userThumbnail(new Request('http://localhost/'), params)).status).toBe(404);
  });
});

// ---- dashboard figures -----------------------------------------------------

describe('dashboard figures', () => {
  const version = `dash-${randomUUID()}`;
  let rows: Row[];

  beforeAll(async () => {
    const owner = await makeUser();
    rows = makeRows(600, 20_261_122);
    await insertRows(rows, version, owner.id);
  });

  it('per class, confusion, overview and calibration equal an independent computation from the same rows', async () => {
    const stats = await getDashboardStats(toAdminFilters({ model: version }));
    const withFeedback = rows.filter((r): r is Row & { correctLabel: Label } => r.correctLabel !== null);
    const expected = computeMetrics(
      withFeedback.map((r) => ({ trueLabel: r.correctLabel, label: r.label, confidence: r.confidence })),
      ADMIN.calibrationBins,
    );

    const correct = withFeedback.filter((r) => r.correctLabel === r.label).length;
    expect(stats.overview).toEqual({
      total: rows.length,
      withFeedback: withFeedback.length,
      withoutFeedback: rows.length - withFeedback.length,
      correct,
      accuracy: expect.closeTo(expected.accuracy, 12),
      // Every label here is its owner's.
      fromOwners: withFeedback.length,
      ownersCorrect: correct,
      ownersAccuracy: expect.closeTo(expected.accuracy, 12),
    });
    expect(stats.confusion).toEqual(expected.confusion);
    for (const row of stats.perClass) {
      const want = expected.perClass[row.label];
      expect(row.support).toBe(want.support);
      expect(row).toMatchObject(closeToMetrics(want));
    }
    expect(stats.calibration.ece).toBeCloseTo(expected.ece, 9);
    expect(stats.calibration.bins.reduce((s, b) => s + b.n, 0)).toBe(withFeedback.length);
    expect(stats.histogram.reduce((s, b) => s + b.total, 0)).toBe(rows.length);
    expect(stats.perVersion.find((v) => v.modelVersion === version)).toMatchObject({ total: rows.length, withFeedback: withFeedback.length });
  });

  it('labels given by an admin alone are counted apart from the owners’, on the page too', async () => {
    // Guests' kept uploads, labelled from the review queue: low confidence, more of them wrong.
    const mixed = `dash-mixed-${randomUUID()}`;
    const owners = rows.slice(0, 200);
    const reviewed = makeRows(90, 7).map((r) => ({ ...r, confidence: Math.fround(0.34 + (r.confidence - 0.34) / 3) }));
    await insertRows(owners, mixed, (await makeUser()).id);
    await insertRows(reviewed, mixed, null);
    const ownersWithFeedback = owners.filter((r) => r.correctLabel !== null);
    const adminLabelled = reviewed.filter((r) => r.correctLabel !== null);
    const ownersCorrect = ownersWithFeedback.filter((r) => r.correctLabel === r.label).length;
    const allCorrect = ownersCorrect + adminLabelled.filter((r) => r.correctLabel === r.label).length;

    const { overview } = await getDashboardStats(toAdminFilters({ model: mixed }));
    expect(overview).toMatchObject({
      withFeedback: ownersWithFeedback.length + adminLabelled.length,
      correct: allCorrect,
      fromOwners: ownersWithFeedback.length,
      ownersCorrect,
      ownersAccuracy: expect.closeTo(ownersCorrect / ownersWithFeedback.length, 12),
    });
    expect(overview.ownersAccuracy!).toBeGreaterThan(overview.accuracy!);

    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: mixed }) }));
    expect(Number(attribute(html, 'overview-from-owners', 'data-value'))).toBe(ownersWithFeedback.length);
    expect(html).toContain(`${ownersWithFeedback.length} from owners, ${adminLabelled.length} labelled by an admin only`);
    expect(Number(attribute(html, 'overview-owners-accuracy', 'data-value'))).toBeCloseTo(ownersCorrect / ownersWithFeedback.length, 12);
    // Where every label is an owner's, the split says nothing and is not shown.
    const ownersOnly = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: version }) }));
    expect(ownersOnly).not.toContain('overview-from-owners');
  });

  it('per day and per week (UTC) equal the rows grouped in JavaScript', async () => {
    const stats = await getDashboardStats(toAdminFilters({ model: version }));
    const group = (key: (d: Date) => string) => {
      const map = new Map<string, { n: number; correct: number }>();
      for (const r of rows) {
        if (!r.correctLabel) continue;
        const k = key(r.createdAt);
        const g = map.get(k) ?? { n: 0, correct: 0 };
        g.n += 1;
        g.correct += r.correctLabel === r.label ? 1 : 0;
        map.set(k, g);
      }
      return [...map].sort(([a], [b]) => a.localeCompare(b)).map(([period, g]) => ({ period, n: g.n, correct: g.correct, accuracy: g.correct / g.n }));
    };
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const monday = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))).toISOString().slice(0, 10);
    expect(stats.perDay).toEqual(group(day));
    expect(stats.perWeek).toEqual(group(monday));
    expect(stats.perDay.length).toBeGreaterThanOrEqual(10);
  });

  it('the date filter keeps whole UTC days, both ends inclusive', async () => {
    const from = '2026-09-03';
    const to = '2026-09-05';
    const stats = await getDashboardStats(toAdminFilters({ model: version, from, to }));
    const inRange = rows.filter((r) => day(r.createdAt) >= from && day(r.createdAt) <= to);
    expect(stats.overview.total).toBe(inRange.length);
    expect(stats.perDay.map((p) => p.period)).toEqual(['2026-09-03', '2026-09-04', '2026-09-05']);
    function day(d: Date) {
      return d.toISOString().slice(0, 10);
    }
  });

  it('days at the ends of the calendar: year 0000, which PostgreSQL has no such year for, is dropped, 9999 kept', async () => {
    const query = adminFilterQuerySchema.parse({ model: version, from: '0000-01-01', to: '9999-12-31' });
    expect(query).toMatchObject({ from: undefined, to: '9999-12-31' });
    const stats = await getDashboardStats(toAdminFilters(query));
    expect(stats.overview.total).toBe(rows.length);
    await expect(getDashboardStats(toAdminFilters(adminFilterQuerySchema.parse({ model: version, from: '0001-01-01' })))).resolves.toMatchObject({
      overview: { total: rows.length },
    });
  });

  it('the model filter tells apart two models that share a version, as the per-version table does', async () => {
    const shared = `shared-${randomUUID()}`;
    const owner = await makeUser();
    await insertRows(makeRows(7, 1), shared, owner.id, 'model-a');
    await insertRows(makeRows(5, 2), shared, owner.id, 'model-b');
    const total = async (model: string) => (await getDashboardStats(toAdminFilters(adminFilterQuerySchema.parse({ model })))).overview.total;
    await expect(total(`model-a@${shared}`)).resolves.toBe(7);
    await expect(total(`model-b@${shared}`)).resolves.toBe(5);
    // A bare version (an older link) keeps meaning every model of that version.
    await expect(total(shared)).resolves.toBe(12);

    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: `model-b@${shared}` }) }));
    expect(html).toContain(`<option value="model-a@${shared}">`);
    expect(html).toMatch(new RegExp(`<option value="model-b@${shared}" selected="">`));
    const csv = await (await exportCsv(new Request(`http://localhost/admin/export.csv?model=${encodeURIComponent(`model-b@${shared}`)}`))).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 5);
  });

  it('the rendered page shows those figures', async () => {
    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: version }) }));
    // Whole weeks without a date range; with one (a Wednesday here), the edge weeks are said to be partial.
    const partialWeeks = /The first and last weeks count only the days within the chosen dates/;
    expect(html).not.toMatch(partialWeeks);
    expect(renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: version, from: '2026-01-07' }) }))).toMatch(partialWeeks);
    const withFeedback = rows.filter((r): r is Row & { correctLabel: Label } => r.correctLabel !== null);
    const expected = computeMetrics(withFeedback.map((r) => ({ trueLabel: r.correctLabel, label: r.label, confidence: r.confidence })), ADMIN.calibrationBins);
    for (const t of LABELS) {
      for (const p of LABELS) expect(Number(attribute(html, `confusion-${t}-${p}`, 'data-value'))).toBe(expected.confusion[t][p]);
      expect(Number(attribute(html, `class-${t}-support`, 'data-value'))).toBe(expected.perClass[t].support);
      const want = expected.perClass[t];
      expect({
        precision: Number(attribute(html, `class-${t}-precision`, 'data-value')),
        recall: Number(attribute(html, `class-${t}-recall`, 'data-value')),
        f1: Number(attribute(html, `class-${t}-f1`, 'data-value')),
      }).toEqual(closeToMetrics(want));
      // what a person reads: one decimal of a percent
      expect(html).toMatch(new RegExp(`data-testid="class-${t}-recall"[^>]*>${(want.recall! * 100).toFixed(1)}%<`));
    }
    expect(Number(attribute(html, 'overview-total', 'data-value'))).toBe(rows.length);
    expect(Number(attribute(html, 'overview-with-feedback', 'data-value'))).toBe(withFeedback.length);
    expect(Number(attribute(html, 'overview-accuracy', 'data-value'))).toBeCloseTo(expected.accuracy, 12);
    const firstDay = withFeedback.map((r) => r.createdAt.toISOString().slice(0, 10)).sort()[0]!;
    const sameDay = withFeedback.filter((r) => r.createdAt.toISOString().slice(0, 10) === firstDay);
    expect(Number(attribute(html, `day-${firstDay}`, 'data-n'))).toBe(sameDay.length);
    expect(Number(attribute(html, `day-${firstDay}`, 'data-correct'))).toBe(sameDay.filter((r) => r.correctLabel === r.label).length);
  });

  it('shows a dash, not 0 %, for a ratio with nothing to divide by', async () => {
    // A model version whose confirmed photos are one cat and one dog, both called "cat": dog is never predicted and
    // "neither" neither predicted nor confirmed.
    const sparse = `sparse-${randomUUID()}`;
    const owner = await makeUser();
    const at = new Date('2026-10-01T12:00:00Z');
    await insertRows([{ label: 'cat', correctLabel: 'cat', confidence: 0.9, createdAt: at }, { label: 'cat', correctLabel: 'dog', confidence: 0.6, createdAt: at }], sparse, owner.id);
    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({ model: sparse }) }));
    const cell = (testId: string) => new RegExp(`<td[^>]*data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];
    expect(cell('class-dog-precision')).toBe('—');
    expect(cell('class-dog-recall')).toBe('0.0%');
    // F1 is 2TP / (support + predicted): defined, and 0, for a class present but never predicted.
    expect(cell('class-dog-f1')).toBe('0.0%');
    for (const metric of ['precision', 'recall', 'f1']) expect(cell(`class-neither-${metric}`)).toBe('—');
    expect(cell('class-cat-precision')).toBe('50.0%');
    expect(() => attribute(html, 'class-dog-precision', 'data-value')).toThrow(/has no data-value/);
  });

  it('the review queue holds exactly the misclassified or low-confidence rows, newest first', async () => {
    const threshold = 0.7;
    const all = await getReviewQueue({ kind: 'all', threshold, pageSize: 10_000 });
    const mine = all.items.filter((i) => i.modelVersion === version);
    const want = rows
      .filter((r) => (r.correctLabel !== null && r.correctLabel !== r.label) || r.confidence < threshold)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    expect(mine.map((i) => [i.createdAt.getTime(), i.label, i.correctLabel])).toEqual(want.map((r) => [r.createdAt.getTime(), r.label, r.correctLabel]));
    const wrong = await getReviewQueue({ kind: 'misclassified', threshold, pageSize: 10_000 });
    expect(wrong.items.filter((i) => i.modelVersion === version)).toHaveLength(rows.filter((r) => r.correctLabel !== null && r.correctLabel !== r.label).length);
    expect(wrong.items.every((i) => i.correctLabel !== null && i.correctLabel !== i.label)).toBe(true);
  });

  describe('review queue pages (by cursor, three to a page)', () => {
    const threshold = 0.7;
    let keysetVersion: string;
    /** Ours, newest first: misclassified, newer than anything else stored, two pairs sharing a createdAt (ties go by id). */
    let ours: string[];

    beforeAll(async () => {
      keysetVersion = `keyset-${randomUUID()}`;
      const base = Date.UTC(2099, 0, 1);
      const seconds = [0, 1, 1, 2, 3, 3, 4, 5];
      const owner = await makeUser();
      await insertRows(seconds.map((s) => ({ label: 'cat', correctLabel: 'dog', confidence: 0.9, createdAt: new Date(base + s * 1000) })), keysetVersion, owner.id);
      ours = (await getDb().prediction.findMany({ where: { modelVersion: keysetVersion }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })).map((r) => r.id);
    });

    afterAll(() => getDb().prediction.deleteMany({ where: { modelVersion: keysetVersion } }));

    const queue = (cursor: ReviewCursor | null = null) => getReviewQueue({ kind: 'misclassified', threshold, cursor, pageSize: 3 });
    const ids = (page: ReviewPage) => page.items.map((item) => item.id);

    it('walk every page older, then back newer: the same items in the same pages, numbered 1 to the last', async () => {
      const everything = ids(await getReviewQueue({ kind: 'misclassified', threshold, pageSize: 10_000 }));
      expect(everything.slice(0, ours.length)).toEqual(ours);
      const forward: ReviewPage[] = [await queue()];
      while (forward.at(-1)!.older) forward.push(await queue(forward.at(-1)!.older));
      expect(forward.flatMap(ids)).toEqual(everything);
      expect(forward.map((p) => p.page)).toEqual(forward.map((_, i) => i + 1));
      expect(forward.every((p) => p.pageCount === Math.ceil(everything.length / 3) && p.total === everything.length)).toBe(true);
      expect(forward[0]!.newer).toBeNull();

      const backward: ReviewPage[] = [forward.at(-1)!];
      while (backward.at(-1)!.newer) backward.push(await queue(backward.at(-1)!.newer));
      backward.reverse();
      expect(backward.map(ids)).toEqual(forward.map(ids));
      expect(backward.map((p) => [p.page, p.pageCount])).toEqual(forward.map((p) => [p.page, p.pageCount]));
    });

    it('a cursor to a prediction that is gone starts at the newest page; one past the end shows the oldest page', async () => {
      expect(ids(await queue({ direction: 'older', id: randomUUID() }))).toEqual(ours.slice(0, 3));
      const everything = ids(await getReviewQueue({ kind: 'misclassified', threshold, pageSize: 10_000 }));
      const oldest = await queue({ direction: 'older', id: everything.at(-1)! });
      expect(ids(oldest)).toEqual(everything.slice(-3));
      expect(oldest.older).toBeNull();
    });

    it('confirming the items on one page (they leave the queue) never hides the items after it', async () => {
      // An admin going through the queue: each page's items confirmed as predicted, then "Older →".
      const seen: string[] = [];
      let page = await queue();
      for (;;) {
        // The items before it have left the queue, so each page is the first, even when its anchor has left too.
        expect(page.page).toBe(1);
        const shown = page.items.filter((item) => item.modelVersion === keysetVersion);
        seen.push(...shown.map((item) => item.id));
        for (const item of shown) await setConfirmedLabelAsAdmin({ id: item.id, correctLabel: item.label });
        if (shown.length < page.items.length || !page.older) break;
        page = await queue(page.older);
      }
      // With offsets, page 2 would have started 3 further on once page 1's three had left: 3 never shown.
      expect(seen).toEqual(ours);
    });
  });

  it('an admin\'s label takes a prediction out of the queue (kept under "show reviewed"); the user\'s changed feedback brings it back', async () => {
    const threshold = 0.7;
    const reviewVersion = `review-${randomUUID()}`;
    const owner = await makeUser();
    await insertRows(
      [
        { label: 'cat', correctLabel: 'dog', confidence: 0.95, createdAt: new Date(Date.UTC(2098, 0, 1)) },
        { label: 'dog', correctLabel: null, confidence: 0.5, createdAt: new Date(Date.UTC(2098, 0, 2)) },
      ],
      reviewVersion,
      owner.id,
    );
    const [lowConfidence, misclassified] = await getDb().prediction.findMany({ where: { modelVersion: reviewVersion }, orderBy: { createdAt: 'desc' }, select: { id: true } });
    const inQueue = async (includeReviewed = false) =>
      (await getReviewQueue({ kind: 'all', threshold, includeReviewed, pageSize: 10_000 })).items.filter((i) => i.modelVersion === reviewVersion).map((i) => i.id);
    expect(await inQueue()).toEqual([lowConfidence!.id, misclassified!.id]);

    // The admin agrees with the user's correction, and labels the unsure one: both reviewed, both out.
    await setConfirmedLabelAsAdmin({ id: misclassified!.id, correctLabel: 'dog' });
    await setConfirmedLabelAsAdmin({ id: lowConfidence!.id, correctLabel: 'dog' });
    expect(await inQueue()).toEqual([]);
    expect(await inQueue(true)).toEqual([lowConfidence!.id, misclassified!.id]);
    as('admin');
    const shown = renderToStaticMarkup((await ReviewQueuePage({ searchParams: Promise.resolve({ reviewed: '1' }) })) as ReactElement);
    expect(shown).toMatch(new RegExp(`data-prediction-id="${misclassified!.id}"[\\s\\S]*?data-testid="review-reviewed"`));
    expect(shown).toMatch(/data-testid="review-toggle-reviewed"[^>]*>Hide reviewed</);
    // The count says what the chosen filter counts.
    const total = async (kind: string) =>
      /data-testid="review-total">([^<]*)/.exec(renderToStaticMarkup((await ReviewQueuePage({ searchParams: Promise.resolve({ kind }) })) as ReactElement))![1];
    expect(await total('all')).toMatch(/ predictions that feedback marked wrong or that scored below \d+% confidence,/);
    expect(await total('misclassified')).toMatch(/ predictions that feedback marked wrong,/);
    expect(await total('low_confidence')).toMatch(/ predictions that scored below \d+% confidence,/);

    // The same feedback again leaves it reviewed; a different one puts it back.
    expect(await setPredictionFeedback({ id: misclassified!.id, userId: owner.id, correctLabel: 'dog' })).toBe(true);
    expect(await inQueue()).toEqual([]);
    expect(await setPredictionFeedback({ id: misclassified!.id, userId: owner.id, correctLabel: 'neither' })).toBe(true);
    expect(await inQueue()).toEqual([misclassified!.id]);
    await getDb().prediction.deleteMany({ where: { modelVersion: reviewVersion } });
  });

  it("an admin's label is what the figures count; the owner's own feedback stays as they gave it, in their history and beside the admin's", async () => {
    const version = `owner-label-${randomUUID()}`;
    try {
      const owner = await makeUser();
      const { id } = await makePrediction(owner.id, 'cat', { modelVersion: version });
      // Newer than anything else stored, so that it heads the review page rendered below.
      await getDb().prediction.update({ where: { id }, data: { createdAt: new Date(Date.UTC(2100, 0, 1)) } });
      expect(await setPredictionFeedback({ id, userId: owner.id, correctLabel: 'dog' })).toBe(true);
      as('admin');
      await expect(setConfirmedLabelAction({ predictionId: id, correctLabel: 'neither' })).resolves.toMatchObject({ status: 'success' });
      const stored = () => getDb().prediction.findUniqueOrThrow({ where: { id }, select: { correctLabel: true, ownerLabel: true, feedbackAt: true, reviewedAt: true } });
      const reviewed = await stored();
      expect(reviewed).toMatchObject({ correctLabel: 'neither', ownerLabel: 'dog', reviewedAt: expect.any(Date) });

      // The owner's history shows, and filters by, what they said.
      expect(await getPredictionForUser({ id, userId: owner.id })).toMatchObject({ ownerLabel: 'dog' });
      const corrected = await getPredictionsByUserId({ userId: owner.id, pageSize: 10, feedback: 'corrected' });
      expect(corrected.items.map((item) => [item.id, item.ownerLabel])).toEqual([[id, 'dog']]);
      // The figures count the admin's label.
      const { confusion } = await getDashboardStats(toAdminFilters(adminFilterQuerySchema.parse({ model: version })));
      expect(confusion).toEqual({ cat: { cat: 0, dog: 0, neither: 0 }, dog: { cat: 0, dog: 0, neither: 0 }, neither: { cat: 1, dog: 0, neither: 0 } });
      // The review card and the CSV export show both.
      const page = renderToStaticMarkup((await ReviewQueuePage({ searchParams: Promise.resolve({ kind: 'misclassified', reviewed: '1' }) })) as ReactElement);
      expect(page).toMatch(new RegExp(`data-prediction-id="${id}"[\\s\\S]*?data-testid="review-owner-label" data-value="dog">owner said Dog<`));
      const [header, line] = (await (await exportCsv(new Request(`http://localhost/admin/export.csv?model=${version}`))).text()).split('\r\n');
      const columns = header!.split(',');
      const cells = line!.split(',');
      expect([cells[columns.indexOf('confirmed_label')], cells[columns.indexOf('correct')], cells[columns.indexOf('owner_label')]]).toEqual(['neither', 'false', 'dog']);
      // Who set the counted label: an admin, at the feedback's time.
      expect(cells[columns.indexOf('reviewed_at')]).toBe(reviewed.reviewedAt!.toISOString());
      expect(cells[columns.indexOf('feedback_at')]).toBe(reviewed.feedbackAt!.toISOString());

      // The owner's same label again changes nothing: the admin's stands, with its time.
      expect(await setPredictionFeedback({ id, userId: owner.id, correctLabel: 'dog' })).toBe(true);
      expect(await stored()).toEqual(reviewed);
      // Agreeing with the admin changes the owner's label only: the figures count the same, and it stays reviewed.
      expect(await setPredictionFeedback({ id, userId: owner.id, correctLabel: 'neither' })).toBe(true);
      expect(await stored()).toEqual({ ...reviewed, ownerLabel: 'neither' });
      // A new word that changes what the figures count: it counts, and the review mark goes.
      expect(await setPredictionFeedback({ id, userId: owner.id, correctLabel: 'cat' })).toBe(true);
      const newWord = await stored();
      expect(newWord).toMatchObject({ correctLabel: 'cat', ownerLabel: 'cat', reviewedAt: null });
      expect(newWord.feedbackAt!.getTime()).toBeGreaterThan(reviewed.feedbackAt!.getTime());
      // With no admin's label since, the same label again moves the feedback's time only.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await setPredictionFeedback({ id, userId: owner.id, correctLabel: 'cat' })).toBe(true);
      const again = await stored();
      expect({ ...again, feedbackAt: null }).toEqual({ ...newWord, feedbackAt: null });
      expect(again.feedbackAt!.getTime()).toBeGreaterThan(newWord.feedbackAt!.getTime());

      // An admin's label on a prediction with no feedback yet, which its owner then gives too: still reviewed.
      const unsure = await makePrediction(owner.id, 'dog', { modelVersion: version, confidence: 0.5 });
      await setConfirmedLabelAsAdmin({ id: unsure.id, correctLabel: 'dog' });
      const before = await getDb().prediction.findUniqueOrThrow({ where: { id: unsure.id } });
      expect(before).toMatchObject({ correctLabel: 'dog', ownerLabel: null, reviewedAt: expect.any(Date) });
      expect(await setPredictionFeedback({ id: unsure.id, userId: owner.id, correctLabel: 'dog' })).toBe(true);
      expect(await getDb().prediction.findUniqueOrThrow({ where: { id: unsure.id } })).toEqual({ ...before, ownerLabel: 'dog' });
    } finally {
      await getDb().prediction.deleteMany({ where: { modelVersion: version } });
    }
  });

  it('the per-version table keeps an older version’s latest offline run when newer runs fill the list of runs', async () => {
    const oldVersion = `old-${randomUUID()}`;
    const owner = await makeUser();
    await insertRows([{ label: 'dog', correctLabel: 'dog', confidence: 0.9, createdAt: new Date(Date.UTC(2026, 0, 5)) }], oldVersion, owner.id);
    const run = (modelVersion: string, datasetName: string, createdAt: Date) => ({
      modelName: 'admin-test-model',
      modelVersion,
      datasetName,
      n: 10,
      accuracy: 0.9,
      perClass: {},
      confusion: {},
      ece: 0.01,
      eceBins: 15,
      createdAt,
    });
    const oldDataset = `old-set-${randomUUID()}`;
    await getDb().evaluationRun.createMany({
      data: [
        run(oldVersion, `older-set-${randomUUID()}`, new Date(Date.UTC(2026, 0, 5))),
        run(oldVersion, oldDataset, new Date(Date.UTC(2026, 0, 6))),
        ...Array.from({ length: ADMIN.evaluationRuns }, (_, i) => run(`newer-${randomUUID()}`, 'newer-set', new Date(Date.now() + i))),
      ],
    });
    const stats = await getDashboardStats(toAdminFilters({}));
    expect(stats.evaluationRuns.some((r) => r.modelVersion === oldVersion)).toBe(false);
    expect(stats.latestRunPerVersion.filter((r) => r.modelVersion === oldVersion).map((r) => r.datasetName)).toEqual([oldDataset]);
    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({}) }));
    expect(html).toMatch(new RegExp(`data-testid="version-${oldVersion}"[^]*?90\\.0% on ${oldDataset}</td>`));
  });

  it('a run stored under the older F1 rule (null for a class present but never called) reads as runs stored now: F1 0', async () => {
    const modelVersion = `f1-rule-${randomUUID()}`;
    // Two cats called cat, one dog called cat: dog present, never called.
    const confusion = { cat: { cat: 2, dog: 0, neither: 0 }, dog: { cat: 1, dog: 0, neither: 0 }, neither: { cat: 0, dog: 0, neither: 0 } };
    const stored = {
      cat: { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      dog: { precision: null, recall: 0, f1: null, support: 1 },
      neither: { precision: null, recall: null, f1: null, support: 0 },
    };
    await getDb().evaluationRun.create({
      data: { modelName: 'admin-test-model', modelVersion, datasetName: 'old-rule', n: 3, accuracy: 2 / 3, perClass: stored, confusion, ece: 0.1, eceBins: 15, createdAt: new Date(Date.now() + 60_000) },
    });
    const [run] = (await getDashboardStats(toAdminFilters({}))).latestRunPerVersion.filter((r) => r.modelVersion === modelVersion);
    expect(run?.perClass).toEqual({ ...stored, dog: { precision: null, recall: 0, f1: 0, support: 1 } });
  });

  it('the CSV export streams every filtered row with its feedback, as an attachment', async () => {
    as('admin');
    const response = await exportCsv(new Request(`http://localhost/admin/export.csv?model=${encodeURIComponent(version)}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="petlens-predictions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const [header, ...body] = lines.slice(0, -1);
    const columns = header!.split(',');
    expect(columns).toEqual(expect.arrayContaining(['prediction_id', 'predicted_label', 'confidence', 'confirmed_label', 'correct']));
    expect(text).not.toMatch(/thumbnail/i);
    expect(body).toHaveLength(rows.length);
    const at = (name: string) => columns.indexOf(name);
    const parsed = body.map((line) => line.split(','));
    // oldest first, and each row's feedback as stored
    const sorted = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(parsed.map((cells) => cells[at('created_at')])).toEqual(sorted.map((r) => r.createdAt.toISOString()));
    expect(parsed.map((cells) => cells[at('confirmed_label')] ?? '')).toEqual(sorted.map((r) => r.correctLabel ?? ''));
    expect(parsed.map((cells) => cells[at('correct')])).toEqual(sorted.map((r) => (r.correctLabel === null ? '' : String(r.correctLabel === r.label))));
    // Every label here is its owner's: no admin's time. (The column is the last one, added after the others.)
    expect(at('reviewed_at')).toBe(columns.length - 1);
    expect(new Set(parsed.map((cells) => cells[at('reviewed_at')] ?? ''))).toEqual(new Set(['']));
  });

  it('the CSV export quotes commas and quotes, and defuses spreadsheet formulas', async () => {
    const hostile = `=HYPERLINK("http://x"),${randomUUID()}`;
    await insertRows([{ label: 'cat', correctLabel: null, confidence: 0.9, createdAt: new Date() }], hostile, null);
    as('admin');
    const response = await exportCsv(new Request(`http://localhost/admin/export.csv?model=${encodeURIComponent(hostile)}`));
    const [header, row, end] = (await response.text()).split('\r\n');
    expect(end).toBe('');
    // The cell: quoted (it has a comma), inner quotes doubled, a leading ' so no spreadsheet runs it.
    const cell = `"'${hostile.replace(/"/g, '""')}"`;
    expect(row).toContain(`,${cell},`);
    expect(row!.split(cell).join('x').split(',').length).toBe(header!.split(',').length);
  });
});

// ---- the CLIs --------------------------------------------------------------

const cli = runCli;

describe('npm run admin:create', () => {
  it('creates an admin who can sign in and open the dashboard', async () => {
    const email = `Chief-${randomUUID()}@Example.test`;
    const result = await cli('admin-create.ts', ['--email', email, '--password', 'a long admin password']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/created admin chief-.*@example\.test/);
    const user = await authorize({ email, password: 'a long admin password' });
    expect(user).toMatchObject({ email: email.toLowerCase(), role: 'admin' });
    actAs({ id: user!.id, email: user!.email, role: 'admin' });
    expect(renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({}) }))).toMatch(/data-testid="overview-total"/);
  }, 60_000);

  it('promotes an existing user, and refuses a password the sign-up policy refuses', async () => {
    const existing = await makeUser('user');
    const short = await cli('admin-create.ts', ['--email', existing.email, '--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const common = await cli('admin-create.ts', ['--email', existing.email, '--password', 'Password123!']);
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/too common/);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: existing.id } })).role).toBe('user');

    const promoted = await cli('admin-create.ts', ['--email', existing.email, '--password', 'a new long password']);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/promoted to admin/);
    await expect(authorize({ email: existing.email, password: 'a new long password' })).resolves.toMatchObject({ id: existing.id, role: 'admin' });
    await expect(authorize({ email: existing.email, password: existing.password })).resolves.toBeNull();
  }, 60_000);
});

describe('ADMIN_EMAIL at npm start (ensureAdmin without promoteExisting)', () => {
  it('creates the admin, or resets an admin’s password, but never promotes an account someone signed up for', async () => {
    const squatted = await makeUser('user');
    await expect(ensureAdmin(getDb(), { email: squatted.email, password: 'a long admin password' }, { promoteExisting: false })).rejects.toThrow(
      /ordinary account .* not promoted automatically.*npm run admin:create/,
    );
    const unchanged = await getDb().user.findUniqueOrThrow({ where: { id: squatted.id } });
    expect(unchanged.role).toBe('user');
    await expect(authorize({ email: squatted.email, password: squatted.password })).resolves.toMatchObject({ id: squatted.id, role: 'user' });

    const email = `boss-${randomUUID()}@example.test`;
    await expect(ensureAdmin(getDb(), { email, password: 'a long admin password' }, { promoteExisting: false })).resolves.toMatchObject({ outcome: 'created' });
    await expect(ensureAdmin(getDb(), { email, password: 'another admin password' }, { promoteExisting: false })).resolves.toMatchObject({ outcome: 'updated' });
    await expect(authorize({ email, password: 'another admin password' })).resolves.toMatchObject({ role: 'admin' });
    // The reset password ends the sessions opened with the old one.
    expect((await getDb().user.findUniqueOrThrow({ where: { email } })).sessionVersion).toBe(1);
    // The same password again, as on every `npm start`: nothing changes, and no session ends.
    await expect(ensureAdmin(getDb(), { email, password: 'another admin password' }, { promoteExisting: false })).resolves.toMatchObject({ outcome: 'unchanged' });
    expect((await getDb().user.findUniqueOrThrow({ where: { email } })).sessionVersion).toBe(1);
  }, 60_000);
});

describe('npm run evaluate -- --record', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'petlens-eval-record-'));
    for (const [folder, file] of [['cats', SAMPLE_PHOTOS.cat], ['dogs', SAMPLE_PHOTOS.dog], ['neither', SAMPLE_PHOTOS.neither]] as const) {
      await mkdir(path.join(root, 'set', folder), { recursive: true });
      await copyFile(file, path.join(root, 'set', folder, path.basename(file)));
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stores the run, which the dashboard then lists', async () => {
    const name = `record-test-${randomUUID()}`;
    const result = await cli('evaluate.ts', ['--data', path.join(root, 'set'), '--model', env.MODEL_CARD_PATH, '--record', '--dataset-name', name, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { n: number; accuracy: number; recorded: { id: string }; model: { name: string; version: string } };
    const stored = await getDb().evaluationRun.findUniqueOrThrow({ where: { id: report.recorded.id } });
    expect(stored).toMatchObject({ datasetName: name, n: report.n, accuracy: report.accuracy, modelName: report.model.name, modelVersion: report.model.version, eceBins: 15 });
    expect(stored.confusion).toMatchObject({ cat: expect.any(Object), dog: expect.any(Object), neither: expect.any(Object) });
    as('admin');
    const html = renderToStaticMarkup(await AdminDashboardPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain(name);
  }, 120_000);

  it('a database it cannot reach costs only the record: the report is printed, the gate decided, and it exits 4', async () => {
    const nobody = `postgresql://postgres:x@127.0.0.1:${await freePort()}/petlens`;
    const args = ['--data', path.join(root, 'set'), '--model', env.MODEL_CARD_PATH, '--record', '--json'];
    const unrecorded = await cli('evaluate.ts', args, { DATABASE_URL: nobody });
    expect(unrecorded.stderr).toMatch(/^error: the run could not be recorded: Can't reach database server at 127\.0\.0\.1:\d+$/m);
    const report = JSON.parse(unrecorded.stdout) as { n: number; recorded: null };
    expect(report).toMatchObject({ n: 3, recorded: null });
    expect(unrecorded.code).toBe(4);
    // Below the bar is still what a gate reads first: a dog photo filed under cats is all this set has.
    await mkdir(path.join(root, 'mislabelled', 'cats'), { recursive: true });
    await copyFile(SAMPLE_PHOTOS.dog, path.join(root, 'mislabelled', 'cats', 'dog.jpg'));
    const below = await cli('evaluate.ts', ['--data', path.join(root, 'mislabelled'), '--model', env.MODEL_CARD_PATH, '--record', '--json', '--min-accuracy', '0.5'], { DATABASE_URL: nobody });
    expect(JSON.parse(below.stdout)).toMatchObject({ n: 1, accuracy: 0, recorded: null });
    expect(below.code).toBe(1);
  }, 120_000);
});
