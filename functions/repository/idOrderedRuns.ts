/**
 * A k-way merge of id-ordered runs (the shards of the list index, or the index partitions of
 * several ORed lookup values) into one id-ordered stream without duplicates. Each run is read
 * page by page, only as far as the stream is consumed: a page of `n` costs about `n` items read
 * plus a small overhang per run, whatever the depth, because a walk resumes after an id.
 */
export interface RunPage<T> {
  readonly items: readonly T[];
  readonly ended: boolean;
}

/** Reads up to `limit` items of one run with an id after `afterId`. */
export type RunReader<T> = (afterId: string | undefined, limit: number) => Promise<RunPage<T>>;

interface Run<T> {
  readonly read: RunReader<T>;
  buffer: T[];
  /** The last id read from the run (where its next page starts). */
  last: string | undefined;
  ended: boolean;
}

const MAX_PAGE = 1000;

export class IdOrderedRuns<T> {
  private readonly runs: Run<T>[];
  /** Items read from the runs so far. */
  itemsRead = 0;

  constructor(
    readers: readonly RunReader<T>[],
    private readonly idOf: (item: T) => string,
    after: string | undefined,
  ) {
    this.runs = readers.map((read) => ({ read, buffer: [], last: after, ended: false }));
  }

  /**
   * How many items to ask each run for, when about `wanted` more are needed from `active` runs:
   * its share and a margin for uneven shares (one run alone: exactly what is needed, plus one to
   * know whether it goes on).
   */
  private pageSize(wanted: number, active: number): number {
    if (active === 1) return Math.min(MAX_PAGE, wanted + 1);
    const share = wanted / active;
    return Math.min(MAX_PAGE, Math.ceil(share + Math.sqrt(share)) + 1);
  }

  private async fill(wanted: number): Promise<void> {
    const empty = this.runs.filter((run) => run.buffer.length === 0 && !run.ended);
    if (empty.length === 0) return;
    const active = this.runs.filter((run) => !run.ended).length;
    const size = this.pageSize(Math.max(1, wanted), active);
    await Promise.all(
      empty.map(async (run) => {
        const page = await run.read(run.last, size);
        this.itemsRead += page.items.length;
        run.buffer.push(...page.items);
        const last = page.items.at(-1);
        if (last !== undefined) run.last = this.idOf(last);
        run.ended = page.ended || page.items.length === 0;
      }),
    );
  }

  /** The next item in id order, or undefined at the end; `wanted`: about how many more will be taken. */
  async next(wanted = 1): Promise<T | undefined> {
    const head = await this.peek(wanted);
    if (head === undefined) return undefined;
    const id = this.idOf(head);
    for (const run of this.runs) {
      // The same id in several runs (a customer holding two ORed values) is one item.
      if (run.buffer.length > 0 && this.idOf(run.buffer[0] as T) === id) run.buffer.shift();
    }
    return head;
  }

  /**
   * Skips `skip` items, then takes up to `count`, in id order; `onItem` sees each one read (a
   * budget or a deadline may throw). `consumed`: items skipped and taken.
   */
  async skipAndTake(skip: number, count: number, onItem?: () => void): Promise<{ taken: T[]; consumed: number }> {
    const taken: T[] = [];
    let consumed = 0;
    for (; consumed < skip + count; consumed++) {
      const item = await this.next(skip + count - consumed);
      if (item === undefined) break;
      onItem?.();
      if (consumed >= skip) taken.push(item);
    }
    return { taken, consumed };
  }

  /**
   * Everything still buffered, or (when nothing is) the next page of `size` from every run that
   * goes on; empty at the end. Not in id order: for counting what follows a page.
   */
  async takeAll(size: number): Promise<T[]> {
    let taken = this.runs.flatMap((run) => run.buffer.splice(0));
    if (taken.length === 0) {
      await this.fill(size * this.runs.filter((run) => !run.ended).length);
      taken = this.runs.flatMap((run) => run.buffer.splice(0));
    }
    // The same id in several runs (a customer holding two ORed values) is one item.
    const seen = new Set<string>();
    return taken.filter((item) => !seen.has(this.idOf(item)) && seen.add(this.idOf(item)) !== undefined);
  }

  /** The next item without taking it. */
  async peek(wanted = 1): Promise<T | undefined> {
    await this.fill(wanted);
    let head: T | undefined;
    for (const run of this.runs) {
      const first = run.buffer[0];
      if (first !== undefined && (head === undefined || this.idOf(first) < this.idOf(head))) head = first;
    }
    return head;
  }
}
