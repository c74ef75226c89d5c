/**
 * @file Classification metrics: accuracy, per-class precision / recall / F1,
 * the confusion matrix and the expected calibration error. Pure functions of
 * (true label, prediction) pairs, shared by the evaluate CLI, the model-card
 * writer and the tests.
 */
import { LABELS, type Label } from './model-card';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Number of images whose true label is this class. */
  support: number;
}

export interface EvaluationMetrics {
  n: number;
  accuracy: number;
  perClass: Record<Label, ClassMetrics>;
  /** confusion[trueLabel][predictedLabel] = count. */
  confusion: Record<Label, Record<Label, number>>;
  /** Expected calibration error over `eceBins` equal-width confidence bins. */
  ece: number;
  eceBins: number;
}

export interface LabeledPrediction {
  trueLabel: Label;
  label: Label;
  confidence: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function emptyConfusion(): Record<Label, Record<Label, number>> {
  return Object.fromEntries(LABELS.map((t) => [t, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Record<Label, Record<Label, number>>;
}

/** Expected calibration error: sum over bins of |accuracy - mean confidence| weighted by the bin's share. */
export function expectedCalibrationError(rows: readonly LabeledPrediction[], bins = 15): number {
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  for (const row of rows) {
    const bin = Math.min(bins - 1, Math.floor(row.confidence * bins));
    count[bin]! += 1;
    correct[bin]! += row.label === row.trueLabel ? 1 : 0;
    confidence[bin]! += row.confidence;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0) ece += (count[b]! / rows.length) * Math.abs(correct[b]! / count[b]! - confidence[b]! / count[b]!);
  }
  return ece;
}

export function computeMetrics(rows: readonly LabeledPrediction[], eceBins = 15): EvaluationMetrics {
  const confusion = emptyConfusion();
  for (const row of rows) confusion[row.trueLabel][row.label] += 1;
  const perClass = Object.fromEntries(
    LABELS.map((label) => {
      const tp = confusion[label][label];
      const support = LABELS.reduce((s, p) => s + confusion[label][p], 0);
      const predicted = LABELS.reduce((s, t) => s + confusion[t][label], 0);
      const precision = ratio(tp, predicted);
      const recall = ratio(tp, support);
      return [label, { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support }];
    }),
  ) as Record<Label, ClassMetrics>;
  const correct = LABELS.reduce((s, l) => s + confusion[l][l], 0);
  return {
    n: rows.length,
    accuracy: ratio(correct, rows.length),
    perClass,
    confusion,
    ece: expectedCalibrationError(rows, eceBins),
    eceBins,
  };
}
