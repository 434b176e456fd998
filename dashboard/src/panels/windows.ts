/**
 * Events per 5-minute window, one line per event type, and active users per window, from `/api/windows`. Every
 * window of the range is on the x axis: the API leaves out windows without events, which are drawn as zero.
 */
import { API_PATHS } from '../../api';
import type { WindowsResponse } from '../../api';
import { getJson, rangeParams } from '../client';
import { el } from '../dom';
import { loadPanel, NO_EVENTS, panelFrame } from '../panel';
import type { Panel } from '../panel';
import { WINDOW_MS } from '../range';
import type { ResolvedRange } from '../range';
import { TimeChart } from '../time-chart';

/** The window starts of [from, to) in epoch ms, with any the server gave that fall between them. */
export function windowStarts(range: Pick<ResolvedRange, 'from' | 'to'>, given: readonly number[]): number[] {
  const starts = new Set(given);
  for (let t = Math.floor(range.from / WINDOW_MS) * WINDOW_MS; t < range.to; t += WINDOW_MS) starts.add(t);
  return [...starts].sort((a, b) => a - b);
}

export function windowsPanel(): Panel {
  const frame = panelFrame('windows', 'Activity per 5 minutes', { wide: true });
  frame.note.textContent = 'Valid events by type, and active users, in each 5-minute window (local time).';
  const eventsBox = el('div', { class: 'chart', id: 'chart-events', 'data-testid': 'chart-events' });
  const usersBox = el('div', { class: 'chart', id: 'chart-users', 'data-testid': 'chart-users' });
  frame.body.append(
    el(
      'div',
      { class: 'charts' },
      el('figure', {}, el('figcaption', {}, 'Events by type'), eventsBox),
      el('figure', {}, el('figcaption', {}, 'Active users'), usersBox),
    ),
  );
  let events: TimeChart | undefined;
  let users: TimeChart | undefined;

  const render = (answer: WindowsResponse, range: ResolvedRange): void => {
    const byStart = new Map(answer.windows.map((w) => [Date.parse(w.start), w]));
    const starts = windowStarts(range, [...byStart.keys()]);
    const xs = starts.map((ms) => ms / 1000);
    events ??= new TimeChart(eventsBox);
    users ??= new TimeChart(usersBox);
    events.update(
      xs,
      answer.eventTypes.map((type) => ({ label: type, values: starts.map((ms) => byStart.get(ms)?.eventsByType[type] ?? 0) })),
    );
    users.update(xs, [{ label: 'active users', values: starts.map((ms) => byStart.get(ms)?.activeUsers ?? 0), fill: true }]);
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<WindowsResponse>(API_PATHS.windows, rangeParams(range), signal),
        empty: (answer) => (answer.windows.length === 0 ? NO_EVENTS : undefined),
        render: (answer) => render(answer, range),
      }),
  };
}
