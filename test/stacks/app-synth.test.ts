/** The real app, bundled by esbuild, checked by cdk-nag at synth and by cfn-lint where it is installed. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../../stacks/build-app';
import { MAX_BUNDLE_KB } from '../../stacks/function-bundling';
import { GEO_DATA_PATH } from '../../functions/firehose-transform/enrich/geo';
import { GEO_DATA_DIR, GEO_FILES, GEO_META_FILE } from '../../functions/shared/geo-data-format';
import { CDK_CONTEXT } from '../helpers/stack';

const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
let assembly: CloudAssembly;

beforeAll(() => {
  const app = new App({ context: CDK_CONTEXT, outdir });
  buildApp(app);
  assembly = app.synth();
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const hasCfnLint = spawnSync('cfn-lint', ['--version']).status === 0;

describe('the CDK app', () => {
  it('passes the cdk-nag AWS Solutions checks with every accepted finding acknowledged with a reason', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations: Array<{ reason: string }>;
      }>;
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    expect(nag.violations).toEqual([]);
    expect(nag.conclusion).toBe('success');
    for (const s of nag.suppressedViolations) expect(s.reason.length).toBeGreaterThan(40);
  });

  it('synthesizes without warnings', () => {
    const messages = assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level !== SynthesisMessageLevel.INFO);
    expect(messages.map((m) => m.entry.data)).toEqual([]);
  });

  it(`bundles each function minified, under ${MAX_BUNDLE_KB} KB`, () => {
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.js')));
    expect(bundles).toHaveLength(2);
    for (const b of bundles) {
      const code = readFileSync(join(outdir, b, 'index.js'), 'utf8');
      expect(code.length).toBeLessThan(MAX_BUNDLE_KB * 1024);
      // Minified: long lines, no indentation left.
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(existsSync(join(outdir, b, 'index.js.map'))).toBe(true);
    }
  });

  it('bundles the AWS SDK clients the functions use, and no arktype: each runs the checks generated from the contract', () => {
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.js.map')));
    expect(bundles).toHaveLength(2);
    const sources = bundles.map(
      (b) => (JSON.parse(readFileSync(join(outdir, b, 'index.js.map'), 'utf8')) as { sources: string[] }).sources,
    );
    // The session-processor's DynamoDB client; both functions' Secrets Manager client (USER_ID_MODE hash).
    expect(sources.filter((s) => s.some((f) => f.includes('node_modules/@aws-sdk/client-dynamodb/')))).toHaveLength(1);
    for (const [i, s] of sources.entries()) {
      expect(s.some((f) => f.includes('node_modules/@aws-sdk/client-secrets-manager/'))).toBe(true);
      // Nothing is left to the runtime's SDK but the CRT signer, which the SDK tries only for SigV4a, when installed.
      expect(readFileSync(join(outdir, bundles[i]!, 'index.js'), 'utf8')).not.toMatch(/require\("@aws-sdk\/(?!signature-v4-crt")/);
      expect(s.filter((f) => /node_modules\/(arktype|@ark)\/|event-contract\.schema/.test(f))).toEqual([]);
      expect(s.filter((f) => f.endsWith('functions/shared/event-contract.validator.ts'))).toHaveLength(1);
    }
  });

  it("ships the offline IP database and its licence files beside the transform's bundle, and not the session-processor's", () => {
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.js.map')));
    const isTransform = (b: string): boolean =>
      (JSON.parse(readFileSync(join(outdir, b, 'index.js.map'), 'utf8')) as { sources: string[] }).sources.some((f) =>
        f.endsWith('functions/firehose-transform/index.ts'),
      );
    const transform = bundles.filter(isTransform);
    const sessionProcessor = bundles.filter((b) => !isTransform(b));
    expect(transform).toHaveLength(1);
    expect(sessionProcessor).toHaveLength(1);
    const shipped = readdirSync(join(outdir, transform[0]!, GEO_DATA_DIR)).sort();
    expect(shipped).toEqual(readdirSync(GEO_DATA_PATH).sort());
    expect(shipped).toEqual(expect.arrayContaining([GEO_META_FILE, GEO_FILES.country, GEO_FILES.asn, 'dbip-country-DBIP-LICENSE']));
    for (const file of shipped)
      expect(readFileSync(join(outdir, transform[0]!, GEO_DATA_DIR, file)).equals(readFileSync(join(GEO_DATA_PATH, file)))).toBe(true);
    expect(existsSync(join(outdir, sessionProcessor[0]!, GEO_DATA_DIR))).toBe(false);
  });

  (hasCfnLint ? it : it.skip)('passes cfn-lint with no errors or warnings', () => {
    const template = join(outdir, assembly.stacks[0]!.templateFile);
    expect(() => execFileSync('cfn-lint', ['-t', template], { encoding: 'utf8' })).not.toThrow();
  });
});

if (!hasCfnLint) console.log('cfn-lint is not installed here: the CloudFormation lint check was skipped');
