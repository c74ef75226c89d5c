'use client';

import { CartesianGrid, ComposedChart, LabelList, Legend, Line, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { legendText, tooltipStyle } from './chart-style';

export interface ReliabilityChartBin {
  meanConfidence: number;
  accuracy: number;
  n: number;
}

/**
 * Reliability diagram: each bin's accuracy (circles, labelled with their
 * value) against its mean confidence, and the dashed diagonal of perfect
 * calibration. Points under the diagonal mean over-confidence.
 */
export function ReliabilityChart({ bins }: { bins: ReliabilityChartBin[] }) {
  const points = bins.map((b) => ({ confidence: Number((b.meanConfidence * 100).toFixed(1)), accuracy: Number((b.accuracy * 100).toFixed(1)), n: b.n }));
  const diagonal = [
    { confidence: 0, ideal: 0 },
    { confidence: 100, ideal: 100 },
  ];
  return (
    <figure className="w-full">
      <ComposedChart responsive style={{ width: '100%', height: 280 }} margin={{ top: 16, right: 16, bottom: 16, left: 0 }} title="Reliability: accuracy against mean confidence">
        <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
        <XAxis type="number" dataKey="confidence" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} label={{ value: 'mean confidence', position: 'insideBottom', offset: -8, fontSize: 11 }} />
        <YAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={48} />
        <Tooltip {...tooltipStyle} />
        <Legend verticalAlign="top" formatter={legendText} />
        <Line data={diagonal} dataKey="ideal" name="Perfect calibration (dashed)" stroke="#64748b" strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        <Scatter data={points} dataKey="accuracy" name="Accuracy per bin (circles)" fill="#2563eb" isAnimationActive={false}>
          <LabelList dataKey="accuracy" position="top" fontSize={10} formatter={(v) => `${String(v)}%`} />
        </Scatter>
      </ComposedChart>
    </figure>
  );
}
