import type { ReactNode } from 'react';
import type { Metadata } from 'next';
import { AccuracyChart } from '~/components/admin/accuracy-chart';
import { AdminFilters } from '~/components/admin/admin-filters';
import { ConfidenceHistogramChart } from '~/components/admin/confidence-histogram-chart';
import {
  AccuracyTable,
  CalibrationTable,
  ConfusionTable,
  EvaluationRunsTable,
  HistogramTable,
  OverviewCards,
  PerClassTable,
  Section,
  VersionTable,
} from '~/components/admin/dashboard-sections';
import { binRange, ratio } from '~/components/admin/format';
import { ReliabilityChart } from '~/components/admin/reliability-chart';
import { requireAdmin } from '~/lib/server/auth';
import { getDashboardStats } from '~/lib/server/queries/admin';
import { adminFilterQuerySchema, toAdminFilters } from '~/lib/validations/admin';

export const metadata: Metadata = { title: 'Admin' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A section's chart and table, or, in place of axes with nothing on them, a note: these figures need predictions with feedback. */
function UnlessNoFeedback({ empty, children }: { empty: boolean; children: ReactNode }) {
  if (!empty) return children;
  return <p className="rounded-xl border border-dashed border-slate-300 px-4 py-10 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">No feedback yet</p>;
}

/** How the model does on real uploads: every figure is aggregated in PostgreSQL from predictions with feedback. */
export default async function AdminDashboardPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin('/admin');
  const params = await searchParams;
  const query = adminFilterQuerySchema.parse({ from: params.from, to: params.to, model: params.model });
  const stats = await getDashboardStats(toAdminFilters(query));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Model in the wild</h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Accuracy on what users upload, from the labels they (or an admin) confirmed. Days are UTC.
          </p>
        </div>
        <AdminFilters query={query} models={stats.perVersion} />
      </div>

      <OverviewCards overview={stats.overview} ece={stats.calibration.ece} />

      {/* Every section the page's full width: side by side, half of it is too narrow for these tables' columns. */}
      <Section title="Per class" id="per-class" description="Over predictions with feedback: support counts confirmed labels.">
        <PerClassTable rows={stats.perClass} />
      </Section>
      <Section title="Confusion matrix" id="confusion" description="Rows: confirmed label. Columns: predicted label. ✓ marks the correct cells.">
        <ConfusionTable confusion={stats.confusion} />
      </Section>

      <Section
        title="Accuracy per week"
        id="per-week"
        description={`Predictions with feedback, by the week they were made (weeks start on Monday).${
          query.from || query.to ? ' The first and last weeks count only the days within the chosen dates.' : ''
        }`}
      >
        <UnlessNoFeedback empty={stats.perWeek.length === 0}>
          <AccuracyChart points={stats.perWeek} unit="week" title="Accuracy per week" />
          <AccuracyTable points={stats.perWeek} unit="week" />
        </UnlessNoFeedback>
      </Section>

      <Section title="Accuracy per day" id="per-day">
        <UnlessNoFeedback empty={stats.perDay.length === 0}>
          <AccuracyChart points={stats.perDay} unit="day" title="Accuracy per day" />
          <AccuracyTable points={stats.perDay} unit="day" />
        </UnlessNoFeedback>
      </Section>

      <Section title="Per model version" id="per-version" description="In the chosen date range; the model filter does not apply here.">
        <VersionTable rows={stats.perVersion} runs={stats.latestRunPerVersion} />
      </Section>

      <Section title="Confidence" id="confidence" description="All predictions by the model’s confidence, split by what feedback said.">
        <ConfidenceHistogramChart
          bins={stats.histogram.filter((b) => b.upper > 0.3).map((b) => ({ range: binRange(b.lower, b.upper), correct: b.correct, wrong: b.wrong, noFeedback: b.noFeedback }))}
        />
        <HistogramTable bins={stats.histogram} />
      </Section>
      <Section
        title="Calibration"
        id="calibration"
        description={`Reliability over ${stats.calibration.binCount} bins; expected calibration error ${ratio(stats.calibration.ece)}. Under the diagonal: over-confident.`}
      >
        <UnlessNoFeedback empty={stats.calibration.bins.length === 0}>
          <ReliabilityChart bins={stats.calibration.bins} />
          <CalibrationTable calibration={stats.calibration} />
        </UnlessNoFeedback>
      </Section>

      <Section title="Offline evaluation runs" id="evaluation-runs" description="Test-set accuracy recorded by npm run evaluate -- --record, to compare with the live figures above.">
        <EvaluationRunsTable runs={stats.evaluationRuns} />
      </Section>
    </div>
  );
}
