/**
 * Cold-start proxy: each function bundled as the stack bundles it (same esbuild settings), its size, and the
 * time a fresh Node process takes to load it and build its clients, minus a bare `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { BUNDLING, FUNCTION_NODE_OPTIONS, TRANSFORM_ASSET_FOLDERS } from '../stacks/function-bundling';

export interface ColdStart {
  readonly name: string;
  readonly bundleBytes: number;
  /** Median milliseconds to require the bundle (module-scope init included) beyond a bare Node start. */
  readonly initMs: number;
}

/** Something to bundle and load: a module of the repository, or a few lines of source importing one. */
export interface LoadProbe {
  readonly name: string;
  /** A path relative to the repository root, or `source` (resolved from the root). */
  readonly entry?: string;
  readonly source?: string;
  /** Environment the module's init reads. */
  readonly env?: Record<string, string>;
  /**
   * Packages left out of the bundle and loaded from `node_modules` at run time, as Lambda's runtime would
   * load its own copy of the AWS SDK; default: the stack's setting.
   */
  readonly external?: readonly string[];
  /** package.json fields esbuild resolves packages by; default: the stack's setting. */
  readonly mainFields?: readonly string[];
  /** Node options, as the stack's NODE_OPTIONS sets them. */
  readonly nodeArgs?: readonly string[];
  /** Folders the stack copies beside the bundle (its `assetFolders`), copied beside the probe's the same way. */
  readonly assetFolders?: readonly string[];
}

const ROOT = resolve(__dirname, '..');
const FUNCTIONS: LoadProbe[] = [
  {
    name: 'session-processor',
    entry: 'functions/session-processor/index.ts',
    env: { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' },
    nodeArgs: FUNCTION_NODE_OPTIONS,
  },
  {
    name: 'firehose-transform',
    entry: 'functions/firehose-transform/index.ts',
    nodeArgs: FUNCTION_NODE_OPTIONS,
    assetFolders: TRANSFORM_ASSET_FOLDERS,
  },
];

/** Bundles a probe with the stack's esbuild settings into `outdir`; returns the file. */
export function bundleProbe(probe: LoadProbe, outdir: string, file: string): string {
  const outfile = join(outdir, `${file}.js`);
  buildSync({
    ...(probe.entry
      ? { entryPoints: [join(ROOT, probe.entry)] }
      : { stdin: { contents: probe.source ?? '', resolveDir: ROOT, loader: 'ts', sourcefile: `${file}.ts` } }),
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: 'cjs',
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent ?? true,
    ...((probe.mainFields ?? BUNDLING.mainFields) ? { mainFields: [...(probe.mainFields ?? BUNDLING.mainFields ?? [])] } : {}),
    external: [...(probe.external ?? BUNDLING.externalModules ?? [])],
    outfile,
    logLevel: 'silent',
  });
  for (const folder of probe.assetFolders ?? []) cpSync(folder, join(outdir, basename(folder)), { recursive: true });
  return outfile;
}

function timeNode(args: string[], env: Record<string, string>, external: boolean): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    env: {
      ...process.env,
      ...env,
      // What is left out of a bundle comes from this project's node_modules, as the runtime's own SDK would.
      ...(external ? { NODE_PATH: join(ROOT, 'node_modules') } : {}),
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

/**
 * Bundles each probe, then times `runs` rounds in which every probe's `require` follows a bare `node -e 0`
 * of its own: a change in the machine's load falls on both of a pair, and on every probe alike.
 */
export function measureLoads(probes: readonly LoadProbe[], runs = 12): ColdStart[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const files = probes.map((p, i) => bundleProbe(p, dir, `probe-${i}`));
  const bare: number[][] = probes.map(() => []);
  const loaded: number[][] = probes.map(() => []);
  for (let i = 0; i < runs; i += 1) {
    probes.forEach((p, j) => {
      const external = (p.external ?? BUNDLING.externalModules ?? []).length > 0;
      bare[j]!.push(timeNode([...(p.nodeArgs ?? []), '-e', '0'], p.env ?? {}, external));
      loaded[j]!.push(timeNode([...(p.nodeArgs ?? []), '-e', `require(${JSON.stringify(files[j])})`], p.env ?? {}, external));
    });
  }
  return probes.map((p, j) => ({
    name: p.name,
    bundleBytes: statSync(files[j]!).size,
    initMs: Math.round((medianOf(loaded[j]!) - medianOf(bare[j]!)) * 10) / 10,
  }));
}

/** Both functions, bundled as the stack bundles them. */
export function measureColdStarts(runs = 12): ColdStart[] {
  return measureLoads(FUNCTIONS, runs);
}
