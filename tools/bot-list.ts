/**
 * The named bot list: read from crawler-user-agents' JSON (or from the project's copy of it), written back as the
 * project's data file with its provenance and licence, and as the TypeScript module the transform bundles: each
 * pattern under the one category the classifier reports for it.
 */
import { BOT_CATEGORIES } from '../functions/shared/bot-categories';
import type { BotCategory } from '../functions/shared/bot-categories';
import { DAY, provenanceLines, readProvenance } from './data-provenance';

export const DATA_FILE = 'data/crawler-user-agents.tsv';
export const MODULE_FILE = 'functions/firehose-transform/enrich/bot-patterns.generated.ts';
export const UPSTREAM = 'https://github.com/monperrus/crawler-user-agents';
export const COPYRIGHT = 'Copyright (c) 2017 Martin Monperrus';

/** The list's tags, each with the category it gives, in the order a pattern with several tags is resolved. */
export const TAG_CATEGORIES: ReadonlyArray<readonly [tag: string, category: BotCategory]> = [
  ['ai-crawler', 'ai_crawler'],
  ['search-engine', 'search_crawler'],
  ['social-preview', 'social_preview'],
  ['monitoring', 'monitoring'],
  ['feed-reader', 'feed_reader'],
  ['archiver', 'archiver'],
  ['browser-automation', 'browser_automation'],
  ['http-library', 'http_library'],
  ['seo', 'seo'],
  ['advertising', 'advertising'],
  ['scanner', 'scanner'],
  ['academic', 'other'],
];

/**
 * Agents that fetch a page because a person asked an assistant to, not to crawl: the list tags them `ai-crawler`
 * like the training crawlers. A pattern that matches one of these names is filed under `ai_assistant`.
 */
export const AI_ASSISTANT_AGENTS = [
  'ChatGPT-User',
  'Claude-User',
  'Perplexity-User',
  'MistralAI-User',
  'DuckAssistBot',
  'Gemini-Deep-Research',
  'Google-NotebookLM',
  'Amzn-User',
  'Manus-User',
];

/** Patterns the module leaves out (the data file keeps the list whole), each with its reason. */
export const EXCLUDED_PATTERNS: ReadonlyMap<string, string> = new Map([
  ['AP3A\\.240617\\.008', 'an Android build id: every phone on that build matches, not only the scanner the list means'],
]);

export interface BotEntry {
  /** A JavaScript regular expression, as the list writes it (case-sensitive). */
  readonly pattern: string;
  readonly tags: readonly string[];
}

export interface BotList {
  readonly entries: readonly BotEntry[];
  /** Which copy of the list, as the data file's header says (absent in the package's JSON). */
  readonly origin: string | undefined;
  /** The day it was taken, `yyyy-mm-dd`. */
  readonly taken: string | undefined;
}

/** A list that cannot be read; the message names the entry or line and what was expected. */
export class BotListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BotListError';
  }
}

const KNOWN_TAGS = new Set(TAG_CATEGORIES.map(([tag]) => tag));
const HEADER = 'pattern\ttags';

/** Reads either the package's `crawler-user-agents.json` or the data file (tab-separated, `#` provenance lines). */
export function parseBotList(text: string, file: string): BotList {
  return text.trimStart().startsWith('[') ? parseJson(text, file) : parseDataFile(text, file);
}

function parseJson(text: string, file: string): BotList {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) throw new BotListError(`${file}: expected a JSON array of {pattern, tags}`);
  const entries = raw.map((item: unknown, index) => {
    const { pattern, tags } = (item ?? {}) as { pattern?: unknown; tags?: unknown };
    if (typeof pattern !== 'string' || !Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
      throw new BotListError(`${file}: entry ${index} has no string 'pattern' and string array 'tags'`);
    }
    return checkEntry({ pattern, tags }, `${file}: entry ${index}`);
  });
  return checked({ entries, origin: undefined, taken: undefined }, file);
}

