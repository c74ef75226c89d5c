'use client';

import { CartesianGrid, LabelList, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

export interface AccuracyChartPoint {
  period: string;
  n: number;
  accuracy: number;
}

/**
 * Accuracy per period as a line with a marker per point; every point also
 * carries its value as text when there are few, so colour is never needed.
 */
export function AccuracyChart({ points, title }: { points: AccuracyChartPoint[]; title: string }) {
  const data = points.map((p) => ({ period: p.period, accuracy: Number((p.accuracy * 100).toFixed(1)), n: p.n }));
  return (
    <figure className="w-full">
      <LineChart responsive style={{ width: '100%', height: 240 }} data={data} margin={{ top: 20, right: 16, bottom: 4, left: 0 }} title={title}>
        <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
        <XAxis dataKey="period" tick={{ fontSize: 11 }} minTickGap={24} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={44} />
        <Tooltip formatter={(value) => [`${String(value)}%`, 'accuracy']} labelFormatter={(label) => `from ${String(label)}`} />
        <Line type="monotone" dataKey="accuracy" stroke="#2563eb" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false}>
          {data.length <= 16 ? <LabelList dataKey="accuracy" position="top" fontSize={10} formatter={(v) => `${String(v)}%`} /> : null}
        </Line>
      </LineChart>
    </figure>
  );
}
