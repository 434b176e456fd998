/**
 * Google's source list is declared once, in data/ga4-source-categories.csv: the module the transform bundles is
 * regenerated from it here and must match byte for byte, as must the data file re-rendered from itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceCategory } from '../../../functions/shared/traffic/source-category';
import { DATA_FILE, MODULE_FILE, parseSourceList, renderDataFile } from '../../../tools/source-categories';
import { runGeneratorCheck } from '../../helpers/generator-check';

const root = join(__dirname, '../../..');
const dataText = readFileSync(join(root, DATA_FILE), 'utf8');
const list = parseSourceList(dataText, DATA_FILE);

describe('the source categories data', () => {
  it('holds the 819 rows of the copy it names, with where and when it was taken', () => {
    expect(list.rows).toHaveLength(819);
    expect(list.origin).toMatch(/^Velir\/dbt-ga4 .*145a280a907b54cfabcba2beac0b45c5388638f9/);
    expect(list.taken).toBe('2026-11-27');
    expect(dataText).toContain('https://support.google.com/analytics/answer/9756891');
  });

  it('is what the generator writes from it', () => {
    expect(renderDataFile(list)).toBe(dataText);
  });

  it(`is what ${MODULE_FILE} holds, byte for byte, as npm run generate:source-categories writes it`, () => {
    const run = runGeneratorCheck('tools/generate-source-categories.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('gives every row its category, capitalised sources in lower case', () => {
    for (const row of list.rows) expect([row.source, sourceCategory(row.source.toLowerCase())]).toEqual([row.source, row.category]);
    expect(sourceCategory('google shopping')).toBe('SOURCE_CATEGORY_SHOPPING');
    expect(sourceCategory('Google Shopping')).toBeUndefined();
  });
});

describe('parseSourceList', () => {
  it("reads Google's download: either header, CRLF, a byte-order mark, quoted fields", () => {
    const text = '\uFEFFsource,source_category\r\n"Google Shopping",SOURCE_CATEGORY_SHOPPING\r\nbing,SOURCE_CATEGORY_SEARCH\r\n';
    expect(parseSourceList(text, 'list.csv')).toEqual({
      rows: [
        { source: 'Google Shopping', category: 'SOURCE_CATEGORY_SHOPPING' },
        { source: 'bing', category: 'SOURCE_CATEGORY_SEARCH' },
      ],
      origin: undefined,
      taken: undefined,
    });
    expect(parseSourceList('Source,Category\nbing,SOURCE_CATEGORY_SEARCH\n', 'list.csv').rows).toHaveLength(1);
  });

  it.each([
    ['src,cat\nbing,SOURCE_CATEGORY_SEARCH\n', /list\.csv:1: the header is 'src,cat'; expected 'source,category'/],
    ['source,category\nbing,SOURCE_CATEGORY_AI\n', /list\.csv:2: the category of 'bing' is 'SOURCE_CATEGORY_AI'; .*teach them/],
    ['source,category\nbing,SOURCE_CATEGORY_SEARCH\nBing,SOURCE_CATEGORY_SEARCH\n', /list\.csv:3: 'Bing' is already on line 2/],
    ['source,category\nbing\n', /list\.csv:2: 1 fields; expected 2/],
    ['source,category\n', /list\.csv: the list has no rows/],
    ['source,category\n"a,b",SOURCE_CATEGORY_SEARCH\n', /list\.csv:2: the source 'a,b' holds a quote or a comma/],
  ])('refuses %j', (text, message) => {
    expect(() => parseSourceList(text, 'list.csv')).toThrow(message);
  });

  it('refuses to write a data file without its provenance', () => {
    const rows = parseSourceList('source,category\nbing,SOURCE_CATEGORY_SEARCH\n', 'list.csv').rows;
    expect(() => renderDataFile({ rows, origin: undefined, taken: '2026-11-27' })).toThrow(/pass --origin/);
    expect(() => renderDataFile({ rows, origin: 'x', taken: '27/11/2026' })).toThrow(/expected yyyy-mm-dd/);
  });
});
