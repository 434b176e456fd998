/**
 * The bot list is declared once, in data/crawler-user-agents.tsv: the module the transform bundles is regenerated
 * from it here and must match byte for byte, as must the data file re-rendered from itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILE, MODULE_FILE, categoryOf, parseBotList, renderDataFile } from '../../../tools/bot-list';
import { runGeneratorCheck } from '../../helpers/generator-check';

const root = join(__dirname, '../../..');
const dataText = readFileSync(join(root, DATA_FILE), 'utf8');
const list = parseBotList(dataText, DATA_FILE);

describe('the bot list data', () => {
  it('holds the 1,500 patterns of the copy it names, with where and when it was taken and its MIT notice', () => {
    expect(list.entries).toHaveLength(1500);
    expect(list.origin).toMatch(/^crawler-user-agents 1\.60\.0 /);
    expect(list.taken).toBe('2026-11-27');
    expect(dataText).toContain('# Copyright (c) 2017 Martin Monperrus');
    expect(dataText).toContain('# The above copyright notice and this permission notice shall be included in all');
  });

  it('is what the generator writes from it', () => {
    expect(renderDataFile(list)).toBe(dataText);
  });

  it(`is what ${MODULE_FILE} holds, byte for byte, as npm run generate:bot-list writes it`, () => {
    const run = runGeneratorCheck('tools/generate-bot-list.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('categoryOf', () => {
  it.each([
    [{ pattern: 'GPTBot', tags: ['ai-crawler'] }, 'ai_crawler'],
    [{ pattern: 'ChatGPT-User', tags: ['ai-crawler'] }, 'ai_assistant'],
    [{ pattern: 'OAI-SearchBot', tags: ['ai-crawler', 'search-engine'] }, 'ai_crawler'],
    [{ pattern: 'Googlebot\\/', tags: ['search-engine'] }, 'search_crawler'],
    [{ pattern: 'SpiderLing', tags: ['academic'] }, 'other'],
  ])('files %j under %s', (entry, category) => {
    expect(categoryOf(entry)).toBe(category);
  });
});

describe('parseBotList', () => {
  it("reads the package's JSON, keeping patterns and tags", () => {
    const json = JSON.stringify([{ pattern: 'Googlebot\\/', url: 'https://example.com', instances: ['x'], tags: ['search-engine'] }]);
    expect(parseBotList(json, 'list.json')).toEqual({
      entries: [{ pattern: 'Googlebot\\/', tags: ['search-engine'] }],
      origin: undefined,
      taken: undefined,
    });
  });

  it.each([
    ['[{"pattern":"x","tags":["robots"]}]', /list: entry 0: the pattern 'x' has tags 'robots'; .*TAG_CATEGORIES/],
    ['[{"pattern":"(x","tags":["seo"]}]', /list: entry 0: the pattern '\(x' is not a JavaScript regular expression/],
    ['[{"pattern":"x","tags":["seo"]},{"pattern":"x","tags":["seo"]}]', /list: the pattern 'x' is listed twice/],
    ['[{"tags":["seo"]}]', /list: entry 0 has no string 'pattern'/],
    ['[]', /list: the list has no entries/],
    ['pattern,tags\nx\tseo\n', /list:1: the header is 'pattern,tags'/],
    ['pattern\ttags\nx\n', /list:2: 1 fields; expected 2/],
  ])('refuses %j', (text, message) => {
    expect(() => parseBotList(text, 'list')).toThrow(message);
  });

  it('refuses to write a data file without its provenance', () => {
    const entries = [{ pattern: 'x', tags: ['seo'] }];
    expect(() => renderDataFile({ entries, origin: undefined, taken: '2026-11-27' })).toThrow(/pass --origin/);
    expect(() => renderDataFile({ entries, origin: 'x', taken: '27/11/2026' })).toThrow(/expected yyyy-mm-dd/);
  });
});
