/**
 * `npm run generate:bot-list -- <crawler-user-agents.json> --origin "<package and version>" [--taken yyyy-mm-dd]`:
 * reads crawler-user-agents' list (the JSON file of its npm package) and writes the data file
 * (`data/crawler-user-agents.tsv`, with its provenance and licence) and the module the transform bundles.
 * Without a file it reads the data file itself, so the module can be rewritten from it; `--check` writes
 * nothing and fails when either file differs from what would be written.
 */
import { DATA_FILE, MODULE_FILE, parseBotList, renderDataFile, renderModuleSource } from './bot-list';
import { runListGenerator, runMain } from './generated-files';

if (require.main === module) {
  runMain(() =>
    runListGenerator({
      command: 'npm run generate:bot-list',
      dataFile: DATA_FILE,
      moduleFile: MODULE_FILE,
      parse: parseBotList,
      withProvenance: (list, origin, taken) => ({ entries: list.entries, origin, taken }),
      renderDataFile,
      renderModuleSource,
      count: (list) => `(${list.entries.length} patterns)`,
    }),
  );
}
