/**
 * Cold-start proxy: each function bundled as the stack bundles it (same esbuild settings), its size, and the
 * time a fresh Node process takes to load it and build its clients, minus a bare `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { BUNDLING } from '../stacks/function-bundling';

export interface ColdStart {
  readonly name: string;
  readonly bundleBytes: number;
  /** Median milliseconds to require the bundle (module-scope init included) beyond a bare Node start. */
  readonly initMs: number;
}

const ROOT = resolve(__dirname, '..');
const FUNCTIONS: Array<{ name: string; entry: string; env: Record<string, string> }> = [
  {
    name: 'session-processor',
    entry: 'functions/session-processor/index.ts',
    env: { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' },
  },
  { name: 'firehose-transform', entry: 'functions/firehose-transform/index.ts', env: {} },
];

function bundle(entry: string, outdir: string, name: string): string {
  const outfile = join(outdir, `${name}.js`);
  buildSync({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: 'cjs',
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    external: [...(BUNDLING.externalModules ?? [])],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

function timeNode(args: string[], env: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    // The Lambda runtime provides the AWS SDK; here it comes from this project's node_modules.
    env: {
      ...process.env,
      ...env,
      NODE_PATH: join(ROOT, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.slice(0, 400)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export function measureColdStarts(runs = 12): ColdStart[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  return FUNCTIONS.map((f) => {
    const file = bundle(f.entry, dir, f.name);
    const bare: number[] = [];
    const loaded: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      bare.push(timeNode(['-e', '0'], f.env));
      loaded.push(timeNode(['-e', `require(${JSON.stringify(file)})`], f.env));
    }
    return { name: f.name, bundleBytes: statSync(file).size, initMs: Math.round((medianOf(loaded) - medianOf(bare)) * 10) / 10 };
  });
}
