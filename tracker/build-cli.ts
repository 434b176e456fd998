/** `npm run build:tracker`: writes dist/tracker/tracker.js and tracker.mjs and reports their sizes against the budget. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTracker, TRACKER_GZIP_TARGET_BYTES } from './build';

async function main(): Promise<void> {
  const out = join(__dirname, '..', 'dist', 'tracker');
  const built = await buildTracker();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'tracker.js'), built.script);
  writeFileSync(join(out, 'tracker.mjs'), built.module);
  let over = false;
  for (const [file, text, gzip] of [
    ['tracker.js', built.script, built.scriptGzipBytes],
    ['tracker.mjs', built.module, built.moduleGzipBytes],
  ] as const) {
    over ||= gzip > TRACKER_GZIP_TARGET_BYTES;
    const verdict = gzip > TRACKER_GZIP_TARGET_BYTES ? 'OVER' : 'within';
    console.log(
      `dist/tracker/${file}: ${text.length} bytes minified, ${gzip} gzipped (${verdict} the ${TRACKER_GZIP_TARGET_BYTES}-byte target)`,
    );
  }
  if (over) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
