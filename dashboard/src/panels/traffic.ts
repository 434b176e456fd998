/**
 * Traffic channels and sources, devices and browsers from `/api/traffic`: the rows of `traffic_channels.sql`
 * (channel, source, sessions, conversions, revenue) and `devices_and_browsers.sql` (device_type, os, browser, users,
 * events), as tables with bars, and channels by sessions as an SVG bar chart, named and coloured as GA4's channels.
 */
import type { QueryRow, TrafficResponse } from '../../api';
import { barChart } from '../bar-chart';
import { barTable } from '../bar-table';
import { channelColor, channelLabel } from '../channels';
import { el } from '../dom';
import { formatCount, formatDays, formatMoney } from '../format';
import { loadPanel, NO_ARCHIVE, panelFrame } from '../panel';
import type { Panel } from '../panel';
import type { RangeFetch } from '../shared-load';
import { num, str } from '../query-row';

/** Sessions by channel, over all of its sources, most first. */
export function sessionsByChannel(rows: readonly QueryRow[]): { channel: string; sessions: number }[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(str(row, 'channel'), (totals.get(str(row, 'channel')) ?? 0) + num(row, 'sessions'));
  return [...totals]
    .map(([channel, sessions]) => ({ channel, sessions }))
    .sort((a, b) => b.sessions - a.sessions || a.channel.localeCompare(b.channel));
}

/** The panel; `traffic` fetches `/api/traffic`, shared with the countries panel. */
export function trafficPanel(traffic: RangeFetch<TrafficResponse>): Panel {
  const frame = panelFrame('traffic', 'Traffic and devices', { wide: true });

  const render = (answer: TrafficResponse): void => {
    const channels = sessionsByChannel(answer.channels);
    frame.body.replaceChildren(
      el(
        'figure',
        { id: 'chart-channels', 'data-testid': 'chart-channels', class: 'svg-chart' },
        el('figcaption', {}, 'Sessions by channel'),
        channels.length
          ? barChart(
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
            )
          : el('p', { class: 'none' }, 'No sessions in these days.'),
      ),
      barTable(
        'table-channels',
        'Channels and sources',
        [
          { head: 'Channel', cell: (r) => channelLabel(str(r, 'channel')) },
          { head: 'Source', cell: (r) => str(r, 'source') },
          { head: 'Sessions', cell: (r) => formatCount(num(r, 'sessions')), numeric: true },
          { head: 'Conversions', cell: (r) => formatCount(num(r, 'conversions')), numeric: true },
          { head: 'Revenue', cell: (r) => formatMoney(num(r, 'revenue')), numeric: true },
        ],
        answer.channels,
        (r) => num(r, 'sessions'),
      ),
      barTable(
        'table-devices',
        'Devices and browsers',
        [
          { head: 'Device', cell: (r) => str(r, 'device_type') },
          { head: 'OS', cell: (r) => str(r, 'os') },
          { head: 'Browser', cell: (r) => str(r, 'browser') },
          { head: 'Users', cell: (r) => formatCount(num(r, 'users')), numeric: true },
          { head: 'Events', cell: (r) => formatCount(num(r, 'events')), numeric: true },
        ],
        answer.devices,
        (r) => num(r, 'users'),
      ),
    );
  };

  frame.body.classList.add('two');
  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => traffic(range, signal),
        note: (answer) => `From the archive, ${formatDays(answer.range.fromDate, answer.range.toDate)}; channels leave out bots.`,
        empty: (answer) => (answer.channels.length + answer.devices.length === 0 ? NO_ARCHIVE : undefined),
        render,
      }),
  };
}
