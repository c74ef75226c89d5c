import type { ReactNode } from 'react';
import { labelText } from '~/components/prediction/label-text';
import { Card } from '~/components/ui/card';
import { LABELS } from '~/lib/config';
import type { AccuracyPoint, Calibration, ClassStats, Confusion, EvaluationRunSummary, FeedbackOverview, HistogramBin, VersionStats } from '~/lib/server/queries/admin';
import { modelFilterValue } from '~/lib/validations/admin';
import { binRange, count, pct, ratio } from './format';

const th = 'px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300';
const td = 'px-3 py-2 tabular-nums';
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function Section({ title, id, children, description }: { title: string; id: string; children: ReactNode; description?: ReactNode }) {
  return (
    <Card as="section" className="space-y-3 p-5">
      <div>
        <h2 id={id} className="text-lg font-semibold tracking-tight">
          {title}
        </h2>
        {description ? <p className="text-sm text-slate-600 dark:text-slate-300">{description}</p> : null}
      </div>
      {children}
    </Card>
  );
}

function Table({ caption, children }: { caption: string; children: ReactNode }) {
  // At phone width a table scrolls sideways in this frame: focusable and named, so that the keyboard can scroll it
  // in every browser (Chromium makes a scrolling box focusable on its own, Safari does not).
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A figure's second line: the part of it that a different sample makes up. */
interface OverviewDetail {
  id: string;
  text: string;
  raw: number | null;
}

export function OverviewCards({ overview, ece }: { overview: FeedbackOverview; ece: number | null }) {
  // Admins label from the review queue, which offers low-confidence predictions: those labels are not a sample of all
  // uploads, so the owners' share and their accuracy alone are shown beside the figures that mix both in.
  const byAdminOnly = overview.withFeedback - overview.fromOwners;
  const items: { id: string; label: string; value: string; raw: number | null; detail?: OverviewDetail }[] = [
    { id: 'total', label: 'Predictions', value: count(overview.total), raw: overview.total },
    {
      id: 'with-feedback',
      label: 'With feedback',
      value: count(overview.withFeedback),
      raw: overview.withFeedback,
      detail: byAdminOnly > 0 ? { id: 'from-owners', text: `${count(overview.fromOwners)} from owners, ${count(byAdminOnly)} labelled by an admin only`, raw: overview.fromOwners } : undefined,
    },
    { id: 'without-feedback', label: 'Without feedback', value: count(overview.withoutFeedback), raw: overview.withoutFeedback },
    {
      id: 'accuracy',
      label: 'Accuracy (with feedback)',
      value: pct(overview.accuracy),
      raw: overview.accuracy,
      detail: byAdminOnly > 0 ? { id: 'owners-accuracy', text: `on owners’ feedback alone: ${pct(overview.ownersAccuracy)}`, raw: overview.ownersAccuracy } : undefined,
    },
    { id: 'ece', label: 'Calibration error (ECE)', value: ratio(ece), raw: ece },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {items.map((item) => (
        <Card key={item.id} className="p-4">
          <dt className="text-xs font-medium text-slate-600 dark:text-slate-300">{item.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`overview-${item.id}`} data-value={item.raw ?? ''}>
            {item.value}
          </dd>
          {item.detail ? (
            <dd className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid={`overview-${item.detail.id}`} data-value={item.detail.raw ?? ''}>
              {item.detail.text}
            </dd>
          ) : null}
        </Card>
      ))}
    </dl>
  );
}

export function PerClassTable({ rows }: { rows: ClassStats[] }) {
  return (
    <Table caption="Precision, recall, F1 and support per class">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className={th}>Class</th>
          <th scope="col" className={th}>Precision</th>
          <th scope="col" className={th}>Recall</th>
          <th scope="col" className={th}>F1</th>
          <th scope="col" className={th}>Support (confirmed)</th>
          <th scope="col" className={th}>Predicted</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label} className="border-b border-slate-100 dark:border-slate-800">
            <th scope="row" className="px-3 py-2 text-left font-medium">{labelText(row.label)}</th>
            {(['precision', 'recall', 'f1'] as const).map((metric) => (
              <td key={metric} className={td} data-testid={`class-${row.label}-${metric}`} data-value={row[metric] ?? undefined}>
                {/* — where the ratio is undefined: nothing predicted as, or confirmed as, this class. */}
                {pct(row[metric])}
              </td>
            ))}
            <td className={td} data-testid={`class-${row.label}-support`} data-value={row.support}>{count(row.support)}</td>
            <td className={td} data-testid={`class-${row.label}-predicted`} data-value={row.predicted}>{count(row.predicted)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Rows: confirmed label; columns: predicted. Shade and a ✓ mark the diagonal; every cell shows its count and row share. */
export function ConfusionTable({ confusion }: { confusion: Confusion }) {
  const max = Math.max(1, ...LABELS.flatMap((t) => LABELS.map((p) => confusion[t][p])));
  return (
    <Table caption="Confusion matrix: rows are the confirmed label, columns the predicted label">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className={th}>Confirmed ↓ / predicted →</th>
          {LABELS.map((label) => (
            <th key={label} scope="col" className={th}>{labelText(label)}</th>
          ))}
          <th scope="col" className={th}>Total</th>
        </tr>
      </thead>
      <tbody>
        {LABELS.map((confirmed) => {
          const rowTotal = LABELS.reduce((s, p) => s + confusion[confirmed][p], 0);
          return (
            <tr key={confirmed} className="border-b border-slate-100 dark:border-slate-800">
              <th scope="row" className="px-3 py-2 text-left font-medium">{labelText(confirmed)}</th>
              {LABELS.map((predicted) => {
                const value = confusion[confirmed][predicted];
                const diagonal = confirmed === predicted;
                return (
                  <td
                    key={predicted}
                    className={`${td} ${diagonal ? 'font-semibold' : ''}`}
                    style={{ backgroundColor: `rgba(37, 99, 235, ${(0.08 + 0.5 * (value / max)).toFixed(3)})` }}
                    data-testid={`confusion-${confirmed}-${predicted}`}
                    data-value={value}
                  >
                    {diagonal ? '✓ ' : ''}
                    {count(value)}
                    {/* The cell's own text colour: a grey on the darker shades of a large count fell under 4.5:1. */}
                    <span className="ml-1 text-xs font-normal">({pct(rowTotal === 0 ? null : value / rowTotal, 0)})</span>
                  </td>
                );
              })}
              <td className={td}>{count(rowTotal)}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function AccuracyTable({ points, unit }: { points: AccuracyPoint[]; unit: 'day' | 'week' }) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-700 dark:text-slate-200">Table: accuracy per {unit} ({points.length} rows)</summary>
      <Table caption={`Accuracy per ${unit}`}>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th scope="col" className={th}>{unit === 'day' ? 'Day (UTC)' : 'Week from (Monday, UTC)'}</th>
            <th scope="col" className={th}>With feedback</th>
            <th scope="col" className={th}>Correct</th>
            <th scope="col" className={th}>Accuracy</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.period} className="border-b border-slate-100 dark:border-slate-800" data-testid={`${unit}-${p.period}`} data-n={p.n} data-correct={p.correct} data-accuracy={p.accuracy}>
              <th scope="row" className="px-3 py-1 text-left font-normal">{p.period}</th>
              <td className={td}>{count(p.n)}</td>
              <td className={td}>{count(p.correct)}</td>
              <td className={td}>{pct(p.accuracy)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </details>
  );
}

export function VersionTable({ rows, runs }: { rows: VersionStats[]; runs: EvaluationRunSummary[] }) {
  return (
    <Table caption="Live accuracy per model version, with the latest offline evaluation of the same version">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className={th}>Model</th>
          <th scope="col" className={th}>Version</th>
          <th scope="col" className={th}>Predictions</th>
          <th scope="col" className={th}>With feedback</th>
          <th scope="col" className={th}>Live accuracy</th>
          <th scope="col" className={th}>Offline accuracy (latest run)</th>
          <th scope="col" className={th}>Last prediction (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const run = runs.find((r) => r.modelName === row.modelName && r.modelVersion === row.modelVersion);
          return (
            <tr key={modelFilterValue(row)} className="border-b border-slate-100 dark:border-slate-800" data-testid={`version-${row.modelVersion}`} data-total={row.total} data-with-feedback={row.withFeedback} data-accuracy={row.accuracy ?? ''}>
              <td className="px-3 py-2">{row.modelName}</td>
              <th scope="row" className="px-3 py-2 text-left font-medium">{row.modelVersion}</th>
              <td className={td}>{count(row.total)}</td>
              <td className={td}>{count(row.withFeedback)}</td>
              <td className={td}>{pct(row.accuracy)}</td>
              <td className={td}>{run ? `${pct(run.accuracy)} on ${run.datasetName}` : '—'}</td>
              <td className={td}>{dateFormat.format(row.lastAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function HistogramTable({ bins }: { bins: HistogramBin[] }) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-700 dark:text-slate-200">Table: predictions per confidence bin</summary>
      <Table caption="Predictions per confidence bin">
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th scope="col" className={th}>Confidence</th>
            <th scope="col" className={th}>All</th>
            <th scope="col" className={th}>Confirmed right</th>
            <th scope="col" className={th}>Corrected</th>
            <th scope="col" className={th}>No feedback</th>
          </tr>
        </thead>
        <tbody>
          {bins.map((b) => (
            <tr key={b.bin} className="border-b border-slate-100 dark:border-slate-800" data-testid={`histogram-${b.bin}`} data-total={b.total}>
              <th scope="row" className="px-3 py-1 text-left font-normal">{binRange(b.lower, b.upper)}</th>
              <td className={td}>{count(b.total)}</td>
              <td className={td}>{count(b.correct)}</td>
              <td className={td}>{count(b.wrong)}</td>
              <td className={td}>{count(b.noFeedback)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </details>
  );
}

export function CalibrationTable({ calibration }: { calibration: Calibration }) {
  return (
    <Table caption="Reliability: accuracy against mean confidence per bin">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className={th}>Confidence bin</th>
          <th scope="col" className={th}>Predictions</th>
          <th scope="col" className={th}>Mean confidence</th>
          <th scope="col" className={th}>Accuracy</th>
          <th scope="col" className={th}>Gap</th>
        </tr>
      </thead>
      <tbody>
        {calibration.bins.map((b) => (
          <tr key={b.bin} className="border-b border-slate-100 dark:border-slate-800" data-testid={`calibration-${b.bin}`} data-n={b.n} data-confidence={b.meanConfidence} data-accuracy={b.accuracy}>
            <th scope="row" className="px-3 py-1 text-left font-normal">{binRange(b.lower, b.upper)}</th>
            <td className={td}>{count(b.n)}</td>
            <td className={td}>{pct(b.meanConfidence)}</td>
            <td className={td}>{pct(b.accuracy)}</td>
            <td className={td}>{`${b.accuracy >= b.meanConfidence ? '+' : '−'}${pct(Math.abs(b.accuracy - b.meanConfidence))}`}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function EvaluationRunsTable({ runs }: { runs: EvaluationRunSummary[] }) {
  if (runs.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="evaluation-runs-empty">
        No runs yet. Record one with <code>npm run evaluate -- --data DIR --record</code>.
      </p>
    );
  }
  return (
    <Table caption="Offline evaluation runs, newest first">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className={th}>When (UTC)</th>
          <th scope="col" className={th}>Model</th>
          <th scope="col" className={th}>Dataset</th>
          <th scope="col" className={th}>Images</th>
          <th scope="col" className={th}>Accuracy</th>
          {LABELS.map((label) => (
            <th key={label} scope="col" className={th}>F1 {labelText(label)}</th>
          ))}
          <th scope="col" className={th}>ECE</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className="border-b border-slate-100 dark:border-slate-800" data-testid="evaluation-run">
            <td className={td}>{dateFormat.format(run.createdAt)}</td>
            <td className="px-3 py-2">
              {run.modelName} <span className="text-slate-600 dark:text-slate-300">{run.modelVersion}</span>
            </td>
            <td className="px-3 py-2">{run.datasetName}</td>
            <td className={td}>{count(run.n)}</td>
            <td className={td} data-value={run.accuracy}>{pct(run.accuracy)}</td>
            {LABELS.map((label) => (
              <td key={label} className={td}>{run.perClass ? pct(run.perClass[label].f1) : '—'}</td>
            ))}
            <td className={td}>{ratio(run.ece)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
