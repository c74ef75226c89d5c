/**
 * @file Synthetic predictions for the admin dashboard's scale target: one
 * INSERT … SELECT over generate_series, so 100,000 rows take seconds.
 *
 * The rows look like real traffic: three model versions over the last 120
 * days, confidence skewed high (≥ 1/3, as a 3-class softmax maximum is),
 * correctness that follows confidence (a slightly over-confident model) and
 * a wrong prediction's confirmed label picked among the other two classes.
 * Every row carries the same tiny WebP: real thumbnails (10-30 KB) are
 * stored out of line by PostgreSQL (TOAST), so a tiny inline one keeps the
 * table's row width close to real.
 *
 * Plain Node (pg): used by `npm run db:seed:admin-bench` and `npm run bench:admin`.
 */
import pg from 'pg';

export interface AdminBenchSeed {
  /** Predictions with feedback. */
  withFeedback: number;
  /** Further predictions without feedback. */
  withoutFeedback: number;
  users: number;
  /** Tag in the users' emails, so a seed can be recognised (and removed). */
  tag: string;
  thumbnail: { webp: Uint8Array; width: number; height: number };
}

export const BENCH_MODEL_VERSIONS = ['1.0.0', '1.1.0', '1.2.0'] as const;

export async function seedAdminBench(connectionString: string, seed: AdminBenchSeed): Promise<{ predictions: number; users: number; seconds: number }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Same sequence every time for the same sizes.
    await client.query('SELECT setseed(0.4242)');
    const users = await client.query<{ id: string }>(
      `INSERT INTO "User" ("id", "email", "passwordHash", "role")
       SELECT gen_random_uuid(), 'admin-bench-' || $1::text || '-' || g || '@example.test', '!', 'user'
       FROM generate_series(1, $2::int) AS g
       RETURNING "id"`,
      [seed.tag, seed.users],
    );
    const total = seed.withFeedback + seed.withoutFeedback;
    const inserted = await client.query(
      `WITH owners AS (SELECT array_agg("id") AS ids FROM unnest($1::uuid[]) AS "id"),
       draws AS (
         SELECT g, random() AS r_label, random() AS r_conf, random() AS r_ok, random() AS r_other, random() AS r_time, random() AS r_user
         FROM generate_series(1, $2::int) AS g
       ),
       shaped AS (
         SELECT g, r_other, r_user, r_time,
                (ARRAY['cat', 'dog', 'neither']::"Label"[])[1 + floor(r_label * 3)::int] AS label,
                -- in [1/3, 1], most mass near 1
                (1.0 / 3 + (2.0 / 3) * power(r_conf, 0.3))::real AS conf,
                r_ok
         FROM draws
       ),
       judged AS (
         SELECT *, (r_ok < conf - 0.04) AS ok, now() - r_time * interval '120 days' AS at FROM shaped
       ),
       -- The owners' feedback, which the figures count: the same label in both columns.
       fed AS (
         SELECT *, CASE WHEN g > $10::int THEN NULL
                        WHEN ok THEN label
                        ELSE (ARRAY['cat', 'dog', 'neither']::"Label"[])[1 + ((array_position(enum_range(NULL::"Label"), label) - 1) + 1 + floor(r_other * 2)::int) % 3]
                   END AS feedback
         FROM judged
       )
       INSERT INTO "Prediction" ("id", "userId", "label", "confidence", "pCat", "pDog", "pNeither", "modelName", "modelVersion",
                                 "executionProvider", "latencyMs", "sha256", "thumbnail", "thumbnailWidth", "thumbnailHeight",
                                 "correctLabel", "ownerLabel", "feedbackAt", "createdAt")
       SELECT gen_random_uuid(),
              (SELECT ids[1 + floor(r_user * array_length(ids, 1))::int] FROM owners),
              label, conf,
              CASE WHEN label = 'cat' THEN conf ELSE (1 - conf) / 2 END,
              CASE WHEN label = 'dog' THEN conf ELSE (1 - conf) / 2 END,
              CASE WHEN label = 'neither' THEN conf ELSE (1 - conf) / 2 END,
              'petlens-mobilenetv3-small',
              CASE WHEN r_time > 2.0 / 3 THEN $3 WHEN r_time > 1.0 / 3 THEN $4 ELSE $5 END,
              'cpu', 2 + 3 * r_other, encode(sha256(convert_to('admin-bench-' || $6::text || '-' || g, 'UTF8')), 'hex'),
              $7::bytea, $8::int, $9::int,
              feedback, feedback,
              CASE WHEN g > $10::int THEN NULL ELSE at + interval '1 minute' END,
              at
       FROM fed`,
      [
        users.rows.map((row) => row.id),
        total,
        BENCH_MODEL_VERSIONS[0],
        BENCH_MODEL_VERSIONS[1],
        BENCH_MODEL_VERSIONS[2],
        seed.tag,
        Buffer.from(seed.thumbnail.webp),
        seed.thumbnail.width,
        seed.thumbnail.height,
        seed.withFeedback,
      ],
    );
    await client.query('COMMIT');
    // Fresh statistics and visibility map: the planner then picks the
    // index-only scans the dashboard is built around, as autovacuum would later.
    await client.query('VACUUM (ANALYZE) "Prediction"');
    return { predictions: inserted.rowCount ?? 0, users: users.rowCount ?? 0, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
