/**
 * The page's range: read from and written to the URL (`?range=24h`, `?range=24h&end=<ISO>`, `?from=<ISO>&to=<ISO>`),
 * and resolved to the exact [from, to) the panels ask the API for. Pure: no DOM, so it is tested in Node too.
 */
import { RANGE_PRESETS } from '../api';
import type { RangePreset } from '../api';

/** The width of the pipeline's windows: anchored ranges end on a window boundary. */
export const WINDOW_MS = 300_000;

/** The preset a URL without a range gets. */
export const DEFAULT_PRESET: RangePreset = '24h';

/** What the URL asks for: a preset ending now (or at a pinned `end`), or a custom range. */
export type RangeChoice =
  | { readonly kind: 'preset'; readonly preset: RangePreset; readonly end?: number }
  | { readonly kind: 'custom'; readonly from: number; readonly to: number };

export interface ParsedRange {
  readonly choice: RangeChoice;
  /** What was wrong with the URL's range, when the default was used instead. */
  readonly problem?: string;
}

/** The exact range the panels read, epoch ms, half-open. */
export interface ResolvedRange {
  readonly from: number;
  readonly to: number;
  readonly choice: RangeChoice;
  /** Set when a preset was moved back to end just after the newest event, which is older than the window. */
  readonly anchoredAt?: number;
}

/** The URL parameters this module owns; others are left alone. */
const RANGE_PARAMS = ['range', 'from', 'to', 'end'] as const;

export function isPreset(text: string | null): text is RangePreset {
  return text !== null && Object.prototype.hasOwnProperty.call(RANGE_PRESETS, text);
}

/** Epoch ms of an ISO-8601 time, or undefined when `text` is missing or not a time. */
export function parseTime(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Reads the range from a URL's query string. Anything unreadable falls back to the default preset, with the reason. */
export function parseRangeQuery(search: string): ParsedRange {
  const params = new URLSearchParams(search);
  const fallback: RangeChoice = { kind: 'preset', preset: DEFAULT_PRESET };
  if (params.has('from') || params.has('to')) {
    const from = parseTime(params.get('from'));
    const to = parseTime(params.get('to'));
    if (from === undefined || to === undefined) {
      return {
        choice: fallback,
        problem: `from and to must both be ISO-8601 times (saw from=${params.get('from')}, to=${params.get('to')})`,
      };
    }
    if (from >= to) return { choice: fallback, problem: `from must be before to (saw from=${params.get('from')}, to=${params.get('to')})` };
    return { choice: { kind: 'custom', from, to } };
  }
  const range = params.get('range');
  if (range !== null && !isPreset(range)) {
    return { choice: fallback, problem: `range must be one of ${Object.keys(RANGE_PRESETS).join(', ')} (saw ${range})` };
  }
  const preset = range ?? DEFAULT_PRESET;
  if (!params.has('end')) return { choice: { kind: 'preset', preset } };
  const end = parseTime(params.get('end'));
  if (end === undefined) return { choice: { kind: 'preset', preset }, problem: `end must be an ISO-8601 time (saw ${params.get('end')})` };
  return { choice: { kind: 'preset', preset, end } };
}

/** `search` with its range parameters replaced by `choice`'s; other parameters are kept. */
export function withRangeQuery(search: string, choice: RangeChoice): string {
  const params = new URLSearchParams(search);
  for (const name of RANGE_PARAMS) params.delete(name);
  if (choice.kind === 'custom') {
    params.set('from', new Date(choice.from).toISOString());
    params.set('to', new Date(choice.to).toISOString());
  } else {
    params.set('range', choice.preset);
    if (choice.end !== undefined) params.set('end', new Date(choice.end).toISOString());
  }
  return `?${params.toString()}`;
}

/** The first window boundary strictly after `ms`, so that the window holding `ms` lies inside a range ending there. */
export function nextWindowBoundary(ms: number): number {
  return Math.floor(ms / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
}

/**
 * The exact range for `choice`. A preset ends at its pinned `end`, else now; but when the newest event is older
 * than the start of that window (a replayed workload, a pipeline stopped hours ago), it ends just after the newest
 * event instead, so that the page shows data rather than an empty window.
 */
export function resolveRange(choice: RangeChoice, nowMs: number, newestEventMs?: number): ResolvedRange {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to, choice };
  const width = RANGE_PRESETS[choice.preset];
  if (choice.end !== undefined) return { from: choice.end - width, to: choice.end, choice };
  if (newestEventMs !== undefined && newestEventMs < nowMs - width) {
    const to = nextWindowBoundary(newestEventMs);
    return { from: to - width, to, choice, anchoredAt: newestEventMs };
  }
  return { from: nowMs - width, to: nowMs, choice };
}

/** How a preset reads in a sentence: "the 24 hours". */
export function presetPhrase(preset: RangePreset): string {
  return { '1h': 'the hour', '24h': 'the 24 hours', '7d': 'the 7 days' }[preset];
}
