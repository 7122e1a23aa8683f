// src/fuse/queue.ts: runs board jobs one at a time, so concurrent FUSE requests never interleave
// on the single raw-REPL link.

/** A FIFO of async jobs; each starts only after the previous one settled. */
export class BoardQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Run `job` after every job queued before it; resolves or rejects with the job's result. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job, job);
    // The chain must survive a failed job: the next one waits for settlement, not success.
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
