/** Firehose's buffers: the rows of each partition (rendered prefix) waiting to be written as one object. */

/** One partition's rows, and when its first row arrived. */
export interface PartitionBuffer {
  readonly prefix: string;
  readonly rows: Buffer[];
  bytes: number;
  readonly openedAt: number;
}

export class PartitionBuffers {
  private readonly byPrefix = new Map<string, PartitionBuffer>();

  /** Adds a row to its partition's buffer, opening the buffer at `now` when there is none. */
  add(prefix: string, row: Buffer, now: number): void {
    let buffer = this.byPrefix.get(prefix);
    if (!buffer) {
      buffer = { prefix, rows: [], bytes: 0, openedAt: now };
      this.byPrefix.set(prefix, buffer);
    }
    buffer.rows.push(row);
    buffer.bytes += row.length;
  }

  /** Every open buffer, oldest partition first. */
  all(): PartitionBuffer[] {
    return [...this.byPrefix.values()];
  }

  /** Rows in all buffers. */
  get rowCount(): number {
    let n = 0;
    for (const b of this.byPrefix.values()) n += b.rows.length;
    return n;
  }

  /** Takes a buffer out to write it; rows added meanwhile open a new one. */
  take(buffer: PartitionBuffer): void {
    if (this.byPrefix.get(buffer.prefix) === buffer) this.byPrefix.delete(buffer.prefix);
  }

  /** Puts back the rows of a buffer whose write failed, before any added since. */
  putBack(buffer: PartitionBuffer): void {
    const current = this.byPrefix.get(buffer.prefix);
    if (current) {
      current.rows.unshift(...buffer.rows);
      current.bytes += buffer.bytes;
    } else this.byPrefix.set(buffer.prefix, buffer);
  }
}
