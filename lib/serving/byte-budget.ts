/**
 * @file A count of bytes against a fixed capacity: the request bodies the API
 * holds in memory at once. Each request is bounded on its own (413), and so
 * is the number of requests admitted (INFERENCE_MAX_IN_FLIGHT), but their
 * product is not: 256 places times a 200 MB body each is more memory than a
 * server has. Framework-free; one instance per process.
 */
export class ByteBudget {
  private taken = 0;

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.taken;
  }

  /** Takes `bytes` if they fit in what is left; otherwise takes nothing and says so. */
  tryTake(bytes: number): boolean {
    if (this.taken + bytes > this.capacity) return false;
    this.taken += bytes;
    return true;
  }

  give(bytes: number): void {
    this.taken = Math.max(0, this.taken - bytes);
  }
}
