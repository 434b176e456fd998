/**
 * `npm run test:reliability` runs this: `clickstream run --input` on a generated NDJSON file of 200 MB
 * (LARGE_INPUT_MB to change it), in a child process whose peak resident memory is sampled from /proc.
 * Prints records/s and peak RSS; exits 1 when the peak passes a fixed bound far below what reading the file
 * whole costs, or when conservation does not hold. Linux only (it reads /proc); elsewhere it says so and skips.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { syntheticWorkload } from '../../local/workload/synthetic';

const ROOT = resolve(__dirname, '../..');
const TARGET_MB = Number(process.env.LARGE_INPUT_MB ?? 200);
/**
 * The run's V8 heap is capped (`--max-old-space-size`), so that the check is about what the runtime keeps,
 * not about how lazily V8 collects: with 24 GB of memory, V8 lets an uncapped heap grow to several hundred MB
 * of garbage (a 100 MB input peaked at 725 MB uncapped, 533 MB capped). A runtime that kept anything per
 * record would run out of heap on this input and exit non-zero.
 */
const HEAP_CAP_MB = Number(process.env.LARGE_INPUT_HEAP_MB ?? 256);
/**
 * The runtime's own working set, whatever the file's size: the heap above, Firehose's 60-second buffers (about
 * 110 MB of enriched rows at 2,000 records/s, kept outside the heap), two LevelDB emulators and Node itself.
 * Reading a 200 MB file whole peaked at 1,248 MB measured this way (1.88 GB in the report that found it).
 */
const RSS_BOUND_MB = Number(process.env.LARGE_INPUT_RSS_BOUND_MB ?? 768);

/** Writes synthetic records in chunks of 10,000 until the file reaches the target size. */
async function writeInput(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let lines = 0;
  for (let seed = 1; written < bytes; seed += 1) {
    const { records } = syntheticWorkload({ users: 2000, events: 10_000, seed, nowMs: Date.now() });
    for (const r of records) {
      if (written >= bytes) break;
      const line = `${r.data.toString('utf8')}\n`;
      written += Buffer.byteLength(line);
      lines += 1;
      if (!out.write(line)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

/** Resident memory of a process from /proc, in MiB: the peak (VmHWM), and now the anonymous and file-backed parts. */
function memoryMb(pid: number): { hwm: number; anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
    return { hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  if (!existsSync('/proc/self/status')) {
    process.stdout.write('large input: skipped, /proc is not available on this system\n');
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'large-input-'));
  try {
    const input = join(dir, 'input.ndjson');
    const lines = await writeInput(input, TARGET_MB * 1024 * 1024);
    const sizeMb = statSync(input).size / 1024 / 1024;
    const summaryPath = join(dir, 'summary.json');
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_CAP_MB}`,
        join(ROOT, 'local/clickstream.cjs'),
        'run',
        '--input',
        input,
        '--data-dir',
        join(dir, 'data'),
        '--fresh',
        '--summary-json',
        summaryPath,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const peak = { hwm: 0, anon: 0, file: 0 };
    const sampler = setInterval(() => {
      const m = memoryMb(child.pid!);
      if (m) for (const k of ['hwm', 'anon', 'file'] as const) peak[k] = Math.max(peak[k], m[k]);
    }, 200);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    if (code !== 0) {
      process.stdout.write(`large input: clickstream run exited with ${code}\n`);
      return 1;
    }
    const s = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
      records_in: number;
      events_per_second: number;
      session_path_balanced: boolean;
      archive_path_balanced: boolean;
    };
    const balanced = s.session_path_balanced && s.archive_path_balanced;
    process.stdout.write(
      `large input: ${sizeMb.toFixed(0)} MB, ${lines} lines; records in ${s.records_in}; ${s.events_per_second} records/s from first put to drained, ${Math.round(lines / seconds)} lines/s overall (${seconds.toFixed(0)} s); heap capped at ${HEAP_CAP_MB} MB; peak RSS ${peak.hwm.toFixed(0)} MB, of which at most ${peak.anon.toFixed(0)} MB anonymous (bound ${RSS_BOUND_MB} MB) and ${peak.file.toFixed(0)} MB file-backed (the emulators' files, mapped); conservation ${balanced ? 'holds' : 'DOES NOT HOLD'}\n`,
    );
    return peak.anon <= RSS_BOUND_MB && balanced ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`large input: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
