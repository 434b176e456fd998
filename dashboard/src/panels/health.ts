/**
 * Pipeline health from `/api/health`: records refused by reason, duplicates and late events, archive objects, and
 * the newest event on each path with how long ago it was.
 */
import { API_PATHS } from '../../api';
import type { HealthResponse } from '../../api';
import { barTable } from '../bar-table';
import { getJson, rangeParams } from '../client';
import { el, setText } from '../dom';
import { formatAgo, formatCount, formatDays, formatTime } from '../format';
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
  // Built once and updated in place; only the table of reasons is redrawn.
  const counts = COUNTS.map(({ key, label }) => {
    const value = el('output', { class: 'tile-value' });
    return {
      key,
      value,
      tile: el(
        'div',
        { class: 'tile', id: `health-${key}`, 'data-testid': `health-${key}` },
        el('span', { class: 'tile-label' }, label),
        value,
      ),
    };
  });
  const newest = NEWEST.map(({ key, label }) => ({ key, label, value: el('dd', { id: `health-${key}`, 'data-testid': `health-${key}` }) }));
  const reasons = el('div');
  frame.body.append(
    el('div', { class: 'tiles small' }, ...counts.map(({ tile }) => tile)),
    el('dl', { class: 'newest' }, ...newest.flatMap(({ label, value }) => [el('dt', {}, label), value])),
    reasons,
  );

  const render = (answer: HealthResponse): void => {
    const now = Date.now();
    for (const { key, tile, value } of counts) {
      tile.dataset.value = String(answer[key]);
      setText(value, formatCount(answer[key]));
    }
    for (const { key, value } of newest) {
      value.dataset.value = String(answer[key]);
      setText(value, newestText(answer[key], now));
    }
    const rows = Object.entries(answer.refusedByReason)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    reasons.replaceChildren(
      barTable(
        'table-refused',
        'Refused by reason',
        [
          { head: 'Reason', cell: (row) => row.reason },
          { head: 'Records', cell: (row) => formatCount(row.count), numeric: true },
        ],
        rows,
        (row) => row.count,
      ),
    );
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<HealthResponse>(API_PATHS.health, rangeParams(range), signal),
        note: (answer) =>
          `Refused, duplicate and late records in the range’s windows; archive objects ${formatDays(answer.range.fromDate, answer.range.toDate)}.`,
        empty: () => undefined,
        render,
      }),
  };
}
