/**
 * @file A count against a fixed capacity, handed out in leases. The serving
 * code bounds two things with it: the images admitted at once (places in the
 * inference service, INFERENCE_MAX_IN_FLIGHT) and the bytes of request bodies
 * the API holds in memory at once (API_MAX_BODY_BYTES_IN_FLIGHT). Each
 * request is bounded on its own (413), but not the requests together: 256
 * requests with a 200 MB body each is more memory than a server has.
 * Framework-free.
 */

/** One request's share: what it took, given back at once by `release()`. */
export interface CapacityLease {
  /** What this lease holds now. */
  readonly held: number;
  /** Takes `amount` (a whole number ≥ 0) more if it fits in what is left; otherwise, or once released, takes nothing and says so. */
  take(amount: number): boolean;
  /** Gives back everything this lease took; idempotent, so a `finally` may always call it. */
  release(): void;
}

export class Capacity {
  private taken = 0;

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.taken;
  }

  /** Whether `amount` would fit now (a hint: nothing is taken, so it may not fit a moment later). */
  fits(amount: number): boolean {
    return this.taken + amount <= this.limit;
  }

  /** A lease that keeps its own tally, so a caller cannot give back more or less than it took. */
  lease(): CapacityLease {
    let held = 0;
    let released = false;
    return {
      get held() {
        return held;
      },
      take: (amount) => {
        if (released || !Number.isSafeInteger(amount) || amount < 0 || !this.fits(amount)) return false;
        this.taken += amount;
        held += amount;
        return true;
      },
      release: () => {
        this.taken -= held;
        held = 0;
        released = true;
      },
    };
  }

  /** A lease holding `amount` already, or null (nothing taken) when it does not fit. */
  tryLease(amount: number): CapacityLease | null {
    const lease = this.lease();
    return lease.take(amount) ? lease : null;
  }
}
