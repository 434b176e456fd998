/** Per-shard checkpoints of one consumer, persisted as a JSON file in the data directory. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class CheckpointFile {
  private readonly positions: Record<string, string>;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.positions = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      this.positions = {};
    }
  }

  /** The last sequence number this consumer finished with on the shard. */
  get(shardId: string): string | undefined {
    return this.positions[shardId];
  }

  /** Records progress; written through a rename so that a kill leaves the old or the new file, never half. */
  set(shardId: string, sequenceNumber: string): void {
    this.positions[shardId] = sequenceNumber;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.positions));
    renameSync(tmp, this.file);
  }
}
