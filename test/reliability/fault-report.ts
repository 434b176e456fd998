/**
 * `npm run test:reliability` prints this: for each fault kind, a run of the standard workload with the
 * fault injected, beside a fault-free run of the same input: records in, records accounted for on both
 * paths, whether sessions, metrics and the de-duplicated archive are equal, and the retries seen.
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from '../../local/runtime/report';
import { FAULT_KINDS, expectedArchive, onlyInErrorOutput, runWith, writeInput } from '../helpers/fault-runs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-'));
  const input = writeInput(dir, 20_000, 1000);
  const clean = await runWith(dir, input.path, 'clean');
  const rows: Array<Array<string | number>> = [];
  let failures = 0;
  for (const [name, spec] of FAULT_KINDS) {
    const f = await runWith(dir, input.path, name, spec);
    const s = f.summary;
    const kept = onlyInErrorOutput(clean, f).size;
    const archiveEqual = isDeepStrictEqual(f.archive, expectedArchive(clean, f)) && f.archive.length + kept === clean.archive.length;
    const equal =
      isDeepStrictEqual(f.sessions, clean.sessions) &&
      isDeepStrictEqual(f.metrics, clean.metrics) &&
      f.refused === clean.refused &&
      archiveEqual;
    const balanced = s.session_path_balanced && s.archive_path_balanced;
    if (!equal || !balanced) failures += 1;
    const x = s.faults!;
    rows.push([
      name,
      s.records_in,
      s.valid + s.refused,
      s.archived + s.processing_failed + s.dropped,
      equal ? 'yes' : 'NO',
      x.session_retries,
      x.function_errors,
      x.transform_invocation_failures,
      kept,
      x.ddbErrors + x.ddbLostResponses + x.crashes + x.duplicateDeliveries + x.transformFailures,
    ]);
  }
  process.stdout.write(`Faults, 20,000 records (seed 11), each run beside a fault-free run of the same input\n`);
  process.stdout.write(
    `${table(['fault', 'in', 'session path', 'archive path', 'equal', 'batch retries', 'fn errors', 'transform fails', 'to error output', 'injected'], rows)}\n`,
  );
  process.stdout.write(
    '  equal: sessions, metrics and the de-duplicated archive match the fault-free run; records whose transform\n  failed four times in a row are kept whole in the error output (to be replayed) and counted there.\n',
  );
  process.stdout.write(
    failures === 0 ? 'every run accounted for every record and matched the fault-free run\n' : `${failures} run(s) did not\n`,
  );
  rmSync(dir, { recursive: true, force: true });
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