function parseDataFile(text: string, file: string): BotList {
  const entries: BotEntry[] = [];
  const provenance: { origin?: string; taken?: string } = {};
  let header = false;
  text.split('\n').forEach((line, index) => {
    const at = `${file}:${index + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      readProvenance(line, provenance);
      return;
    }
    if (!header) {
      if (line !== HEADER) throw new BotListError(`${at}: the header is '${line}'; expected 'pattern<tab>tags'`);
      header = true;
      return;
    }
    const fields = line.split('\t');
    if (fields.length !== 2) throw new BotListError(`${at}: ${fields.length} fields; expected 2 (pattern<tab>tags)`);
    entries.push(checkEntry({ pattern: fields[0]!, tags: fields[1]!.split(',') }, at));
  });
  if (!header) throw new BotListError(`${file}: no header line; expected 'pattern<tab>tags'`);
  const { origin, taken } = provenance;
  if (taken !== undefined && !DAY.test(taken)) throw new BotListError(`${file}: '# Taken: ${taken}' is not a date yyyy-mm-dd`);
  return checked({ entries, origin, taken }, file);
}

function checkEntry(entry: BotEntry, at: string): BotEntry {
  if (entry.pattern === '' || /[\t\n\r]/.test(entry.pattern))
    throw new BotListError(`${at}: the pattern is empty or holds a tab or a line break`);
  try {
    new RegExp(entry.pattern);
  } catch (error) {
    throw new BotListError(`${at}: the pattern '${entry.pattern}' is not a JavaScript regular expression (${String(error)})`);
  }
  const unknown = entry.tags.filter((tag) => !KNOWN_TAGS.has(tag));
  if (entry.tags.length === 0 || unknown.length > 0) {
    throw new BotListError(
      `${at}: the pattern '${entry.pattern}' has tags '${entry.tags.join(',')}'; known tags are ${[...KNOWN_TAGS].join(', ')}: map a new one in TAG_CATEGORIES (tools/bot-list.ts)`,
    );
  }
  return entry;
}

function checked(list: BotList, file: string): BotList {
  if (list.entries.length === 0) throw new BotListError(`${file}: the list has no entries`);
  const seen = new Set<string>();
  for (const { pattern } of list.entries) {
    if (seen.has(pattern)) throw new BotListError(`${file}: the pattern '${pattern}' is listed twice`);
    seen.add(pattern);
  }
  return list;
}

/** The category the classifier reports for an entry: an assistant's name first, then its tags in TAG_CATEGORIES order. */
export function categoryOf(entry: BotEntry): BotCategory {
  const re = new RegExp(entry.pattern);
  if (AI_ASSISTANT_AGENTS.some((name) => re.test(name))) return 'ai_assistant';
  return TAG_CATEGORIES.find(([tag]) => entry.tags.includes(tag))![1];
}

/** The data file: provenance and licence in `#` lines, then the list's patterns and tags in the list's order. */
export function renderDataFile(list: BotList): string {
  if (list.origin === undefined || list.origin.trim() === '') {
    throw new BotListError('which copy of the list this is, is not known: pass --origin "<package and version>"');
  }
  if (list.taken === undefined || !DAY.test(list.taken)) throw new BotListError(`the day taken is '${list.taken}'; expected yyyy-mm-dd`);
  const header = [
    "# Named bots: crawler-user-agents' patterns and tags (its other fields, url, instances and description, are left out).",
    `# ${UPSTREAM}, npm package crawler-user-agents, MIT licence:`,
    '#',
    '# The MIT License (MIT)',
    '#',
    `# ${COPYRIGHT}`,
    '#',
    '# Permission is hereby granted, free of charge, to any person obtaining a copy of',
    '# this software and associated documentation files (the "Software"), to deal in',
    '# the Software without restriction, including without limitation the rights to',
    '# use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of',
    '# the Software, and to permit persons to whom the Software is furnished to do so,',
    '# subject to the following conditions:',
    '#',
    '# The above copyright notice and this permission notice shall be included in all',
    '# copies or substantial portions of the Software.',
    '#',
    '# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR',
    '# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS',
    '# FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR',
    '# COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER',
    '# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN',
    '# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
    '#',
    ...provenanceLines(list.origin, list.taken),
    `# Entries: ${list.entries.length}`,
    '# Do not edit: npm run generate:bot-list -- <crawler-user-agents.json> --origin "<package and version>"',
    `# rewrites this file and ${MODULE_FILE}.`,
    HEADER,
  ];
  return `${[...header, ...list.entries.map((e) => `${e.pattern}\t${e.tags.join(',')}`)].join('\n')}\n`;
}

/**
 * The module the transform imports: each category's patterns in the list's order, categories in BOT_CATEGORIES
 * order (the classifier's precedence). Its text still has to go through Prettier (the generator does that).
 */
export function renderModuleSource(list: BotList): string {
  const byCategory = new Map<BotCategory, string[]>();
  for (const entry of list.entries) {
    if (EXCLUDED_PATTERNS.has(entry.pattern)) continue;
    const category = categoryOf(entry);
    byCategory.set(category, [...(byCategory.get(category) ?? []), entry.pattern]);
  }
  const groups = BOT_CATEGORIES.filter((c) => byCategory.has(c)).map(
    (c) =>
      `  ${c}: [${byCategory
        .get(c)!
        .map((p) => JSON.stringify(p))
        .join(', ')}],`,
  );
  return [
    '/*!',
    ` * Bot patterns from crawler-user-agents (${UPSTREAM}), MIT licence, ${COPYRIGHT}.`,
    ` * The licence's full text is in ${DATA_FILE}.`,
    ' */',
    '/**',
    ' * Generated by `npm run generate:bot-list` (tools/generate-bot-list.ts) from',
    ` * ${DATA_FILE} (${list.origin ?? '?'}, taken ${list.taken ?? '?'}): do not edit.`,
    ` * Left out: ${[...EXCLUDED_PATTERNS].map(([p, why]) => `${p} (${why})`).join('; ')}.`,
    ' */',
    "import type { BotCategory } from '../../shared/bot-categories';",
    '',
    "/** Each category's patterns (JavaScript regular expressions, case-sensitive), in the order they are tried. */",
    'export const BOT_PATTERNS: Partial<Record<BotCategory, readonly string[]>> = {',
    ...groups,
    '};',
    '',
  ].join('\n');
}
