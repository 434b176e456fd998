/**
 * The lint rule that keeps imports one way: planted imports linted through ESLint's Node API, in a child
 * process (jest's module sandbox cannot load the ES-module config).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Lints each `[path, code]` as if it were that file and returns the one-way-imports messages of each. */
const LINT_EACH = `
import { ESLint } from 'eslint';
const cases = JSON.parse(await new Response(process.stdin).text());
// The project's config, only this rule, without type information (which this rule does not need).
const eslint = new ESLint({
  ruleFilter: ({ ruleId }) => ruleId === 'clickstream/one-way-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});
const out = [];
for (const [filePath, code] of cases) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.filter((m) => m.ruleId === 'clickstream/one-way-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

const PLANTED: ReadonlyArray<readonly [string, string]> = [
  ['bench/compute.ts', "export { MemoryStore } from '../test/helpers/memory-store';\n"],
  ['local/commands/cost.ts', "import { measureCompute } from '../../bench/compute';\nexport const measure = measureCompute;\n"],
  ['stacks/config.ts', "export { LOCAL_NAMES } from '../local/pipeline';\n"],
  ['functions/shared/text.ts', "export { loadConfig } from '../session-processor/config';\n"],
  ['functions/firehose-transform/to-row.ts', "export { sessionize } from '../session-processor/sessionize';\n"],
  ['bench/run.ts', "export { run } from '../local/commands/run';\n"],
  ['local/runtime/pipeline.ts', "export { unpackRecord } from '../../functions/shared/kinesis-records';\n"],
  ['test/unit/planted.test.ts', "export { run } from '../../bench/run';\n"],
  ['tracker/src/event-types.ts', "export { EVENT_TYPES } from '../../functions/shared/event-contract';\n"],
  ['tracker/src/queue.ts', "export { MAX_EVENTS_PER_REQUEST } from '../../collector/protocol';\n"],
];

let messages: string[][];

beforeAll(() => {
  const input = JSON.stringify(PLANTED.map(([path, code]) => [join(root, path), code]));
  const lint = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_EACH], { cwd: root, input, encoding: 'utf8' });
  if (lint.status !== 0) throw new Error(`eslint failed: ${lint.stderr}`);
  messages = JSON.parse(lint.stdout) as string[][];
});

describe('one-way imports', () => {
  it('refuses an import of test/ from a tool', () => {
    expect(messages[0]).toEqual([expect.stringMatching(/^bench\/ may not import test\/ \('\.\.\/test\/helpers\/memory-store'\)/)]);
  });

  it('refuses an import of the benchmark from the product', () => {
    expect(messages[1]).toEqual([expect.stringMatching(/^local\/ may not import bench\//)]);
  });

  it('refuses an import that would close a cycle between folders', () => {
    expect(messages[2]).toEqual([expect.stringMatching(/^stacks\/ may not import local\//)]);
    expect(messages[3]).toEqual([
      expect.stringMatching(/^functions\/shared\/ may not import functions\/session-processor\/ .*imports nothing outside itself/),
    ]);
  });

  it('refuses an import of one function from the other', () => {
    expect(messages[4]).toEqual([expect.stringMatching(/^functions\/firehose-transform\/ may not import functions\/session-processor\//)]);
  });

  it('lets tools import the product, the product import the shared contract, and tests import anything', () => {
    expect(messages.slice(5, 8)).toEqual([[], [], []]);
  });

  it('keeps the browser tracker to the collector protocol: its bundle holds no contract code', () => {
    expect(messages[8]).toEqual([expect.stringMatching(/^tracker\/ may not import functions\/shared\/ .*imports collector/)]);
    expect(messages[9]).toEqual([]);
  });
});
