/**
 * Builds the tracker in memory with esbuild: `tracker.js` (IIFE, for a script tag) and `tracker.mjs` (ES
 * module), minified for ES2019. Writes nothing; the CLI (`npm run build:tracker`) and the local server do.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budget of each build, minified and gzipped (level 9): a tracker must cost the page next to nothing. */
export const TRACKER_GZIP_TARGET_BYTES = 2560;

/** The two builds and their minified, gzipped sizes in bytes. */
export interface TrackerBuild {
  readonly script: string;
  readonly module: string;
  readonly scriptGzipBytes: number;
  readonly moduleGzipBytes: number;
}

/** Bytes of `text` gzipped at level 9. */
export function gzipBytes(text: string): number {
  return gzipSync(text, { level: 9 }).length;
}

async function bundle(entry: string, format: 'iife' | 'esm'): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'src', entry)],
    bundle: true,
    minify: true,
    target: 'es2019',
    format,
    platform: 'browser',
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

/** Builds the script-tag and module versions of the tracker. */
export async function buildTracker(): Promise<TrackerBuild> {
  const [script, module] = await Promise.all([bundle('script.ts', 'iife'), bundle('index.ts', 'esm')]);
  return { script, module, scriptGzipBytes: gzipBytes(script), moduleGzipBytes: gzipBytes(module) };
}
