/**
 * A uPlot line chart over time that is built once and then updated in place with `setData`, so that a refresh
 * neither flickers nor loses the reader's place. It is rebuilt only when its series change (a new event type).
 */
import uPlot from 'uplot';
import { colorAt } from './colors';
import { formatCount } from './format';

const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7];

export interface TimeSeries {
  readonly label: string;
  readonly values: readonly number[];
  /** Fill the area under the line. */
  readonly fill?: boolean;
}

export class TimeChart {
  private plot: uPlot | undefined;
  private labels = '';
  private width = 0;

  /** A chart inside `container` (`data-points` and `data-series` say what it shows). */
  constructor(
    readonly container: HTMLElement,
    private readonly height = 220,
  ) {
    // Resized on the next frame, and only when the width changed: no resize loop.
    new ResizeObserver(() => requestAnimationFrame(() => this.fit())).observe(container);
  }

  /** Shows `series` over `xs` (epoch seconds, ascending). */
  update(xs: readonly number[], series: readonly TimeSeries[]): void {
    const data = [xs, ...series.map((s) => s.values)] as unknown as uPlot.AlignedData;
    const labels = series.map((s) => s.label).join('\n');
    this.container.dataset.points = String(xs.length);
    this.container.dataset.series = series.map((s) => s.label).join(',');
    if (this.plot && labels === this.labels) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.labels = labels;
    this.width = this.measure();
    this.plot = new uPlot(this.options(series), data, this.container);
  }

  private measure(): number {
    return Math.max(240, Math.floor(this.container.clientWidth));
  }

  private fit(): void {
    const width = this.measure();
    if (!this.plot || width === this.width) return;
    this.width = width;
    this.plot.setSize({ width, height: this.height });
  }

  private options(series: readonly TimeSeries[]): uPlot.Options {
    const value = (_u: uPlot, v: number | null) => (v === null ? '—' : formatCount(v));
    return {
      width: this.width,
      height: this.height,
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      // Counts: whole-number ticks only.
      axes: [{}, { incrs: COUNT_STEPS, values: (_u, splits) => splits.map((v) => formatCount(v)), size: 56 }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colorAt(i),
          width: 1.5,
          fill: s.fill ? `${colorAt(i)}22` : undefined,
          points: { show: false },
          value,
        })),
      ],
    };
  }
}
