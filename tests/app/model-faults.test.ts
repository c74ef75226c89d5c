/**
 * Faults: a missing or corrupt model, or a bad setting. `npm start`'s launcher refuses to
 * start (before any database) with a message that says what is wrong,
 * /api/v1/health answers 503 saying why, and POST /api/v1/predict answers
 * 503 model_unavailable until the model can be loaded, then serves.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { multipartRequest } from '../api/helpers';
import { readSample } from '../fixtures/images';

const ROOT = path.resolve(__dirname, '..', '..');
const CARD = path.join(ROOT, 'models', 'petlens-mobilenetv3-small.json');

let dir: string;
/** The committed card and its model file's bytes. */
let card: { file: string };
let model: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-model-faults-'));
  card = JSON.parse(await readFile(CARD, 'utf8')) as { file: string };
  // corrupt/: the real card beside a model file cut short.
  await writeFile(path.join(dir, 'corrupt.json'), JSON.stringify(card));
  model = await readFile(path.join(path.dirname(CARD), card.file));
  await writeFile(path.join(dir, card.file), model.subarray(0, model.length - 1000));
  // nofile.json: a card whose model file is missing.
  await writeFile(path.join(dir, 'nofile.json'), JSON.stringify({ ...card, file: 'missing.onnx' }));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

function launch(cardPath: string, dataDir: string, settings: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', MODEL_CARD_PATH: cardPath, PETLENS_DATA_DIR: dataDir, DATABASE_URL: '', EMBEDDED_PG_PORT: '0', PORT: '1', ...settings },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start with a bad model', () => {
  it.each([
    ['missing card', 'absent.json', /cannot start: the model cannot be used: model card .*absent\.json cannot be read/],
    ['missing model file', 'nofile.json', /cannot start: the model cannot be used: model file .*missing\.onnx cannot be read/],
    ['corrupt model file', 'corrupt.json', /cannot start: the model cannot be used: model file .* is corrupt or not the one its card describes \(sha256/],
  ])('%s: exits 1 with the reason, before starting PostgreSQL', async (_case, card, reason) => {
    const dataDir = path.join(dir, `data-${card}`);
    const { code, output } = await launch(path.join(dir, card), dataDir);
    expect(code).toBe(1);
    expect(output).toMatch(reason);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  }, 90_000);
});

describe('npm start with a bad setting', () => {
  it('an invalid value: exits 1 with one line per problem, not a stack trace, before starting PostgreSQL', async () => {
    const dataDir = path.join(dir, 'data-bad-setting');
    const { code, output } = await launch(CARD, dataDir, { API_ANON_RATE_LIMIT: 'sixty' });
    expect(code).toBe(1);
    expect(output).toMatch(/^\[petlens\] cannot start: Invalid environment:\n.*\n\s*→ at API_ANON_RATE_LIMIT\n$/);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  }, 90_000);

  it('DATABASE_URL without NEXTAUTH_SECRET: refused before anything connects to that database', async () => {
    // A stand-in for the database that counts who connects: migrations or the admin account would.
    const connections: net.Socket[] = [];
    const database = net.createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
    const { port } = database.address() as net.AddressInfo;
    try {
      const { code, output } = await launch(CARD, path.join(dir, 'data-no-secret'), {
        DATABASE_URL: `postgresql://petlens:petlens@127.0.0.1:${port}/petlens`,
        NEXTAUTH_SECRET: '',
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'a long enough password',
      });
      expect(code).toBe(1);
      expect(output).toMatch(/cannot start: NEXTAUTH_SECRET is required when DATABASE_URL points at a real database/);
      expect(connections).toHaveLength(0);
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => database.close(resolve));
    }
  }, 90_000);
});

type StartSpy = jest.SpiedFunction<(typeof import('~/lib/serving/inference-service'))['InferenceService']['start']>;

/**
 * A route module loaded afresh, so that lib/env reads the MODEL_CARD_PATH set now, with a spy on the inference
 * service's start and the steps that stop what it started. The requires stay synchronous inside isolateModules.
 */
