import { DEPLOYED_SETTINGS, archiveLine, pipelineCost } from '../../../local/cost/cost-model';
import { PRICES } from '../../../local/cost/prices';
import { costReport } from '../../../local/commands/cost';
import { DEFAULT_CONFIG } from '../../../stacks/config';

const GB = 1024 ** 3;

describe('the cost model of the archive', () => {
  it('prices the archive in the storage class the stack deploys by default', () => {
    expect(DEPLOYED_SETTINGS.archiveStorageClass).toBe(DEFAULT_CONFIG.archiveStorageClass);
    expect(pipelineCost(300e6).lines.map((l) => l.item)).toContain('S3 archive after 90 days, to month 12 (GLACIER_IR)');
  });

  it('prices large objects in the chosen class: nine months of data, transitions, and metadata for archival classes', () => {
    const bytes = 100 * GB;
    const objects = 10_000;
    const line = (c: 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE') =>
      archiveLine(bytes, objects, 3, { ...DEPLOYED_SETTINGS, archiveStorageClass: c }).usd;
    const ir = PRICES.s3.archiveClasses.GLACIER_IR;
    expect(line('GLACIER_IR')).toBeCloseTo(((9 * bytes) / GB) * ir.gbMonth + 10 * ir.transitionPer1000, 6);
    const fr = PRICES.s3.archiveClasses.GLACIER;
    const overhead = 9 * objects;
    expect(line('GLACIER')).toBeCloseTo(
      ((9 * bytes + overhead * 32 * 1024) / GB) * fr.gbMonth +
        ((overhead * 8 * 1024) / GB) * PRICES.s3.standardGbMonth +
        10 * fr.transitionPer1000,
      6,
    );
    expect(line('DEEP_ARCHIVE')).toBeLessThan(line('GLACIER'));
    expect(line('GLACIER_IR')).toBeLessThan(((9 * bytes) / GB) * PRICES.s3.standardGbMonth);
  });

  it("keeps objects under 128 KB in Standard, as the bucket's lifecycle does", () => {
    const small = archiveLine(GB, 100_000, 3, { ...DEPLOYED_SETTINGS, archiveStorageClass: 'DEEP_ARCHIVE' });
    expect(small.item).toMatch(/objects under 128 KB: Standard/);
    expect(small.usd).toBeCloseTo(9 * PRICES.s3.standardGbMonth, 6);
  });

  it('is what clickstream cost prints for the class asked for', () => {
    expect(costReport(300e6, undefined, 'GLACIER')).toMatch(/Archive: GLACIER after 90 days/);
    expect(costReport(300e6, undefined, 'GLACIER')).toMatch(/S3 archive after 90 days, to month 12 \(GLACIER\)/);
  });
});
