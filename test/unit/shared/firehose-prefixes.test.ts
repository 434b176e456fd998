import {
  ARCHIVE_DATA_PREFIX,
  ARCHIVE_ERROR_KINDS_PREFIX,
  ARCHIVE_ERROR_PREFIX,
  archiveDataDatePrefix,
  archiveErrorDatePrefix,
} from '../../../functions/shared/firehose-prefixes';
import { renderPrefix } from '../../../local/aws/firehose/prefixes';

describe('per-date archive prefixes', () => {
  it("cover every hour of an event date's data objects, and no other date's", () => {
    expect(archiveDataDatePrefix('2026-11-27')).toBe('events/dt=2026-11-27/');
    for (const hour of ['00', '13', '23']) {
      const key = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: { dt: '2026-11-27', hour }, arrival: new Date() });
      expect(key.startsWith(archiveDataDatePrefix('2026-11-27'))).toBe(true);
      expect(key.startsWith(archiveDataDatePrefix('2026-11-28'))).toBe(false);
    }
  });

  it('cover the error objects of one kind and arrival date, in a kind folder under the error kinds prefix', () => {
    const key = renderPrefix(ARCHIVE_ERROR_PREFIX, { errorOutputType: 'partitioning-failed', arrival: new Date('2026-11-27T23:59:00Z') });
    expect(archiveErrorDatePrefix('partitioning-failed', '2026-11-27')).toBe(key);
    expect(key.startsWith(`${ARCHIVE_ERROR_KINDS_PREFIX}partitioning-failed/`)).toBe(true);
    expect(ARCHIVE_ERROR_KINDS_PREFIX).toBe('errors/');
  });
});
