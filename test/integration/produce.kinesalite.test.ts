/** `clickstream produce` on kinesalite: lines too large for a Kinesis record are refused and kept, never hung on. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kinesisClient } from '../../local/runtime/aws-clients';
import { produce } from '../../local/commands/produce';
import { countRecords, ensureStream } from '../../local/aws/stream';
import { useKinesalite } from '../helpers/kinesalite';

const kinesalite = useKinesalite('produce-');

const event = (userId: string) =>
  JSON.stringify({ userId, eventType: 'page_view', timestamp: 1_700_000_000_000, url: 'https://shop.example/' });

describe('clickstream produce', () => {
  it.each([false, true])(
    'refuses lines over 1 MiB and over 5 MiB with record_too_large, keeps them and puts the rest (aggregate %s)',
    async (aggregate) => {
      const client = kinesisClient(kinesalite.emulator().endpoint);
      const stream = await ensureStream(client, `produce-${String(aggregate)}`, 2);
      const input = join(kinesalite.dir(), `input-${String(aggregate)}.ndjson`);
      writeFileSync(input, [event('a'), 'x'.repeat(1100 * 1024), event('b'), 'y'.repeat(6 * 1024 * 1024), event('c')].join('\n'));
      const refusedDir = join(kinesalite.dir(), `refused-${String(aggregate)}`);
      const result = await produce(
        { stream: stream.name, endpoint: kinesalite.emulator().endpoint, input, users: 1, events: 1, seed: 1, aggregate, refusedDir },
        () => undefined,
      );
      expect(result).toMatchObject({ lines: 5, records: 3, refused: 2 });
      const [run] = readdirSync(refusedDir);
      const index = readFileSync(join(refusedDir, run!, 'refused.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { line: number; reason: string; bytes: number });
      expect(index.map(({ line, reason, bytes }) => ({ line, reason, bytes }))).toEqual([
        { line: 2, reason: 'record_too_large', bytes: 1100 * 1024 },
        { line: 4, reason: 'record_too_large', bytes: 6 * 1024 * 1024 },
      ]);
      expect(await countRecords(client, stream)).toBe(aggregate ? result.kinesisRecords : 3);
      client.destroy();
    },
  );
});
