/** A small horizontal bar chart in SVG (no chart library): one labelled bar per row, its value beside it. */
import { colorAt } from './colors';
import { svgEl } from './dom';
import type { Attrs } from './dom';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown after the value, e.g. a drop-off. */
  readonly detail?: string;
  /** Extra attributes of the bar's group, for tests and tools (`data-step`). */
  readonly attrs?: Attrs;
  /** The bar's colour; by default the palette's, by position. */
  readonly color?: string;
}

const ROW = 30;

/**
 * An SVG of `bars`, scaled to the largest; `title` is its accessible name. It is drawn `width` pixels wide (with room
 * for `labelSpace` pixels of labels before the bars and `valueSpace` pixels of text after the longest bar) and
 * shrinks, never grows, to fit its box.
 */
export function barChart(
  bars: readonly Bar[],
  title: string,
  format: (value: number) => string,
  { width: WIDTH = 560, valueSpace = 80, labelSpace: LABEL = 130 }: { width?: number; valueSpace?: number; labelSpace?: number } = {},
): SVGSVGElement {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const span = WIDTH - LABEL - valueSpace;
  const height = bars.length * ROW + 8;
  return svgEl(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': title, class: 'bar-chart' },
    svgEl('title', {}, title),
    ...bars.map((bar, i) => {
      const y = 4 + i * ROW;
      const width = Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * span);
      return svgEl(
        'g',
        { 'data-label': bar.label, 'data-value': bar.value, ...bar.attrs },
        svgEl('text', { x: LABEL - 8, y: y + ROW / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, bar.label),
        svgEl('rect', { x: LABEL, y: y + 4, width: width.toFixed(1), height: ROW - 8, rx: 3, fill: bar.color ?? colorAt(i) }),
        svgEl(
          'text',
          { x: LABEL + width + 8, y: y + ROW / 2, 'dominant-baseline': 'middle', class: 'bar-value' },
          bar.detail ? `${format(bar.value)}  ${bar.detail}` : format(bar.value),
        ),
      );
    }),
  );
}
