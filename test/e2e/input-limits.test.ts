/** `clickstream run --input` with lines too large for Kinesis: refused before the stream, kept, counted. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../local/commands/run';
import { syntheticWorkload } from '../../local/workload/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'input-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clickstream run on oversized lines', () => {
  it('refuses a line over 1 MiB and one over 5 MiB with record_too_large, keeps them and counts them in the report', async () => {
    const lines = syntheticWorkload({ users: 10, events: 100, seed: 9, nowMs: Date.now() }).records.map((r) => r.data.toString('utf8'));
    const over1 = `{"userId":"u","pad":"${'x'.repeat(1100 * 1024)}"}`;
    const over5 = 'y'.repeat(6 * 1024 * 1024);
    lines.splice(10, 0, over1);
    lines.splice(50, 0, over5);
    const input = join(dir, 'input.ndjson');
    writeFileSync(input, `\ufeff${lines.join('\n')}\n`);
    const summaryJson = join(dir, 'summary.json');
    const dataDir = join(dir, 'data');
    const s = await run({ input, users: 1, events: 1, seed: 1, dataDir, fresh: true, quiet: true, summaryJson });

    expect(s).toMatchObject({
      lines_in: 102,
      refused_before_stream: 2,
      refused_before_stream_by_reason: { record_too_large: 2 },
      input_balanced: true,
      records_in: 100,
    });
    expect(s.valid + s.refused).toBe(100);
    expect(s.session_path_balanced && s.archive_path_balanced).toBe(true);
    expect(JSON.parse(readFileSync(summaryJson, 'utf8'))).toMatchObject({
      lines_in: 102,
      refused_before_stream: 2,
      refused_dir: s.refused_dir,
    });
    expect(readFileSync(join(s.refused_dir!, 'line-000000011.record'), 'utf8')).toBe(over1);
    expect(readFileSync(join(s.refused_dir!, 'line-000000051.record'), 'utf8')).toBe(over5);
  }, 60_000);
});
