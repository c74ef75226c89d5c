import type { Metadata } from 'next';
import Link from 'next/link';
import { DeletePredictionButton } from '~/components/history/delete-prediction-button';
import { FeedbackButtons } from '~/components/prediction/feedback-buttons';
import { formatMs, formatPercent, LABEL_COLOURS, labelText } from '~/components/prediction/label-text';
import { ProbabilityBars } from '~/components/prediction/probability-bars';
import { Card } from '~/components/ui/card';
import { LocalTime } from '~/components/ui/local-time';
import { historyPageSearch, withSearch } from '~/components/history/history-search';
import { parseHistoryQuery } from '~/lib/validations/prediction';
import { loadPrediction } from './load-prediction';

export const metadata: Metadata = { title: 'Prediction' };

export default async function PredictionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  /** The history list page it was opened from (predictionHrefs), which Back and a delete return to. */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The same cached call as the layout's, which has already redirected or answered 404 where needed.
  const prediction = await loadPrediction((await params).id);
  const list = parseHistoryQuery(await searchParams);
  const listSearch = historyPageSearch(list, list.page).toString();
  const listHref = withSearch('/history', listSearch);

  const probabilities = { cat: prediction.pCat, dog: prediction.pDog, neither: prediction.pNeither };
  return (
    <div className="space-y-6">
      <Link href={listHref} className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
        ← Back to history
      </Link>
      <Card as="article" className="grid gap-6 p-6 md:grid-cols-[256px_1fr]">
        {/* eslint-disable-next-line @next/next/no-img-element -- a private, per-user thumbnail route */}
        <img
          src={`/history/${prediction.id}/thumbnail`}
          alt={`Your photo, classified as ${labelText(prediction.label)}`}
          width={prediction.thumbnailWidth}
          height={prediction.thumbnailHeight}
          className="h-auto w-full max-w-64 rounded-xl bg-slate-100 object-contain dark:bg-slate-800"
        />
        {/* min-w-0: a grid item is otherwise as wide as its widest line, wider than a phone. */}
        <div className="min-w-0 space-y-5">
          <div className="flex flex-wrap items-baseline gap-3">
            <h1 className="text-3xl font-semibold tracking-tight">{labelText(prediction.label)}</h1>
            <code data-testid="prediction-label" className={`rounded-md px-2 py-0.5 font-mono text-xs ${LABEL_COLOURS[prediction.label].chip}`}>
              {prediction.label}
            </code>
            <span className="text-slate-600 dark:text-slate-300">{formatPercent(prediction.confidence)} confident</span>
          </div>
          <ProbabilityBars probabilities={probabilities} predicted={prediction.label} />
          <FeedbackButtons predictionId={prediction.id} predicted={prediction.label} initial={prediction.ownerLabel} />
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500 dark:text-slate-400">When</dt>
            <dd>
              {/* Long time style: it names the zone, local or UTC. */}
              <LocalTime iso={prediction.createdAt.toISOString()} dateStyle="long" timeStyle="long" />
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Model</dt>
            <dd>
              {prediction.modelName} {prediction.modelVersion} ({prediction.executionProvider.toUpperCase()})
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Time</dt>
            <dd>{formatMs(prediction.latencyMs)} to decode and classify</dd>
            <dt className="text-slate-500 dark:text-slate-400">SHA-256</dt>
            {/* Wrapped, not cut: a touch screen has no tooltip to show the rest. */}
            <dd className="font-mono text-xs break-all" data-testid="sha256">
              {prediction.sha256}
            </dd>
          </dl>
          <DeletePredictionButton predictionId={prediction.id} listSearch={listSearch} />
        </div>
      </Card>
    </div>
  );
}
