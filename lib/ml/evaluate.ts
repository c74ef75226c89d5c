/**
 * @file Evaluates a classifier on labelled files: the step behind
 * `npm run evaluate`, the model-card metrics and the accuracy test.
 */
import type { Classifier } from './classifier';
import { compareCodeUnits, type LabeledFile } from './dataset';
import { ImageInputError } from './image';
import { readImageFile } from './image-file';
import { computeMetrics, type EvaluationMetrics, type LabeledPrediction } from './metrics';

export interface FileFailure {
  relativePath: string;
  reason: string;
}

export interface EvaluationResult {
  metrics: EvaluationMetrics;
  rows: (LabeledPrediction & { relativePath: string })[];
  failures: FileFailure[];
}

export interface EvaluateOptions {
  /** Files decoded at once; sharp decodes on libuv's thread pool. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  onFailure?: (failure: FileFailure) => void;
  /** Alters each file's bytes before classification (the robustness check re-encodes, shrinks, rotates). */
  alter?: (bytes: Buffer) => Promise<Buffer>;
}

/** Classifies every file; a file that cannot be read is reported and skipped, and the run goes on. */
export async function evaluateFiles(classifier: Classifier, files: readonly LabeledFile[], options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const rows: EvaluationResult['rows'] = [];
  const failures: FileFailure[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        const bytes = await readImageFile(file.path);
        const result = await classifier.classify(options.alter ? await options.alter(bytes) : bytes);
        rows.push({ relativePath: file.relativePath, trueLabel: file.trueLabel, label: result.label, confidence: result.confidence });
      } catch (error) {
        const reason = error instanceof ImageInputError || error instanceof Error ? error.message : String(error);
        const failure = { relativePath: file.relativePath, reason };
        failures.push(failure);
        options.onFailure?.(failure);
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  // In path order, not the order the concurrent reads finished in: the same run gives the same output.
  rows.sort((a, b) => compareCodeUnits(a.relativePath, b.relativePath));
  failures.sort((a, b) => compareCodeUnits(a.relativePath, b.relativePath));
  return { metrics: computeMetrics(rows), rows, failures };
}

/**
 * Groups files by their source, the first two folders of their path
 * (pets/kaggle, other/flowers, ...), so each kind of photo gets its own
 * figures. Folders only, never the file name: with `--data photos` laid out
 * as photos/cats/*.jpg the source is "cats", and a file directly in the root
 * is in ".".
 */
export function groupBySource<T extends { relativePath: string }>(items: readonly T[], depth = 2): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = item.relativePath.split('/').slice(0, -1).slice(0, depth).join('/') || '.';
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => compareCodeUnits(a, b)));
}

/** The figures the model is accepted on (issue #2's "done when"). */
export interface AcceptanceFigures {
  /** Accuracy on full-resolution Kaggle Dogs vs. Cats photos (pets/kaggle). */
  kaggleAccuracy: number;
  /** Accuracy on the breed photos (pets/breeds). */
  breedsAccuracy: number;
  /** Share of non-pet photos (other/*) answered "neither". */
  nonPetsAnsweredNeither: number;
  /** Share of pet photos (pets/*) answered "neither". */
  petsAnsweredNeither: number;
}

export const ACCEPTANCE_THRESHOLDS = {
  kaggleAccuracy: { min: 0.99 },
  breedsAccuracy: { min: 0.98 },
  nonPetsAnsweredNeither: { min: 0.97 },
  petsAnsweredNeither: { max: 0.01 },
} as const satisfies Record<keyof AcceptanceFigures, { min: number } | { max: number }>;

export function acceptanceFigures(rows: readonly (LabeledPrediction & { relativePath: string })[]): AcceptanceFigures {
  const share = (subset: readonly LabeledPrediction[], test: (r: LabeledPrediction) => boolean) =>
    subset.length === 0 ? Number.NaN : subset.filter(test).length / subset.length;
  const under = (prefix: string) => rows.filter((r) => r.relativePath.startsWith(prefix));
  return {
    kaggleAccuracy: share(under('pets/kaggle/'), (r) => r.label === r.trueLabel),
    breedsAccuracy: share(under('pets/breeds/'), (r) => r.label === r.trueLabel),
    nonPetsAnsweredNeither: share(under('other/'), (r) => r.label === 'neither'),
    petsAnsweredNeither: share(under('pets/'), (r) => r.label === 'neither'),
  };
}

/** The figures that miss their threshold, as readable lines; empty when all pass. */
export function acceptanceFailures(figures: AcceptanceFigures): string[] {
  return (Object.keys(ACCEPTANCE_THRESHOLDS) as (keyof AcceptanceFigures)[]).flatMap((key) => {
    const threshold: { min?: number; max?: number } = ACCEPTANCE_THRESHOLDS[key];
    const value = figures[key];
    if (Number.isNaN(value)) return [`${key}: no images of this kind were evaluated`];
    if (threshold.min !== undefined && value < threshold.min) return [`${key} ${value.toFixed(4)} < ${threshold.min}`];
    if (threshold.max !== undefined && value > threshold.max) return [`${key} ${value.toFixed(4)} > ${threshold.max}`];
    return [];
  });
}
