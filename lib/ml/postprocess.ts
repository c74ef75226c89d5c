/**
 * @file Logits -> what the product shows: the label, its confidence and the
 * probability of every class.
 */
import type { Label } from './model-card';

export type Probabilities = Record<Label, number>;

export interface Prediction {
  label: Label;
  /** Probability of `label`, in [0, 1]. */
  confidence: number;
  probabilities: Probabilities;
}

/** Numerically stable softmax of one row of logits. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Splits a batch x classes logits matrix into one prediction per image. */
export function toPredictions(logits: Float32Array, classes: readonly Label[]): Prediction[] {
  const k = classes.length;
  if (logits.length % k !== 0) throw new RangeError(`logits length ${logits.length} is not a multiple of ${k}`);
  const predictions: Prediction[] = [];
  for (let row = 0; row < logits.length / k; row++) {
    const probs = softmax(logits.subarray(row * k, row * k + k));
    let best = 0;
    for (let i = 1; i < k; i++) if (probs[i]! > probs[best]!) best = i;
    const probabilities = Object.fromEntries(classes.map((label, i) => [label, probs[i]!])) as Probabilities;
    predictions.push({ label: classes[best]!, confidence: probs[best]!, probabilities });
  }
  return predictions;
}
