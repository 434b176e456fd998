/**
 * The geo data in functions/firehose-transform/enrich/geo-data/ is generated from the installed packages: the
 * committed files must be what the generator writes, byte for byte.
 */
import { runGeneratorCheck } from '../../helpers/generator-check';

describe('the geo data', () => {
  it('is what npm run generate:geo writes from the installed @ip-location-db packages, byte for byte', () => {
    const run = runGeneratorCheck('tools/generate-geo-db.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
