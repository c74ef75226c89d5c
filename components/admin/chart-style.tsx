/**
 * What the admin charts share so that their text reads in light and dark mode alike (with the chart text rules in
 * app/globals.css). Recharts' tooltip box is white and takes the page's text colour, which in dark mode is near white
 * on white (1.1:1); its legends are written in each series' colour, under 4.5:1 on a dark card.
 */
export const tooltipStyle = {
  contentStyle: { backgroundColor: '#ffffff', borderColor: '#cbd5e1', color: '#0f172a' },
  labelStyle: { color: '#0f172a' },
  itemStyle: { color: '#0f172a' },
} as const;

/** A legend entry's text in the body text's colours instead of its series' colour (the icon beside it keeps that). */
export function legendText(value: string) {
  return <span className="text-slate-700 dark:text-slate-200">{value}</span>;
}
