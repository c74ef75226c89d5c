'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { legendText, tooltipStyle } from './chart-style';

export interface HistogramChartBin {
  range: string;
  correct: number;
  wrong: number;
  noFeedback: number;
}

/**
 * Predictions per confidence bin, stacked by outcome. The three series differ
 * in fill pattern (solid, hatched, dotted) as well as colour, and the legend
 * names them, so the chart reads in greyscale too.
 */
export function ConfidenceHistogramChart({ bins }: { bins: HistogramChartBin[] }) {
  return (
    <figure className="w-full">
      <BarChart responsive style={{ width: '100%', height: 260 }} data={bins} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} title="Predictions per confidence bin">
        <defs>
          <pattern id="hatch-wrong" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fde68a" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#b45309" strokeWidth="3" />
          </pattern>
          <pattern id="dots-none" width="6" height="6" patternUnits="userSpaceOnUse">
            <rect width="6" height="6" fill="#e2e8f0" />
            <circle cx="3" cy="3" r="1.3" fill="#475569" />
          </pattern>
        </defs>
        <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
        <XAxis dataKey="range" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
        <YAxis tick={{ fontSize: 11 }} width={52} allowDecimals={false} />
        <Tooltip {...tooltipStyle} />
        <Legend formatter={legendText} />
        <Bar dataKey="correct" name="Confirmed right (solid)" stackId="n" fill="#2563eb" isAnimationActive={false} />
        <Bar dataKey="wrong" name="Corrected (hatched)" stackId="n" fill="url(#hatch-wrong)" stroke="#b45309" isAnimationActive={false} />
        <Bar dataKey="noFeedback" name="No feedback (dotted)" stackId="n" fill="url(#dots-none)" stroke="#475569" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
