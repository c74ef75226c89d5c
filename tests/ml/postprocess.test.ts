import { softmax, toPredictions } from '~/lib/ml/postprocess';

describe('softmax', () => {
  it('turns logits into probabilities that sum to one, in order', () => {
    const p = softmax([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    expect(p[2]! > p[1]! && p[1]! > p[0]!).toBe(true);
  });

  it('does not overflow on large logits', () => {
    const p = softmax([1000, 1000, 999]);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(p[1]!, 12);
  });
});

describe('toPredictions', () => {
  it('splits a batch of logits into one labelled prediction per row', () => {
    const logits = new Float32Array([5, 0, 0, 0, 0, 5, 0, 3, 1]);
    const predictions = toPredictions(logits, ['cat', 'dog', 'neither']);
    expect(predictions.map((p) => p.label)).toEqual(['cat', 'neither', 'dog']);
    const [first] = predictions;
    expect(first!.confidence).toBeCloseTo(first!.probabilities.cat, 12);
    expect(first!.probabilities.cat + first!.probabilities.dog + first!.probabilities.neither).toBeCloseTo(1, 6);
  });

  it('rejects a logits length that is not a whole number of rows', () => {
    expect(() => toPredictions(new Float32Array(4), ['cat', 'dog', 'neither'])).toThrow(RangeError);
  });
});