function loadIsolated<Route>(routeModule: string): { route: Route; starts: StartSpy; cleanup: () => Promise<void> } {
  let loaded: { route: Route; starts: StartSpy; cleanup: () => Promise<void> } | undefined;
  jest.isolateModules(() => {
    const { InferenceService } = require('~/lib/serving/inference-service') as typeof import('~/lib/serving/inference-service');
    const starts = jest.spyOn(InferenceService, 'start');
    const route = require(routeModule) as Route;
    const { disposeInferenceService } = require('~/lib/server/inference') as { disposeInferenceService: () => Promise<void> };
    const { disconnectDb } = require('~/lib/server/db') as { disconnectDb: () => Promise<void> };
    loaded = {
      route,
      starts,
      cleanup: async () => {
        await disposeInferenceService();
        await disconnectDb();
      },
    };
  });
  return loaded!;
}

describe('GET /api/v1/health with a bad model', () => {
  it('answers 503 with the reason, the database still reachable', async () => {
    process.env.MODEL_CARD_PATH = path.join(dir, 'corrupt.json');
    const { route, starts, cleanup } = loadIsolated<{ GET: () => Promise<Response> }>('~/app/api/v1/health/route');
    const { GET } = route;
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; model: { loaded: boolean; error: string }; database: { reachable: boolean } };
      expect(body.status).toBe('unavailable');
      expect(body.model.loaded).toBe(false);
      expect(body.model.error).toBe('the model file is corrupt or not the one its card describes (details in the server log)');
      expect(body.database.reachable).toBe(true);
      // Asked again at once: the same answer from the failed start kept in memory, not a second start of the workers.
      const again = await GET();
      expect(again.status).toBe(503);
      expect(((await again.json()) as { model: { error: string } }).model.error).toBe(body.model.error);
      expect(starts).toHaveBeenCalledTimes(1);
    } finally {
      await cleanup();
      delete process.env.MODEL_CARD_PATH;
    }
  }, 60_000);
});

describe('POST /api/v1/predict with a bad model', () => {
  it('answers 503 model_unavailable with Retry-After, and serves once the model file is mended, started again only after a pause', async () => {
    // A folder of its own: the model file is mended in place halfway through.
    const mendable = path.join(dir, 'mendable');
    await mkdir(mendable);
    await writeFile(path.join(mendable, 'card.json'), JSON.stringify(card));
    await writeFile(path.join(mendable, card.file), model.subarray(0, model.length - 1000));
    const cat = await readSample('cat');
    process.env.MODEL_CARD_PATH = path.join(mendable, 'card.json');
    const { route, starts, cleanup } = loadIsolated<{ POST: (request: Request) => Promise<Response> }>('~/app/api/v1/predict/route');
    const { POST } = route;
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // Before the start is tried, so no later than when its failure begins to be kept.
      const firstAsked = performance.now();
      const refused = await POST(multipartRequest([cat]));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('model_unavailable');
      expect(errorLog.mock.calls.flat().join(' ')).toMatch(/corrupt or not the one its card describes/);

      // Asked again before the file is mended: within 1 s of a first failure the failed start is answered from memory,
      // not tried again. (On a machine so slow that this second request comes over 1 s after the first, it may be
      // tried again, and fail again.)
      const withinTheSecond = performance.now() - firstAsked < 1_000;
      const again = await POST(multipartRequest([cat]));
      expect(again.status).toBe(503);
      if (withinTheSecond) expect(starts).toHaveBeenCalledTimes(1);
      else expect(starts.mock.calls.length).toBeLessThanOrEqual(2);
      const startsBeforeMending = starts.mock.calls.length;
      await writeFile(path.join(mendable, card.file), model);
      // Then the next request starts it again, and is answered.
      let served: Response | undefined;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
        served = await POST(multipartRequest([cat]));
        if (served.status !== 503) break;
        await served.body?.cancel();
      }
      expect(served?.status).toBe(200);
      expect(((await served!.json()) as { predictions: { label: string }[] }).predictions.map((p) => p.label)).toEqual(['cat']);
      expect(starts).toHaveBeenCalledTimes(startsBeforeMending + 1);
    } finally {
      errorLog.mockRestore();
      await cleanup();
      delete process.env.MODEL_CARD_PATH;
    }
  }, 60_000);
});
