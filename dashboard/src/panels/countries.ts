/**
 * Visitors by country from `/api/traffic` (its `countries`, the rows of `countries.sql`): users of the top countries
 * as an SVG bar chart with each one's share, the rest summed as "Other", and the credit DB-IP's licence (CC BY 4.0)
 * asks for, a link to db-ip.com.
 */
import { DBIP_ATTRIBUTION } from '../../api';
import type { TrafficResponse } from '../../api';
import { barChart } from '../bar-chart';
import { OTHER_COUNTRIES, TOP_COUNTRIES, UNKNOWN_COUNTRY, topCountries } from '../countries';
import { el } from '../dom';
import { formatCount, formatDays, formatPercent } from '../format';
import { loadPanel, NO_ARCHIVE, panelFrame } from '../panel';
import type { Panel } from '../panel';
import type { RangeFetch } from '../shared-load';

/** Bars of the named countries; "Other" and "Unknown" in grey, as they are not countries. */
const COUNTRY_COLOR = '#2563eb';
const NOT_A_COUNTRY_COLOR = '#9ca3af';

/** The panel; `traffic` fetches `/api/traffic`, shared with the traffic panel. */
export function countriesPanel(traffic: RangeFetch<TrafficResponse>): Panel {
  const frame = panelFrame('countries', 'Visitors by country');
  const chart = el('figure', { id: 'chart-countries', 'data-testid': 'chart-countries', class: 'svg-chart' });
  const credit = el(
    'p',
    { class: 'attribution', 'data-testid': 'dbip-attribution' },
    el('a', { href: DBIP_ATTRIBUTION.href, target: '_blank', rel: 'noopener' }, DBIP_ATTRIBUTION.text),
  );
  // In the body, so shown whenever the panel shows DB-IP's data (the ready state).
  frame.body.append(chart, credit);

  const render = (answer: TrafficResponse): void => {
    const countries = topCountries(answer.countries);
    chart.replaceChildren(
      barChart(
        countries.map((c) => ({
          label: c.name,
          value: c.users,
          detail: `(${formatPercent(c.share)})`,
          color: c.code === UNKNOWN_COUNTRY || c.code === OTHER_COUNTRIES ? NOT_A_COUNTRY_COLOR : COUNTRY_COLOR,
          attrs: { 'data-country': c.code, 'data-users': c.users, 'data-events': c.events },
        })),
        'Users by country',
        formatCount,
        // Room for names such as "Bosnia & Herzegovina" and for "12,345  (100.0%)".
        { width: 480, valueSpace: 110, labelSpace: 170 },
      ),
      el('figcaption', {}, `Users by the country of their address (bots excluded); past the top ${TOP_COUNTRIES}, the rest as Other.`),
    );
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => traffic(range, signal),
        note: (answer) => `From the archive, ${formatDays(answer.range.fromDate, answer.range.toDate)}.`,
        empty: (answer) => (answer.countries.length === 0 ? NO_ARCHIVE : undefined),
        render,
      }),
  };
}
