/**
 * `npm run generate:geo [-- --check]`: reads the IP data packages installed as devDependencies
 * (`@ip-location-db/dbip-country`, `@ip-location-db/asn`) and writes the transform's offline IP database into
 * `functions/firehose-transform/enrich/geo-data/`: the binary range tables, their metadata and the packages'
 * licence files. The output depends on the installed packages only, so `--check` compares it byte for byte.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GEO_META_FILE } from '../functions/shared/geo-data-format';
import { ASN_PACKAGE, COMMAND, COUNTRY_PACKAGE, OUTPUT_DIR, buildGeoData } from './geo-db';
import type { PackageInput, PackageSpec } from './geo-db';
import { formatted, runMain, writeOrCheck } from './generated-files';

/** A package as installed: its version and licence from package.json, its `-num` CSV files and licence files. */
function readPackage(spec: PackageSpec, csvPrefix: string): PackageInput {
  const dir = dirname(require.resolve(`${spec.name}/package.json`));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license: string };
  return {
    spec,
    version: manifest.version,
    license: manifest.license,
    ipv4Csv: readFileSync(join(dir, `${csvPrefix}-ipv4-num.csv`), 'utf8'),
    ipv6Csv: readFileSync(join(dir, `${csvPrefix}-ipv6-num.csv`), 'utf8'),
    licenseTexts: spec.licenseFiles.map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const),
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { files, meta } = buildGeoData(readPackage(COUNTRY_PACKAGE, 'dbip-country'), readPackage(ASN_PACKAGE, 'asn'));
  const metaFile = `${OUTPUT_DIR}/${GEO_META_FILE}`;
  files.push([metaFile, await formatted(JSON.stringify(meta), metaFile)]);
  const ranges = meta.sources.map((s) => `${s.package}@${s.version}: ${s.rows.ipv4} IPv4 and ${s.rows.ipv6} IPv6 rows`);
  writeOrCheck({ files, check, from: 'the installed @ip-location-db packages', command: COMMAND });
  if (!check) process.stdout.write(`from ${ranges.join('; ')}\n`);
}

if (require.main === module) runMain(main);
