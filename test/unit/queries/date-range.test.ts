import { bindDateRange, loadNamedQueries, parameterPositions, TABLE_PLACEHOLDER } from '../../../queries';

describe('the shipped queries', () => {
  it.each(loadNamedQueries().map((q) => [q.name, q.sql]))('%s reads the table once, with two date parameters', (_name, sql) => {
    expect(sql.split(TABLE_PLACEHOLDER)).toHaveLength(2);
    expect(parameterPositions(sql)).toHaveLength(2);
    expect(bindDateRange(sql, { from: '2026-11-01', to: '2026-11-07' })).toContain(
      "e.dt BETWEEN CAST('2026-11-01' AS DATE) AND CAST('2026-11-07' AS DATE)",
    );
  });
});

describe('bindDateRange', () => {
  it('binds only the parameters, not a ? inside a comment, a string or a quoted name', () => {
    const sql = "-- why?\nSELECT '?' AS \"a?\" /* ? */ FROM t WHERE dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND x = 'it''s?'";
    expect(bindDateRange(sql, { from: '2026-01-01', to: '2026-01-02' })).toBe(
      "-- why?\nSELECT '?' AS \"a?\" /* ? */ FROM t WHERE dt BETWEEN CAST('2026-01-01' AS DATE) AND CAST('2026-01-02' AS DATE) AND x = 'it''s?'",
    );
  });

  it('leaves a query without parameters as it is and refuses any other count', () => {
    expect(bindDateRange('SELECT 1', { from: '2026-01-01', to: '2026-01-02' })).toBe('SELECT 1');
    expect(() => bindDateRange('SELECT ?', { from: '2026-01-01', to: '2026-01-02' })).toThrow(
      /no parameters or exactly two .* this one has 1/,
    );
  });

  it('refuses a value that is not a date, so nothing but a date reaches the SQL', () => {
    expect(() => bindDateRange('SELECT ?, ?', { from: "2026-01-01' OR '1'='1", to: '2026-01-02' })).toThrow(
      /--from must be a date yyyy-MM-dd/,
    );
  });
});
