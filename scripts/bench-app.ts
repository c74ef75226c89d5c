/**
 * npm run bench:app
 *
 * Against the production build (built first if stale, as `npm start` does),
 * with a throwaway embedded PostgreSQL:
 *  1. a 12-megapixel phone-like JPEG (a real photo upscaled to 4000x3000,
 *     with EXIF) uploaded end to end in Chromium: from choosing the file to
 *     the label on screen, signed in (so the prediction and its thumbnail are
 *     stored). Target: < 1 s.
 *  2. /history with 50 items on one page: server render time of the HTML
 *     (and, for information, the browser's load event with all 50
 *     thumbnails). Target: < 300 ms.
 * Prints both and writes .bench/app.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createPrismaClient } from '~/lib/db/client';
import { startEmbeddedPostgres } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';
import { hashPassword } from '~/lib/password';
import { launchChromium } from './lib/chromium';
import { SIGN_IN_AND_UPLOAD_LIMITS_OFF, startProductionServer, type ProductionServer } from './lib/production-server';
import { median, percentile } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const PHOTO = path.resolve(ROOT, '..', 'shared', 'data', 'pets', 'kaggle', 'cats', 'cat.0.jpg');
const UPLOAD_RUNS = 7;
const HISTORY_RUNS = 30;

async function phoneJpeg(): Promise<Buffer> {
  const upscaled = await sharp(await readFile(PHOTO)).resize(4000, 3000, { fit: 'fill', kernel: 'cubic' }).toBuffer();
  // Sensor-like grain, so the file is as large as a real phone photo (an
  // upscaled photo alone compresses to a fraction of that).
  const grain = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  return sharp(upscaled)
    .composite([{ input: grain, blend: 'soft-light' }])
    .withExif({ IFD0: { Make: 'PetPhone', Model: 'Bench 12', Software: 'bench-app' }, IFD2: { ExposureTime: '1/120', FNumber: '1.8' } })
    .withMetadata({ orientation: 1 })
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'petlens-bench-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, database: 'petlens_bench' });
  let server: ProductionServer | null = null;
  const prisma = createPrismaClient(database.url);
  try {
    await migrate(database.url);
    const email = `bench-${Date.now()}@example.test`;
    const password = 'bench password 123';
    const user = await prisma.user.create({ data: { email, passwordHash: await hashPassword(password) }, select: { id: true } });

    // 50 stored predictions with real thumbnails, as uploads would leave them.
    const thumb = await sharp(await readFile(PHOTO)).resize(256, 256, { fit: 'inside' }).webp({ quality: 75 }).toBuffer({ resolveWithObject: true });
    const labels = ['cat', 'dog', 'neither'] as const;
    await prisma.prediction.createMany({
      data: Array.from({ length: 50 }, (_, i) => {
        // Every fourth has the owner's feedback, counted as it is.
        const feedback = i % 4 === 0 ? labels[i % 3]! : null;
        return {
          id: randomUUID(),
          userId: user.id,
          label: labels[i % 3]!,
          confidence: 0.9,
          pCat: i % 3 === 0 ? 0.9 : 0.05,
          pDog: i % 3 === 1 ? 0.9 : 0.05,
          pNeither: i % 3 === 2 ? 0.9 : 0.05,
          modelName: 'bench',
          modelVersion: '0',
          executionProvider: 'cpu',
          latencyMs: 5,
          sha256: randomBytes(32).toString('hex'),
          thumbnail: Uint8Array.from(thumb.data),
          thumbnailWidth: thumb.info.width,
          thumbnailHeight: thumb.info.height,
          correctLabel: feedback,
          ownerLabel: feedback,
          feedbackAt: feedback ? new Date() : null,
          createdAt: new Date(Date.now() - i * 60_000),
        };
      }),
    });

    server = await startProductionServer({
      name: 'bench-app-server',
      databaseUrl: database.url,
      readyPath: '/login',
      env: SIGN_IN_AND_UPLOAD_LIMITS_OFF,
      timeoutMs: 240_000,
    });
    const { baseUrl } = server;

    const jpeg = await phoneJpeg();
    await mkdir(path.join(ROOT, '.bench'), { recursive: true });
    const jpegPath = path.join(ROOT, '.bench', 'phone-12mp.jpg');
    await writeFile(jpegPath, jpeg);
    const meta = await sharp(jpeg).metadata();

    const browser = await launchChromium(['--disable-quic']);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();

    // 1. 12 MP upload, end to end in the browser. The first run also loads the model.
    const uploadMs: number[] = [];
    const serverMs: number[] = [];
    for (let run = 0; run <= UPLOAD_RUNS; run++) {
      await page.goto(`${baseUrl}/`);
      await page.locator('[data-testid=dropzone][data-ready=true]').waitFor();
      const started = performance.now();
      await page.getByTestId('file-input').setInputFiles(jpegPath);
      await page.getByTestId('prediction-label').waitFor({ timeout: 30_000 });
      const elapsed = performance.now() - started;
      await page.getByTestId('feedback-confirm').waitFor();
      const text = (await page.locator('li', { has: page.getByTestId('prediction-label') }).textContent()) ?? '';
      const server = /server ([\d.]+) ms/.exec(text);
      if (run === 0) continue; // warm-up
      uploadMs.push(elapsed);
      if (server) serverMs.push(Number(server[1]));
    }

    // 2. A page of 50 history items.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const historyUrl = `${baseUrl}/history?pageSize=50`;
    const htmlMs: number[] = [];
    let items = 0;
    for (let run = 0; run <= HISTORY_RUNS; run++) {
      const started = performance.now();
      const response = await fetch(historyUrl, { headers: { cookie } });
      const html = await response.text();
      const elapsed = performance.now() - started;
      if (!response.ok) throw new Error(`/history answered ${response.status}`);
      items = html.split('data-testid="history-item"').length - 1;
      if (run > 0) htmlMs.push(elapsed);
    }
    const loadMs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await page.goto(historyUrl, { waitUntil: 'load' });
      loadMs.push(performance.now() - started);
    }
    await browser.close();

    const result = {
      upload12mp: {
        image: { width: meta.width, height: meta.height, bytes: jpeg.byteLength, exif: Boolean(meta.exif) },
        runs: uploadMs.length,
        medianMs: median(uploadMs),
        maxMs: Math.max(...uploadMs),
        serverMedianMs: serverMs.length ? median(serverMs) : null,
        targetMs: 1000,
        pass: Math.max(...uploadMs) < 1000,
      },
      history50: {
        items,
        runs: htmlMs.length,
        medianMs: median(htmlMs),
        p95Ms: percentile(htmlMs, 95),
        browserLoadMedianMs: median(loadMs),
        targetMs: 300,
        pass: items === 50 && percentile(htmlMs, 95) < 300,
      },
    };
    await writeFile(path.join(ROOT, '.bench', 'app.json'), `${JSON.stringify(result, null, 2)}\n`);
    const u = result.upload12mp;
    const h = result.history50;
    console.log('');
    console.log(`12 MP upload (${u.image.width}x${u.image.height} JPEG, ${(u.image.bytes / 1e6).toFixed(1)} MB, EXIF ${u.image.exif ? 'yes' : 'no'}), chosen → label on screen, signed in, ${u.runs} runs:`);
    console.log(`  median ${u.medianMs.toFixed(0)} ms, max ${u.maxMs.toFixed(0)} ms (server ${u.serverMedianMs?.toFixed(0) ?? '?'} ms)  target < 1000 ms  ${u.pass ? 'PASS' : 'FAIL'}`);
    console.log(`history page with ${h.items} items, HTML rendered by the server, ${h.runs} runs:`);
    console.log(`  median ${h.medianMs.toFixed(0)} ms, p95 ${h.p95Ms.toFixed(0)} ms  target < 300 ms  ${h.pass ? 'PASS' : 'FAIL'}  (browser load with 50 thumbnails: ${h.browserLoadMedianMs.toFixed(0)} ms)`);
    process.exitCode = u.pass && h.pass ? 0 : 1;
  } finally {
    await server?.stop();
    await prisma.$disconnect();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:app: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
