import { createHandler } from '../../../functions/firehose-transform/create-handler';
import {
  ARCHIVE_COLUMNS,
  ARCHIVE_JSON_STORAGE,
  glacierTableProperties,
  glueColumns,
  gluePartitionKeys,
  projectionProperties,
} from '../../../functions/shared/archive-schema';
import { ARCHIVE_DATA_PREFIX, ARCHIVE_ERROR_PREFIX } from '../../../functions/shared/firehose-prefixes';
import { renderPrefix } from '../../../local/aws/firehose/prefixes';
import { producerEvent } from '../../helpers/events';
import { firehoseEvent, rowOf } from '../../helpers/firehose';
import { MemoryLog } from '../../helpers/memory-store';

describe('archive schema', () => {
  it('gives the Glue table and the transform output the same columns in the same order', async () => {
    const result = await createHandler({ env: {}, logger: new MemoryLog() })(firehoseEvent([producerEvent()]));
    const outputKeys = Object.keys(rowOf(result.records[0]!.data));
    const names = ARCHIVE_COLUMNS.map((c) => c.name);
    expect(glueColumns().map((c) => c.name)).toEqual(names);
    expect(outputKeys).toEqual(names);
  });

  it("reads JSON with the Hive JSON SerDe and the rows' timestamp format, and restored Glacier objects only when asked", () => {
    expect(ARCHIVE_JSON_STORAGE).toMatchObject({
      serde: 'org.apache.hive.hcatalog.data.JsonSerDe',
      serdeParameters: { 'timestamp.formats': 'yyyy-MM-dd HH:mm:ss.SSS' },
    });
    expect(glacierTableProperties(false)).toEqual({});
    expect(glacierTableProperties(true)).toEqual({ read_restored_glacier_objects: 'true' });
  });

  it('uses snake_case names and gives every column a comment that fits Glue (at most 255 bytes)', () => {
    for (const c of ARCHIVE_COLUMNS) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(c.comment.length).toBeGreaterThan(5);
      expect(Buffer.byteLength(c.comment)).toBeLessThanOrEqual(255);
    }
  });

  it('projects dt as a date and hour as a two-digit integer, matching the Firehose data prefix', () => {
    expect(gluePartitionKeys().map((k) => [k.name, k.type])).toEqual([
      ['dt', 'date'],
      ['hour', 'int'],
    ]);
    const props = projectionProperties('s3://archive/events/');
    expect(props).toMatchObject({
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.hour.type': 'integer',
      'projection.hour.digits': '2',
    });
    const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: { dt: '2026-11-27', hour: '05' }, arrival: new Date() });
    expect(`s3://archive/${prefix}`).toBe(props['storage.location.template']!.replace('${dt}', '2026-11-27').replace('${hour}', '05'));
  });

  it('renders the error prefix with the error kind and the arrival date', () => {
    expect(renderPrefix(ARCHIVE_ERROR_PREFIX, { errorOutputType: 'processing-failed', arrival: new Date('2026-11-27T23:59:00Z') })).toBe(
      'errors/processing-failed/dt=2026-11-27/',
    );
  });
});
