/**
 * `npm run generate:bot-list -- <crawler-user-agents.json> --origin "<package and version>" [--taken yyyy-mm-dd]`:
 * reads crawler-user-agents' list (the JSON file of its npm package) and writes the data file
 * (`data/crawler-user-agents.tsv`, with its provenance and licence) and the module the transform bundles.
 * Without a file it reads the data file itself, so the module can be rewritten from it; `--check` writes
 * nothing and fails when either file differs from what would be written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { BotListError, DATA_FILE, MODULE_FILE, parseBotList, renderDataFile, renderModuleSource } from './bot-list';
import type { BotList } from './bot-list';

const ROOT = resolve(__dirname, '..');

/** The module's text as committed: the rendered source through the repository's Prettier settings. */
async function renderModule(list: BotList): Promise<string> {
  const path = join(ROOT, MODULE_FILE);
  const options = await resolveConfig(path);
  return format(renderModuleSource(list), { ...options, filepath: path });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { origin: { type: 'string' }, taken: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new BotListError(`one list file at most; got ${positionals.length}: ${positionals.join(' ')}`);
  const input = positionals[0] ?? join(ROOT, DATA_FILE);
  const read = parseBotList(readFileSync(input, 'utf8'), input);
  const list: BotList = {
    entries: read.entries,
    origin: values.origin ?? read.origin,
    taken: values.taken ?? read.taken ?? new Date().toISOString().slice(0, 10),
  };
  const outputs: ReadonlyArray<readonly [string, string]> = [
    [DATA_FILE, renderDataFile(list)],
    [MODULE_FILE, await renderModule(list)],
  ];
  let stale = 0;
  for (const [name, text] of outputs) {
    const path = join(ROOT, name);
    if (!values.check) {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${name} (${list.entries.length} patterns)\n`);
      continue;
    }
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // A missing file differs like any other.
    }
    if (current === text) {
      process.stdout.write(`${name} is up to date\n`);
    } else {
      process.stderr.write(`${name} is not what the list generates: run npm run generate:bot-list and commit the result\n`);
      stale++;
    }
  }
  if (stale > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
