/**
 * Pipeline health from `/api/health`: records refused by reason, duplicates and late events, archive objects, and
 * the newest event on each path with how long ago it was.
 */
import { API_PATHS } from '../../api';
import type { HealthResponse } from '../../api';
import { barTable } from '../bar-table';
import { getJson, rangeParams } from '../client';
import { el } from '../dom';
import { formatAgo, formatCount, formatTime } from '../format';
import { loadPanel, panelFrame } from '../panel';
import type { Panel } from '../panel';

const COUNTS = [
  { key: 'refused', label: 'Refused records' },
  { key: 'duplicates', label: 'Duplicates dropped' },
  { key: 'late', label: 'Late events' },
  { key: 'archiveObjects', label: 'Archive objects' },
] as const;

const NEWEST = [
  { key: 'newestSessionEvent', label: 'Newest event, sessions path' },
  { key: 'newestArchiveEvent', label: 'Newest event, archive path' },
] as const;

/** `2026-11-27 16:05 (3 minutes ago)`, or what to do when there is none. */
export function newestText(iso: string | null, nowMs: number): string {
  if (iso === null) return 'none yet';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${formatTime(ms)} (${formatAgo(ms, nowMs)})` : iso;
}

export function healthPanel(): Panel {
  const frame = panelFrame('health', 'Pipeline health');
  frame.note.textContent = 'Refused, duplicate and late records in the range’s windows; archive objects for its days.';

  const render = (answer: HealthResponse): void => {
    const now = Date.now();
    const reasons = Object.entries(answer.refusedByReason)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    frame.body.replaceChildren(
      el(
        'div',
        { class: 'tiles small' },
        ...COUNTS.map(({ key, label }) =>
          el(
            'div',
            { class: 'tile', id: `health-${key}`, 'data-testid': `health-${key}`, 'data-value': answer[key] },
            el('span', { class: 'tile-label' }, label),
            el('output', { class: 'tile-value' }, formatCount(answer[key])),
          ),
        ),
      ),
      el(
        'dl',
        { class: 'newest' },
        ...NEWEST.flatMap(({ key, label }) => [
          el('dt', {}, label),
          el(
            'dd',
            { id: `health-${key}`, 'data-testid': `health-${key}`, 'data-value': String(answer[key]) },
            newestText(answer[key], now),
          ),
        ]),
      ),
      barTable(
        'table-refused',
        'Refused by reason',
        [
          { head: 'Reason', cell: (row) => row.reason },
          { head: 'Records', cell: (row) => formatCount(row.count), numeric: true },
        ],
        reasons,
        (row) => row.count,
      ),
    );
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<HealthResponse>(API_PATHS.health, rangeParams(range), signal),
        empty: () => undefined,
        render,
      }),
  };
}
