/** Structured JSON log lines to a file: the local stand-in for a function's CloudWatch log group. */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export class FileLog {
  private readonly stream: WriteStream;
  lines = 0;

  constructor(
    readonly file: string,
    private readonly service: string,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.stream = createWriteStream(file, { flags: 'a' });
  }

  info(message: string, attributes: Record<string, unknown> = {}): void {
    this.write('INFO', message, attributes);
  }
  warn(message: string, attributes: Record<string, unknown> = {}): void {
    this.write('WARN', message, attributes);
  }
  error(message: string, attributes: Record<string, unknown> = {}): void {
    this.write('ERROR', message, attributes);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }

  private write(level: string, message: string, attributes: Record<string, unknown>): void {
    this.lines += 1;
    this.stream.write(`${JSON.stringify({ level, message, timestamp: new Date().toISOString(), service: this.service, ...attributes })}\n`);
  }
}
