/**
 * The page's header: where the figures come from, the range picker (presets and a custom from/to), the exact range
 * shown, and when the panels were last refreshed.
 */
import { RANGE_PRESETS } from '../api';
import type { AboutResponse, RangePreset } from '../api';
import { el, setText } from './dom';
import { formatClock, formatInstant, formatTime, formatZone, fromLocalInput, toLocalInput } from './format';
import { isPreset, presetPhrase } from './range';
import type { RangeChoice, ResolvedRange } from './range';

const PRESET_LABELS: Readonly<Record<RangePreset, string>> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' };

export interface Header {
  readonly element: HTMLElement;
  showAbout(about: AboutResponse): void;
  showAboutError(message: string): void;
  showRange(range: ResolvedRange): void;
  showRefreshed(atMs: number, refreshSeconds: number | null): void;
  /** A problem with the range asked for (the URL's or the custom inputs'), or undefined to clear it. */
  showProblem(text: string | undefined): void;
}

/** The header; `choose` is called with the range a person picked. */
export function createHeader(choose: (choice: RangeChoice) => void): Header {
  let shown: ResolvedRange | undefined;
  const source = el('p', { id: 'source', 'data-testid': 'source', class: 'source' }, 'Reading…');
  const presets = (Object.keys(RANGE_PRESETS) as RangePreset[]).map((preset) =>
    el(
      'button',
      { type: 'button', class: 'preset', 'data-preset': preset, 'data-testid': `range-preset-${preset}`, 'aria-pressed': 'false' },
      PRESET_LABELS[preset],
    ),
  );
  const fromInput = el('input', { type: 'datetime-local', id: 'range-from-input', 'data-testid': 'range-from-input', required: '' });
  const toInput = el('input', { type: 'datetime-local', id: 'range-to-input', 'data-testid': 'range-to-input', required: '' });
  // Inputs a person is editing are not overwritten by a refresh.
  let editing = false;
  for (const input of [fromInput, toInput]) input.addEventListener('input', () => (editing = true));
  const apply = el('button', { type: 'submit', id: 'range-apply', 'data-testid': 'range-apply' }, 'Apply');
  const form = el(
    'form',
    { id: 'range-form', class: 'range-form', 'aria-label': 'Range' },
    el('div', { class: 'presets', role: 'group', 'aria-label': 'Preset ranges' }, ...presets),
    el('label', {}, 'From ', fromInput),
    el('label', {}, 'To ', toInput),
    apply,
  );
  const fromTime = el('time', { id: 'range-from' });
  const toTime = el('time', { id: 'range-to' });
  const zone = el('span', { class: 'zone' });
  const rangeText = el(
    'p',
    { id: 'range-text', 'data-testid': 'range-text', class: 'range-text' },
    'Showing ',
    fromTime,
    ' → ',
    toTime,
    ' ',
    zone,
  );
  const note = el('p', { id: 'range-note', 'data-testid': 'range-note', class: 'range-note', hidden: '' });
  const problem = el('p', { id: 'range-problem', 'data-testid': 'range-problem', class: 'problem', role: 'alert', hidden: '' });
  const refreshed = el('p', { id: 'last-refresh', 'data-testid': 'last-refresh', class: 'refreshed' }, 'Loading…');

  form.addEventListener('click', (event) => {
    const preset = (event.target as Element).closest('[data-preset]')?.getAttribute('data-preset') ?? null;
    if (!isPreset(preset)) return;
    editing = false;
    // A pinned end stays pinned when the width changes.
    const end = shown?.choice.kind === 'preset' ? shown.choice.end : undefined;
    choose(end === undefined ? { kind: 'preset', preset } : { kind: 'preset', preset, end });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const from = fromLocalInput(fromInput.value);
    const to = fromLocalInput(toInput.value);
    if (from === undefined || to === undefined) return header.showProblem('Give both a start and an end for a custom range.');
    if (from >= to) return header.showProblem(`The start (${formatTime(from)}) must be before the end (${formatTime(to)}).`);
    editing = false;
    choose({ kind: 'custom', from, to });
  });

  const header: Header = {
    element: el(
      'header',
      { class: 'top', id: 'top' },
      el('div', { class: 'brand' }, el('h1', {}, 'Clickstream analytics'), source),
      form,
      el('div', { class: 'status' }, rangeText, note, problem, refreshed),
    ),
    showAbout(about) {
      source.dataset.state = 'ready';
      setText(source, `Source: ${about.source}`);
    },
    showAboutError(message) {
      source.dataset.state = 'error';
      setText(source, `Source unknown: ${message}`);
    },
    showRange(range) {
      shown = range;
      const { choice } = range;
      for (const button of presets) {
        const on = choice.kind === 'preset' && button.dataset.preset === choice.preset;
        button.setAttribute('aria-pressed', String(on));
      }
      form.dataset.kind = choice.kind;
      fromTime.dateTime = new Date(range.from).toISOString();
      toTime.dateTime = new Date(range.to).toISOString();
      fromTime.title = fromTime.dateTime;
      toTime.title = toTime.dateTime;
      setText(fromTime, formatInstant(range.from));
      setText(toTime, formatInstant(range.to));
      setText(zone, `(${formatZone(range.to)})`);
      if (!editing) {
        fromInput.value = toLocalInput(range.from);
        toInput.value = toLocalInput(range.to);
      }
      let text = '';
      if (choice.kind === 'preset' && range.anchoredAt !== undefined) {
        text = `Showing ${presetPhrase(choice.preset)} up to the newest event, ${formatInstant(range.anchoredAt)}: nothing newer has arrived.`;
      } else if (choice.kind === 'preset' && choice.end !== undefined) {
        text = `Showing ${presetPhrase(choice.preset)} up to a pinned end, ${formatInstant(choice.end)}.`;
      }
      note.hidden = text === '';
      note.dataset.anchored = String(range.anchoredAt !== undefined);
      setText(note, text);
    },
    showRefreshed(atMs, refreshSeconds) {
      refreshed.dataset.time = new Date(atMs).toISOString();
      setText(refreshed, `Updated ${formatClock(atMs)}${refreshSeconds ? ` · refreshes every ${refreshSeconds} s` : ''}`);
    },
    showProblem(text) {
      problem.hidden = text === undefined;
      setText(problem, text ?? '');
    },
  };
  return header;
}
