/** Top, landing and exit pages from `/api/pages`, as tables with a bar per row. */
import { API_PATHS } from '../../api';
import type { PageCount, PagesResponse } from '../../api';
import { barTable } from '../bar-table';
import type { Column } from '../bar-table';
import { getJson, rangeParams } from '../client';
import { formatCount } from '../format';
import { loadPanel, NO_EVENTS, panelFrame } from '../panel';
import type { Panel } from '../panel';

const columns = (what: string): Column<PageCount>[] => [
  { head: 'Page', cell: (row) => row.page },
  { head: what, cell: (row) => formatCount(row.count), numeric: true },
];

export function pagesPanel(): Panel {
  const frame = panelFrame('pages', 'Pages', { wide: true });
  frame.note.textContent = 'Page views in the range’s windows; landing and exit pages of the sessions that started in it.';

  const render = (answer: PagesResponse): void => {
    frame.body.replaceChildren(
      barTable('table-top-pages', 'Top pages', columns('Views'), answer.top, (row) => row.count),
      barTable('table-landing-pages', 'Landing pages', columns('Sessions'), answer.landing, (row) => row.count),
      barTable('table-exit-pages', 'Exit pages', columns('Sessions'), answer.exit, (row) => row.count),
    );
  };

  frame.body.classList.add('three');
  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<PagesResponse>(API_PATHS.pages, rangeParams(range), signal),
        empty: (answer) => (answer.top.length + answer.landing.length + answer.exit.length === 0 ? NO_EVENTS : undefined),
        render,
      }),
  };
}
