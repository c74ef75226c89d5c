import type { Metadata } from 'next';
import Link from 'next/link';
import { count, pct } from '~/components/admin/format';
import { MisclassifiedBadge, ReviewedBadge, ReviewItemState } from '~/components/admin/review-item-state';
import { ReviewLabelButtons } from '~/components/admin/review-label-buttons';
import { LABEL_COLOURS, labelText } from '~/components/prediction/label-text';
import { buttonClasses } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Pager } from '~/components/ui/pager';
import { env } from '~/lib/env';
import { requireAdmin } from '~/lib/server/auth';
import { getReviewQueue, type ReviewCursor } from '~/lib/server/queries/admin';
import { type ReviewKind, reviewQuerySchema } from '~/lib/validations/admin';

export const metadata: Metadata = { title: 'Review queue' };

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function href(kind: ReviewKind, reviewed: boolean, cursor: ReviewCursor | null = null): string {
  const params = new URLSearchParams();
  if (kind !== 'all') params.set('kind', kind);
  if (reviewed) params.set('reviewed', '1');
  if (cursor) params.set(cursor.direction, cursor.id);
  const search = params.toString();
  return search ? `/admin/review?${search}` : '/admin/review';
}

/**
 * Misclassified and low-confidence predictions of all users, newest first; an
 * admin sets the confirmed label, which takes the prediction out of the queue
 * (shown again with "Show reviewed too").
 */
export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/review');
  const params = await searchParams;
  const query = reviewQuerySchema.parse({ kind: params.kind, reviewed: params.reviewed, older: params.older, newer: params.newer });
  const threshold = env.REVIEW_CONFIDENCE_THRESHOLD;
  const cursor: ReviewCursor | null = query.older ? { direction: 'older', id: query.older } : query.newer ? { direction: 'newer', id: query.newer } : null;
  const result = await getReviewQueue({ kind: query.kind, threshold, includeReviewed: query.reviewed, cursor });
  const { newer, older } = result;
  // What the shown predictions have in common, for the count above the queue: the filter's own words.
  const below = `scored below ${pct(threshold, 0)} confidence`;
  const which = { all: `feedback marked wrong or that ${below}`, misclassified: 'feedback marked wrong', low_confidence: below }[query.kind];
  const kinds: { kind: ReviewKind; text: string }[] = [
    { kind: 'all', text: 'All' },
    { kind: 'misclassified', text: 'Misclassified' },
    { kind: 'low_confidence', text: `Confidence < ${pct(threshold, 0)}` },
  ];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Review queue</h1>
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="review-total">
            {count(result.total)} predictions that {which},{' '}
            {query.reviewed ? 'reviewed or not' : 'not yet reviewed'}, newest first. Setting a label marks one reviewed; new feedback from its
            user brings it back.
          </p>
        </div>
        <nav aria-label="Which predictions" className="flex flex-wrap gap-1">
          {kinds.map((k) => (
            <Link
              key={k.kind}
              href={href(k.kind, query.reviewed)}
              aria-current={query.kind === k.kind ? 'page' : undefined}
              className={buttonClasses({ variant: query.kind === k.kind ? 'primary' : 'secondary', size: 'sm' })}
            >
              {k.text}
            </Link>
          ))}
          <Link href={href(query.kind, !query.reviewed)} className={buttonClasses({ variant: 'ghost', size: 'sm' })} data-testid="review-toggle-reviewed">
            {query.reviewed ? 'Hide reviewed' : 'Show reviewed too'}
          </Link>
        </nav>
      </div>

      {result.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 px-6 py-16 text-center dark:border-slate-700" data-testid="review-empty">
          Nothing to review.
        </p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="review-list">
          {result.items.map((item) => (
            <Card as="li" key={item.id} className="overflow-hidden">
              <ReviewItemState initial={item.correctLabel}>
                <div data-testid="review-item" data-prediction-id={item.id}>
                  <div className="aspect-video bg-slate-100 dark:bg-slate-800">
                    {/* eslint-disable-next-line @next/next/no-img-element -- admin-only thumbnail route */}
                    <img
                      src={`/admin/predictions/${item.id}/thumbnail`}
                      alt={`Upload predicted as ${labelText(item.label)}`}
                      width={item.thumbnailWidth}
                      height={item.thumbnailHeight}
                      loading="lazy"
                      decoding="async"
                      className="h-full w-full object-contain"
                    />
                  </div>
                  <div className="space-y-2 p-3 text-sm">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className={`rounded-md px-2 py-0.5 font-medium ${LABEL_COLOURS[item.label].chip}`} data-testid="review-predicted">
                        {labelText(item.label)}
                      </span>
                      <span className="tabular-nums">{pct(item.confidence)}</span>
                      <MisclassifiedBadge predicted={item.label} />
                      {item.confidence < threshold ? <span className="text-slate-600 dark:text-slate-300">⚠ low confidence</span> : null}
                      <ReviewedBadge reviewedAt={item.reviewedAt ? `${dateFormat.format(item.reviewedAt)} UTC` : null} />
                      {item.userId === null ? (
                        <span className="text-slate-600 dark:text-slate-300" data-testid="review-guest">
                          guest upload
                        </span>
                      ) : null}
                      {item.ownerLabel ? (
                        <span className="text-slate-600 dark:text-slate-300" data-testid="review-owner-label" data-value={item.ownerLabel}>
                          owner said {labelText(item.ownerLabel)}
                        </span>
                      ) : null}
                    </div>
                    <p className="text-xs text-slate-600 dark:text-slate-300">
                      cat {pct(item.pCat)} · dog {pct(item.pDog)} · neither {pct(item.pNeither)} · model {item.modelVersion} ·{' '}
                      <time dateTime={item.createdAt.toISOString()}>{dateFormat.format(item.createdAt)} UTC</time>
                    </p>
                    <ReviewLabelButtons predictionId={item.id} predicted={item.label} />
                  </div>
                </div>
              </ReviewItemState>
            </Card>
          ))}
        </ul>
      )}

      <Pager
        newerHref={newer ? href(query.kind, query.reviewed, newer) : null}
        olderHref={older ? href(query.kind, query.reviewed, older) : null}
        page={result.page}
        pageCount={result.pageCount}
      />
    </div>
  );
}
