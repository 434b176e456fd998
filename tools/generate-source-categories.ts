/**
 * `npm run generate:source-categories -- <list.csv> --origin "<where it came from>" [--taken yyyy-mm-dd]`: reads
 * Google's list of sources and categories (the CSV downloaded from "[GA4] Default channel group") and writes
 * the data file (`data/ga4-source-categories.csv`, with its provenance) and the module the transform bundles.
 * Without a file it reads the data file itself, so the module can be rewritten from it; `--check` writes
 * nothing and fails when either file differs from what would be written.
 */
import { runListGenerator, runMain } from './generated-files';
import { DATA_FILE, MODULE_FILE, parseSourceList, renderDataFile, renderModuleSource } from './source-categories';

if (require.main === module) {
  runMain(() =>
    runListGenerator({
      command: 'npm run generate:source-categories',
      dataFile: DATA_FILE,
      moduleFile: MODULE_FILE,
      parse: parseSourceList,
      withProvenance: (list, origin, taken) => ({ rows: list.rows, origin, taken }),
      renderDataFile,
      renderModuleSource,
      count: (list) => `(${list.rows.length} sources)`,
    }),
  );
}
