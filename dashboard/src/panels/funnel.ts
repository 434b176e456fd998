/** The funnel page_view → form_submit → conversion from `/api/funnel`: sessions per step and the drop-off, in SVG. */
import { API_PATHS } from '../../api';
import type { FunnelResponse } from '../../api';
import { barChart } from '../bar-chart';
import { getJson, rangeParams } from '../client';
import { el } from '../dom';
import { formatCount, formatDays, formatPercent } from '../format';
import { loadPanel, NO_ARCHIVE, panelFrame } from '../panel';
import type { Panel } from '../panel';

export function funnelPanel(): Panel {
  const frame = panelFrame('funnel', 'Funnel');
  const chart = el('figure', { id: 'chart-funnel', 'data-testid': 'chart-funnel', class: 'svg-chart' });
  frame.body.append(chart);

  const render = (answer: FunnelResponse): void => {
    chart.replaceChildren(
      barChart(
        answer.steps.map((step) => ({
          label: step.step,
          value: step.sessions,
          detail: step.dropOff === null ? undefined : `−${formatPercent(step.dropOff)} drop-off`,
          attrs: { 'data-step': step.step, 'data-sessions': step.sessions, 'data-drop-off': String(step.dropOff) },
        })),
        'Sessions reaching each step of the funnel',
        (sessions) => `${formatCount(sessions)} sessions`,
        { valueSpace: 220 },
      ),
      el('figcaption', {}, 'Sessions with a page view, then a form submission, then a conversion after it (bots excluded).'),
    );
  };

  return {
    section: frame.section,
    load: (range, signal) =>
      loadPanel(frame, signal, {
        fetch: () => getJson<FunnelResponse>(API_PATHS.funnel, rangeParams(range), signal),
        note: (answer) => `From the archive, ${formatDays(answer.range.fromDate, answer.range.toDate)}.`,
        empty: (answer) => (answer.steps.every((step) => step.sessions === 0) ? NO_ARCHIVE : undefined),
        render,
      }),
  };
}
