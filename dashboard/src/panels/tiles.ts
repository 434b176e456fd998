/** The headline tiles from `/api/summary`: each tile's `data-value` holds the raw figure, its text the formatted one. */
import { API_PATHS } from '../../api';
import type { SummaryResponse } from '../../api';
import { getJson, rangeParams } from '../client';
import { el, setText } from '../dom';
import { formatCount, formatDuration, formatMoney, formatPercent } from '../format';
import { loadPanel, NO_EVENTS, panelFrame } from '../panel';
import type { Panel } from '../panel';

type Figure = Exclude<keyof SummaryResponse, 'range'>;

/** The tiles in order; each is `#tile-<key>` with the summary field's own name. */
export const TILES: readonly { readonly key: Figure; readonly label: string; readonly format: (value: number | null) => string }[] = [
  { key: 'events', label: 'Events', format: formatCount },
  { key: 'sessions', label: 'Sessions', format: formatCount },
  { key: 'activeUsers', label: 'Active users', format: formatCount },
  { key: 'conversions', label: 'Conversions', format: formatCount },
  { key: 'revenue', label: 'Revenue', format: formatMoney },
  { key: 'conversionRate', label: 'Conversion rate', format: formatPercent },
  { key: 'medianSessionSeconds', label: 'Median session length', format: formatDuration },
  { key: 'bounceRate', label: 'Bounce rate', format: formatPercent },
];

export function tilesPanel(): Panel {
  const frame = panelFrame('tiles', 'Overview', { wide: true });
  frame.note.textContent = 'Sessions that started in the range; events in its 5-minute windows.';
  const values = new Map<Figure, { tile: HTMLElement; value: HTMLElement }>();
  const grid = el('div', { class: 'tiles' });
  for (const { key, label } of TILES) {
    const value = el('output', { class: 'tile-value' });
    const tile = el(
      'div',
      { class: 'tile', id: `tile-${key}`, 'data-testid': `tile-${key}`, 'data-key': key },
      el('span', { class: 'tile-label' }, label),
      value,
    );
    values.set(key, { tile, value });
    grid.append(tile);
  }
  frame.body.append(grid);

  const render = (summary: SummaryResponse): void => {
    for (const { key, format } of TILES) {
      const { tile, value } = values.get(key)!;
      tile.dataset.value = String(summary[key]);
      setText(value, format(summary[key]));
    }
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<SummaryResponse>(API_PATHS.summary, rangeParams(range), signal),
        empty: (summary) => (summary.events === 0 && summary.sessions === 0 ? NO_EVENTS : undefined),
        render,
      }),
  };
}
