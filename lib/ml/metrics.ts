/**
 * @file Classification metrics: accuracy, per-class precision / recall / F1,
 * the confusion matrix and the expected calibration error. Pure functions of
 * (true label, prediction) pairs, shared by the evaluate CLI, the model-card
 * writer and the tests.
 */
import type { z } from 'zod';
import { classMetricsSchema, LABELS, type Label } from './model-card';

/**
 * Null where the ratio is undefined rather than 0, so a report does not say
 * "0 %" for "nothing to measure": precision when nothing was predicted as the
 * class, recall when no image has it, F1 when the class was neither present
 * nor predicted. (F1 is 0 for a class present or predicted but never right.)
 */
export type ClassMetrics = z.infer<typeof classMetricsSchema>;

/** The counts behind one class's metrics, taken from a confusion matrix. */
export interface ClassCounts {
  truePositives: number;
  /** Images (or confirmed predictions) whose true label is this class. */
  support: number;
  /** Images predicted as this class. */
  predicted: number;
}

export interface EvaluationMetrics {
  n: number;
  accuracy: number;
  perClass: Record<Label, ClassMetrics>;
  /** confusion[trueLabel][predictedLabel] = count. */
  confusion: Confusion;
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
const definedRatio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Counts by true label (rows), then predicted label. */
export type Confusion = Record<Label, Record<Label, number>>;

export function emptyConfusion(): Confusion {
  return Object.fromEntries(LABELS.map((t) => [t, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Confusion;
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

export function classCounts(confusion: Confusion, label: Label): ClassCounts {
  return {
    truePositives: confusion[label][label],
    support: LABELS.reduce((s, p) => s + confusion[label][p], 0),
    predicted: LABELS.reduce((s, t) => s + confusion[t][label], 0),
  };
}

/** Precision, recall and F1 from one class's counts; shared by the offline evaluation and the admin dashboard. */
export function classMetrics({ truePositives, support, predicted }: ClassCounts): ClassMetrics {
  const precision = definedRatio(truePositives, predicted);
  const recall = definedRatio(truePositives, support);
  // F1 = 2TP / (2TP + FP + FN) = 2TP / (support + predicted): defined as soon as the class was present or predicted.
  // A class present but never predicted (or predicted but absent) has F1 0, not null: it failed completely, and
  // "n/a" would hide that (precision or recall alone stays null, having nothing to divide by).
  const f1 = definedRatio(2 * truePositives, support + predicted);
  return { precision, recall, f1, support };
}

/** Precision, recall and F1 of every class from a confusion matrix (confusion[true][predicted]). */
export function perClassMetrics(confusion: Confusion): Record<Label, ClassMetrics> {
  return Object.fromEntries(LABELS.map((label) => [label, classMetrics(classCounts(confusion, label))])) as Record<Label, ClassMetrics>;
}

export function computeMetrics(rows: readonly LabeledPrediction[], eceBins = 15): EvaluationMetrics {
  const confusion = emptyConfusion();
  for (const row of rows) confusion[row.trueLabel][row.label] += 1;
  const perClass = perClassMetrics(confusion);
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
