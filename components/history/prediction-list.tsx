import Link from 'next/link';
import { formatPercent, LABEL_COLOURS, labelText } from '~/components/prediction/label-text';
import { LocalTime } from '~/components/ui/local-time';
import type { PredictionListItem } from '~/lib/server/queries/predictions';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { predictionHrefs } from '~/components/history/history-search';

function FeedbackBadge({ item }: { item: Pick<PredictionListItem, 'label' | 'ownerLabel'> }) {
  if (!item.ownerLabel) return <span className="text-xs text-slate-500 dark:text-slate-400">No feedback</span>;
  if (item.ownerLabel === item.label) return <span className="text-xs font-medium text-emerald-700 dark:text-emerald-300">✓ Confirmed</span>;
  return <span className="text-xs font-medium text-amber-800 dark:text-amber-200">✎ Actually: {labelText(item.ownerLabel)}</span>;
}

/** `query`: the list page shown, which each item's page goes back to. */
export function PredictionList({ items, query }: { items: PredictionListItem[]; query: HistoryQuery }) {
  const predictionHref = predictionHrefs(query);
  return (
    <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="history-list">
      {items.map((item) => (
        <li key={item.id} data-testid="history-item">
          <Link
            href={predictionHref(item.id)}
            // Prefetching renders each item's page on the server (its layout looks up the session and the prediction)
            // as soon as the item is in view: six items in view cost ten such renders (measured), nobody having asked.
            prefetch={false}
            className="group block h-full overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm transition hover:shadow-md dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="aspect-square bg-slate-100 dark:bg-slate-800">
              {/* eslint-disable-next-line @next/next/no-img-element -- a private, per-user thumbnail route */}
              <img
                src={`/history/${item.id}/thumbnail`}
                alt={`Your photo, classified as ${labelText(item.label)}`}
                width={item.thumbnailWidth}
                height={item.thumbnailHeight}
                loading="lazy"
                decoding="async"
                className="h-full w-full object-cover transition group-hover:scale-[1.02]"
              />
            </div>
            <div className="space-y-1 p-3">
              <div className="flex items-center justify-between gap-2">
                <span className={`rounded-md px-2 py-0.5 text-sm font-medium ${LABEL_COLOURS[item.label].chip}`} data-testid="history-label">
                  {labelText(item.label)}
                </span>
                <span className="text-sm tabular-nums text-slate-600 dark:text-slate-300">{formatPercent(item.confidence)}</span>
              </div>
              <LocalTime iso={item.createdAt.toISOString()} dateStyle="medium" timeStyle="short" className="block text-xs text-slate-500 dark:text-slate-400" />
              <FeedbackBadge item={item} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
