/** A table whose rows carry an inline bar (a CSS width) for one of their figures. */
import { el } from './dom';

export interface Column<R> {
  readonly head: string;
  readonly cell: (row: R) => string;
  /** Right-aligned figures. */
  readonly numeric?: boolean;
}

/**
 * A `<table data-testid=…>` of `rows`; the last column holds a bar sized by `barOf` against the largest row, and
 * each row's `data-value` is that figure.
 */
export function barTable<R>(
  testid: string,
  caption: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  barOf: (row: R) => number,
): HTMLElement {
  const max = Math.max(1, ...rows.map(barOf));
  const head = el(
    'tr',
    {},
    ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.head)),
    el('th', {}, ''),
  );
  const body = rows.map((row) => {
    const share = Math.max(0, (barOf(row) / max) * 100);
    return el(
      'tr',
      { 'data-value': barOf(row) },
      ...columns.map((c) => el('td', { class: c.numeric ? 'num' : undefined }, c.cell(row))),
      el('td', { class: 'bar-cell', 'aria-hidden': 'true' }, el('span', { class: 'bar', style: `width:${share.toFixed(1)}%` })),
    );
  });
  const table = el(
    'table',
    { 'data-testid': testid, id: testid },
    el('caption', {}, caption),
    el('thead', {}, head),
    el(
      'tbody',
      {},
      ...(rows.length ? body : [el('tr', {}, el('td', { colspan: columns.length + 1, class: 'none' }, 'None in this range.'))]),
    ),
  );
  return el('div', { class: 'table-wrap' }, table);
}
