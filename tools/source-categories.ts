/**
 * Google's list of sources and categories for GA4's default channel group: read from the CSV Google publishes
 * (or from the project's copy of it), written back as the project's data file with its provenance, and as the
 * TypeScript module the transform bundles (a CSV beside a Lambda's code is not bundled by esbuild).
 */
import { DAY, provenanceLines, readProvenance } from './data-provenance';

/** The categories the channel rules read. Another one in a new download is refused until the rules know it. */
export const SOURCE_CATEGORIES = [
  'SOURCE_CATEGORY_SEARCH',
  'SOURCE_CATEGORY_SHOPPING',
  'SOURCE_CATEGORY_SOCIAL',
  'SOURCE_CATEGORY_VIDEO',
] as const;
export type SourceCategoryName = (typeof SOURCE_CATEGORIES)[number];

export const DATA_FILE = 'data/ga4-source-categories.csv';
export const MODULE_FILE = 'functions/shared/traffic/source-categories.generated.ts';
export const GOOGLE_PAGE = 'https://support.google.com/analytics/answer/9756891';

export interface SourceRow {
  /** As Google writes it (a few entries are capitalised: `Google Shopping`, `IGShopping`). */
  readonly source: string;
  readonly category: SourceCategoryName;
}

export interface SourceList {
  readonly rows: readonly SourceRow[];
  /** Where this copy of the list was taken from, as the data file's header says (absent in Google's download). */
  readonly origin: string | undefined;
  /** The day it was taken, `yyyy-mm-dd`. */
  readonly taken: string | undefined;
}

/** The list in a file that cannot be read as Google's CSV; the message names the line and what was expected. */
export class SourceListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceListError';
  }
}

const HEADERS = new Set(['source,category', 'source,source_category']);

/** Reads the CSV: a `source,category` (or `source,source_category`) header, then one row per source. */
export function parseSourceList(text: string, file: string): SourceList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: SourceRow[] = [];
  const seen = new Map<string, number>();
  const provenance: { origin?: string; taken?: string } = {};
  let header = false;
  lines.forEach((raw, index) => {
    const at = `${file}:${index + 1}`;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      readProvenance(line, provenance);
      return;
    }
    const fields = splitRow(line, at);
    if (!header) {
      if (!HEADERS.has(fields.join(',').toLowerCase())) {
        throw new SourceListError(`${at}: the header is '${line}'; expected 'source,category' or 'source,source_category'`);
      }
      header = true;
      return;
    }
    const [source = '', category = ''] = fields;
    if (source === '') throw new SourceListError(`${at}: the source is empty`);
    if (/[",\n]/.test(source))
      throw new SourceListError(`${at}: the source '${source}' holds a quote or a comma, which the data file does not quote`);
    if (!(SOURCE_CATEGORIES as readonly string[]).includes(category)) {
      throw new SourceListError(
        `${at}: the category of '${source}' is '${category}'; the channel rules know ${SOURCE_CATEGORIES.join(', ')}: teach them the new one first (functions/shared/traffic/channel-group.ts)`,
      );
    }
    const key = source.toLowerCase();
    const before = seen.get(key);
    if (before !== undefined)
      throw new SourceListError(`${at}: '${source}' is already on line ${before} (sources are compared in lower case)`);
    seen.set(key, index + 1);
    rows.push({ source, category: category as SourceCategoryName });
  });
  if (!header) throw new SourceListError(`${file}: no header line; expected 'source,category' or 'source,source_category'`);
  if (rows.length === 0) throw new SourceListError(`${file}: the list has no rows`);
  const { origin, taken } = provenance;
  if (taken !== undefined && !DAY.test(taken)) throw new SourceListError(`${file}: '# Taken: ${taken}' is not a date yyyy-mm-dd`);
  return { rows, origin, taken };
}

/** The two fields of a row; a field may be quoted, with `""` for a quote inside it. */
function splitRow(line: string, at: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new SourceListError(`${at}: a quoted field has no closing quote`);
        value += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value.trim());
      if (i < line.length && line[i] !== ',') throw new SourceListError(`${at}: text after a quoted field`);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  if (fields.length !== 2) throw new SourceListError(`${at}: ${fields.length} fields; expected 2 (source,category)`);
  return fields;
}

/** The data file: its provenance in `#` lines, then Google's rows in Google's order. */
export function renderDataFile(list: SourceList): string {
  if (list.origin === undefined || list.origin.trim() === '') {
    throw new SourceListError('where the list was taken from is not known: pass --origin "<where it came from>"');
  }
  if (list.taken === undefined || !DAY.test(list.taken)) throw new SourceListError(`the day taken is '${list.taken}'; expected yyyy-mm-dd`);
  const header = [
    "# GA4's default channel group: Google's list of sources and the category of each (the rules' \"list of",
    '# search / shopping / social / video sites"). Published with "[GA4] Default channel group",',
    `# ${GOOGLE_PAGE} ("Download the list of sources and categories").`,
    "# The list is Google's; it carries no licence of its own.",
    ...provenanceLines(list.origin, list.taken),
    `# Rows: ${list.rows.length}`,
    `# Do not edit: npm run generate:source-categories -- <downloaded list.csv> --origin "<where it came from>"`,
    `# rewrites this file and ${MODULE_FILE}.`,
    'source,category',
  ];
  return `${[...header, ...list.rows.map((r) => `${r.source},${r.category}`)].join('\n')}\n`;
}

/** Longest line of sources in the module, so that each fits Prettier's width once indented and quoted. */
const LINE_CHARS = 120;

/**
 * The module the transform imports: each category's sources in lower case (the classifier compares lower-case
 * sources), comma-separated, a few per line. Its text still has to go through Prettier (the generator does that).
 */
export function renderModuleSource(list: SourceList): string {
  const entries = SOURCE_CATEGORIES.map((category) => {
    const lines: string[] = [];
    let line = '';
    for (const row of list.rows) {
      if (row.category !== category) continue;
      const source = row.source.toLowerCase();
      if (line !== '' && line.length + 1 + source.length > LINE_CHARS) {
        lines.push(line);
        line = '';
      }
      line = line === '' ? source : `${line},${source}`;
    }
    if (line !== '') lines.push(line);
    return `  ${category}: [${lines.map((l) => `'${l}'`).join(', ')}],`;
  });
  return [
    '/**',
    ` * Generated by \`npm run generate:source-categories\` (tools/generate-source-categories.ts) from`,
    ` * ${DATA_FILE} (Google's list of sources and categories, taken ${list.taken ?? '?'}): do not edit.`,
    ' * Sources are in lower case, as the classifier compares them; source-category.ts maps them once, at load.',
    ' */',
    '',
    "/** Each category's sources, comma-separated. */",
    'export const SOURCE_CATEGORY_LISTS = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}
