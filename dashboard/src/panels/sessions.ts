/**
 * Recent sessions from `/api/sessions` with their channel and journey, the matching sessions by channel (GA4's
 * last non-direct attribution, as the sessions carry it) as an SVG bar chart named and coloured as GA4's channels,
 * and a search by user id (`?user=`, debounced) that reloads this panel alone.
 */
import { API_PATHS } from '../../api';
import type { ChannelSessions, SessionRow, SessionsResponse } from '../../api';
import { barChart } from '../bar-chart';
import { channelColor, channelLabel } from '../channels';
import { getJson, rangeParams } from '../client';
import { debounce } from '../debounce';
import { el, setText } from '../dom';
import { formatCount, formatDuration, formatMoney, formatTime } from '../format';
import { loadPanel, NO_EVENTS, panelFrame } from '../panel';
import type { Panel } from '../panel';
import type { ResolvedRange } from '../range';

/** Typing pauses this long before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;

/** Pages of a journey shown before the rest is summed up. */
const JOURNEY_STEPS = 12;

/** A journey as `/a → /b → /c`, long ones cut short. */
export function journeyText(journey: readonly string[]): string {
  const shown = journey.slice(0, JOURNEY_STEPS).join(' → ');
  return journey.length > JOURNEY_STEPS ? `${shown} → … (${journey.length - JOURNEY_STEPS} more)` : shown;
}

function sessionRow(s: SessionRow): HTMLTableRowElement {
  const seconds = (Date.parse(s.last_activity_time) - Date.parse(s.start_time)) / 1000;
  return el(
    'tr',
    { 'data-user': s.user_id, 'data-session': s.session_id, 'data-converted': String(s.converted) },
    el('td', {}, el('time', { datetime: s.start_time }, formatTime(Date.parse(s.start_time)))),
    el('td', { class: 'id' }, s.user_id),
    el('td', { class: 'journey' }, journeyText(s.journey)),
    el('td', { 'data-channel': s.channel ?? '' }, s.channel === null ? '—' : channelLabel(s.channel)),
    el('td', { class: 'num' }, formatCount(s.event_count)),
    el('td', { class: 'num' }, Number.isFinite(seconds) ? formatDuration(seconds) : '—'),
    el('td', {}, s.converted ? '✓ converted' : '—'),
    el('td', { class: 'num' }, s.converted ? formatMoney(s.revenue) : '—'),
  );
}

/** The matching sessions by channel, most first. */
function channelChart(channels: readonly ChannelSessions[]): Element {
  return barChart(
    channels.map((c) => ({
      label: channelLabel(c.channel),
      value: c.sessions,
      color: channelColor(c.channel),
      attrs: { 'data-channel': c.channel },
    })),
    'Sessions by channel',
    formatCount,
    // Room for GA4's longest name, Mobile Push Notifications.
    { width: 480, valueSpace: 50, labelSpace: 180 },
  );
}

/** The panel; `currentRange` gives the range a search reloads. */
export function sessionsPanel(currentRange: () => ResolvedRange | undefined): Panel {
  const frame = panelFrame('sessions', 'Recent sessions', { wide: true });
  frame.note.textContent = 'Sessions that started in the range, newest first.';
  const search = el('input', {
    type: 'search',
    id: 'session-search',
    'data-testid': 'session-search',
    placeholder: 'Search by user id',
    'aria-label': 'Search sessions by user id',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  frame.tools.append(search);
  const count = el('p', { id: 'sessions-count', 'data-testid': 'sessions-count', class: 'count' });
  const rows = el('tbody');
  const chart = el('div');
  frame.body.append(
    el(
      'figure',
      { id: 'chart-session-channels', 'data-testid': 'chart-session-channels', class: 'svg-chart' },
      el('figcaption', {}, 'Sessions by channel (last non-direct)'),
      chart,
    ),
    count,
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { id: 'table-sessions', 'data-testid': 'table-sessions' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Started', 'User', 'Journey', 'Channel', 'Events', 'Length', 'Converted', 'Revenue'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        rows,
      ),
    ),
  );

  // Each load (a refresh or a search) supersedes the one before, so that an older answer never replaces a newer one.
  let latest: AbortController | undefined;

  const load = (range: ResolvedRange, outer: AbortSignal): Promise<void> => {
    latest?.abort();
    const mine = new AbortController();
    latest = mine;
    outer.addEventListener('abort', () => mine.abort(), { once: true });
    const signal = mine.signal;
    const user = search.value.trim();
    frame.section.dataset.user = user;
    return loadPanel(frame, signal, {
      fetch: () => getJson<SessionsResponse>(API_PATHS.sessions, user ? { ...rangeParams(range), user } : rangeParams(range), signal),
      empty: (answer) =>
        answer.sessions.length > 0
          ? undefined
          : user
            ? `No sessions of user “${user}” started in this range: check the id, or pick a longer range.`
            : NO_EVENTS,
      render: (answer) => {
        rows.replaceChildren(...answer.sessions.map(sessionRow));
        chart.replaceChildren(channelChart(answer.channels));
        const whose = user ? ` of user “${user}”` : '';
        setText(count, `${formatCount(answer.sessions.length)} of ${formatCount(answer.total)} sessions${whose}`);
        count.dataset.total = String(answer.total);
      },
    });
  };

  search.addEventListener(
    'input',
    debounce(() => {
      const range = currentRange();
      if (range) void load(range, new AbortController().signal);
    }, SEARCH_DEBOUNCE_MS),
  );

  return { section: frame.section, load };
}
