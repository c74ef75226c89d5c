import { computeMetrics, expectedCalibrationError, type LabeledPrediction } from '~/lib/ml/metrics';

const row = (trueLabel: LabeledPrediction['trueLabel'], label: LabeledPrediction['label'], confidence = 0.9): LabeledPrediction => ({ trueLabel, label, confidence });

describe('computeMetrics', () => {
  // 4 cats (3 right, 1 called dog), 3 dogs (all right), 3 other (2 right, 1 called cat).
  const rows = [
    row('cat', 'cat'), row('cat', 'cat'), row('cat', 'cat'), row('cat', 'dog'),
    row('dog', 'dog'), row('dog', 'dog'), row('dog', 'dog'),
    row('neither', 'neither'), row('neither', 'neither'), row('neither', 'cat'),
  ];
  const m = computeMetrics(rows);

  it('counts the confusion matrix by true then predicted label', () => {
    expect(m.confusion).toEqual({
      cat: { cat: 3, dog: 1, neither: 0 },
      dog: { cat: 0, dog: 3, neither: 0 },
      neither: { cat: 1, dog: 0, neither: 2 },
    });
    expect(m.n).toBe(10);
    expect(m.accuracy).toBeCloseTo(0.8, 12);
  });

  it('computes precision, recall, F1 and support per class', () => {
    expect(m.perClass.cat).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(m.perClass.dog.precision).toBeCloseTo(0.75, 12);
    expect(m.perClass.dog.recall).toBe(1);
    expect(m.perClass.dog.f1).toBeCloseTo((2 * 0.75) / 1.75, 12);
    expect(m.perClass.neither).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
  });

  it('gives null, not 0 or NaN, where a ratio has nothing to divide by', () => {
    // One dog called a cat: dog is present but never predicted, neither is neither.
    const m2 = computeMetrics([row('cat', 'cat'), row('dog', 'cat')]);
    expect(m2.perClass.neither).toEqual({ precision: null, recall: null, f1: null, support: 0 });
    // F1 (2TP / (support + predicted)) is defined: the dog class failed completely, F1 0.
    expect(m2.perClass.dog).toEqual({ precision: null, recall: 0, f1: 0, support: 1 });
    expect(m2.perClass.cat).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
  });

  it('gives 0 for a class that is predicted and present but never right', () => {
    const m2 = computeMetrics([row('cat', 'dog'), row('dog', 'cat')]);
    expect(m2.perClass.cat).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('gives F1 0 for a class predicted but never present', () => {
    // A cat called "neither": neither has no support, so no recall, but its one prediction was wrong.
    const m2 = computeMetrics([row('cat', 'neither'), row('dog', 'dog')]);
    expect(m2.perClass.neither).toEqual({ precision: 0, recall: null, f1: 0, support: 0 });
  });
});

describe('expectedCalibrationError', () => {
  it('is zero when confidence equals accuracy in every bin', () => {
    const rows = [row('cat', 'cat', 0.5), row('cat', 'dog', 0.5)];
    expect(expectedCalibrationError(rows, 10)).toBeCloseTo(0, 12);
  });

  it('weights each bin by its share of the rows', () => {
    // Bin [0.9, 1.0): 2 rows, confidence 0.95, accuracy 0.5 -> gap 0.45.
    // Bin [0.6, 0.7): 2 rows, confidence 0.65, accuracy 1   -> gap 0.35.
    const rows = [row('cat', 'cat', 0.95), row('cat', 'dog', 0.95), row('dog', 'dog', 0.65), row('dog', 'dog', 0.65)];
    expect(expectedCalibrationError(rows, 10)).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.35, 12);
  });
});
