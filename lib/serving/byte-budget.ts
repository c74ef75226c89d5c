/**
 * @file A count of bytes against a fixed capacity: the request bodies the API
 * holds in memory at once. Each request is bounded on its own (413), and so
 * is the number of requests admitted (INFERENCE_MAX_IN_FLIGHT), but their
 * product is not: 256 places times a 200 MB body each is more memory than a
 * server has. Framework-free; one instance per process.
 */

/** One request's share of the budget: what it took, given back at once by `release()`. */
export interface ByteLease {
  /** Takes `bytes` more if they fit in what is left; otherwise, or once released, takes nothing and says so. */
  take(bytes: number): boolean;
  /** Gives back everything this lease took; idempotent, so a `finally` may always call it. */
  release(): void;
}

export class ByteBudget {
  private taken = 0;

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.taken;
  }

  /** A lease that keeps its own tally, so a caller cannot give back more or less than it took. */
  lease(): ByteLease {
    let held = 0;
    let released = false;
    return {
      take: (bytes) => {
        if (released || this.taken + bytes > this.capacity) return false;
        this.taken += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        this.taken -= held;
        held = 0;
        released = true;
      },
    };
  }
}
