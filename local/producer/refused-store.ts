/**
 * Input lines refused before the stream (too large for a Kinesis record), kept whole: each line's exact
 * bytes in `<dir>/<run>/line-<n>.record`, and one JSON line per refusal in `<dir>/<run>/refused.ndjson`
 * with its line number, reason, message, size, SHA-256 and file. The folder is created at the first refusal.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReasonCode } from '../../functions/shared/reasons';

export interface RefusedLine {
  readonly line: number;
  readonly reason: ReasonCode;
  readonly message: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly file: string;
}

/** A refused line being written; `end` records it in the index. */
export interface RefusedLineWriter {
  write(chunk: Uint8Array): Promise<void>;
  end(reason: ReasonCode, message: (bytes: number) => string): Promise<RefusedLine>;
}

export class RefusedStore {
  readonly dir: string;
  private readonly counts: Record<string, number> = {};
  private total = 0;

  /** `root` holds one folder per run, named after the run's start. */
  constructor(root: string, runName = `${new Date().toISOString().replace(/[:.]/g, '-')}-pid${process.pid}`) {
    this.dir = join(root, runName);
  }

  get refused(): number {
    return this.total;
  }

  get byReason(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  /** Starts keeping input line `line`. */
  async begin(line: number): Promise<RefusedLineWriter> {
    mkdirSync(this.dir, { recursive: true });
    const name = `line-${String(line).padStart(9, '0')}.record`;
    const file = join(this.dir, name);
    const handle: FileHandle = await open(file, 'w');
    const hash: Hash = createHash('sha256');
    let bytes = 0;
    return {
      write: async (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
        await handle.write(chunk);
      },
      end: async (reason, message) => {
        await handle.close();
        const entry: RefusedLine = { line, reason, message: message(bytes), bytes, sha256: hash.digest('hex'), file: name };
        appendFileSync(join(this.dir, 'refused.ndjson'), `${JSON.stringify(entry)}\n`);
        this.counts[reason] = (this.counts[reason] ?? 0) + 1;
        this.total += 1;
        return entry;
      },
    };
  }
}
