/** Progress for a person: a bar redrawn in place on a terminal, a plain line every few seconds otherwise. */
export class Progress {
  private lastPlain = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly intervalMs = 2000,
  ) {
    this.tty = out.isTTY === true;
  }

  /** Shows `label` at `done` of `total`. */
  update(label: string, done: number, total: number): void {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(share * width);
      this.out.write(
        `\r  ${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}  `,
      );
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= this.intervalMs || done >= total) {
      this.lastPlain = now;
      this.out.write(`  ${label}: ${done}/${total} (${Math.round(share * 100)}%)\n`);
    }
  }

  /** Ends the current bar with a newline. */
  finish(): void {
    if (this.tty) this.out.write('\n');
  }

  /** A line of its own. */
  line(text: string): void {
    this.out.write(`${text}\n`);
  }
}

/** An output that drops everything: the report of a command run quietly (tests). */
export function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
