'use client';

import { CartesianGrid, LabelList, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { tooltipStyle } from './chart-style';

export interface AccuracyChartPoint {
  /** The period's first day, YYYY-MM-DD (UTC); a week's is its Monday. */
  period: string;
  n: number;
  accuracy: number;
}

const DAY_MS = 86_400_000;

/**
 * The points with every period between the first and the last, those without feedback as gaps (accuracy null): the
 * axis is a list of categories, so two periods weeks apart would otherwise be drawn as neighbours, one line between.
 */
export function withGaps(points: readonly AccuracyChartPoint[], unit: 'day' | 'week'): { period: string; n: number; accuracy: number | null }[] {
  if (points.length === 0) return [];
  const step = unit === 'day' ? DAY_MS : 7 * DAY_MS;
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const first = Date.parse(`${points[0]!.period}T00:00:00Z`);
  const last = Date.parse(`${points.at(-1)!.period}T00:00:00Z`);
  const filled = [];
  for (let at = first; at <= last; at += step) {
    const period = new Date(at).toISOString().slice(0, 10);
    const point = byPeriod.get(period);
    filled.push({ period, n: point?.n ?? 0, accuracy: point ? point.accuracy : null });
  }
  return filled;
}

/**
 * Accuracy per period as a line with a marker per point, broken where a period has no feedback; every point also
 * carries its value as text when there are few, so colour is never needed, and the tooltip says how many predictions
 * it stands for (one wrong answer of one is 0 %).
 */
export function AccuracyChart({ points, unit, title }: { points: AccuracyChartPoint[]; unit: 'day' | 'week'; title: string }) {
  const data = withGaps(points, unit).map((p) => ({ period: p.period, accuracy: p.accuracy === null ? null : Number((p.accuracy * 100).toFixed(1)), n: p.n }));
  return (
    <figure className="w-full">
      <LineChart responsive style={{ width: '100%', height: 240 }} data={data} margin={{ top: 20, right: 16, bottom: 4, left: 0 }} title={title}>
        <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
        <XAxis dataKey="period" tick={{ fontSize: 11 }} minTickGap={24} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={44} />
        <Tooltip
          {...tooltipStyle}
          formatter={(value, _name, item) => [value === null || value === undefined ? 'no feedback' : `${String(value)}% of ${String((item.payload as { n: number }).n)}`, 'accuracy']}
          labelFormatter={(label) => `from ${String(label)}`}
        />
        <Line type="monotone" dataKey="accuracy" stroke="#2563eb" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false}>
          {data.length <= 16 ? <LabelList dataKey="accuracy" position="top" fontSize={10} formatter={(v) => (v === null || v === undefined ? '' : `${String(v)}%`)} /> : null}
        </Line>
      </LineChart>
    </figure>
  );
}
