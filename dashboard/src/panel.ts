/**
 * The frame every panel shares: a titled section whose `data-state` says what it shows (loading, ready, empty, error),
 * a note under the title, a message for the empty and error states, and a body. A load that fails shows its error
 * in the panel; nothing is thrown to the page.
 */
import { errorText } from './client';
import { el, setText } from './dom';
import type { ResolvedRange } from './range';

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

export interface PanelFrame {
  /** `#panel-<id>`, `data-testid="panel-<id>"`. */
  readonly section: HTMLElement;
  /** Beside the title: search boxes and the like, shown in every state. */
  readonly tools: HTMLElement;
  readonly note: HTMLElement;
  readonly body: HTMLElement;
  show(state: PanelState, message?: string): void;
}

/** A panel on the page: its section, and how it loads a range. */
export interface Panel {
  readonly section: HTMLElement;
  load(range: ResolvedRange, signal: AbortSignal): Promise<void>;
}

export function panelFrame(id: string, title: string, options: { wide?: boolean } = {}): PanelFrame {
  const note = el('p', { class: 'panel-note', 'data-testid': `panel-${id}-note` });
  const tools = el('div', { class: 'panel-tools' });
  const message = el('p', { class: 'panel-message', 'data-testid': `panel-${id}-message`, role: 'status' });
  const body = el('div', { class: 'panel-body' });
  const section = el(
    'section',
    { id: `panel-${id}`, 'data-testid': `panel-${id}`, class: options.wide ? 'panel wide' : 'panel', 'data-state': 'loading' },
    el('header', { class: 'panel-head' }, el('div', {}, el('h2', {}, title), note), tools),
    message,
    body,
  );
  setText(message, 'Loading…');
  return {
    section,
    tools,
    note,
    body,
    show(state, text = '') {
      section.dataset.state = state;
      setText(message, text);
    },
  };
}

/** How a panel loads: what it fetches, when that is empty, and how it shows it. */
export interface PanelLoad<T> {
  readonly fetch: () => Promise<T>;
  /** The empty state's text, or undefined when there is something to show. */
  readonly empty: (data: T) => string | undefined;
  readonly render: (data: T) => void;
  /** The note under the title, from the answer (the archive's days), in the ready and empty states. */
  readonly note?: (data: T) => string;
}

/**
 * Loads one panel: fetches, then shows the empty state's text or renders. Earlier content stays until the new data
 * arrives, so a refresh does not flicker. Errors are shown in the panel; an aborted load (a newer one started)
 * changes nothing.
 */
export async function loadPanel<T>(frame: PanelFrame, signal: AbortSignal, how: PanelLoad<T>): Promise<void> {
  frame.section.setAttribute('aria-busy', 'true');
  try {
    const data = await how.fetch();
    if (signal.aborted) return;
    if (how.note) setText(frame.note, how.note(data));
    const empty = how.empty(data);
    if (empty !== undefined) {
      frame.show('empty', empty);
    } else {
      // Shown before rendering: a chart measures its container's width.
      frame.show('ready');
      how.render(data);
    }
  } catch (error) {
    if (!signal.aborted) frame.show('error', `Could not load this panel: ${errorText(error)}`);
  } finally {
    if (!signal.aborted) frame.section.removeAttribute('aria-busy');
  }
}

/** The empty state's text for panels that read events. */
export const NO_EVENTS = 'No events in this range yet: open the demo site or run `clickstream produce`, or pick a longer range.';

/** The empty state's text for panels that read the archive. */
export const NO_ARCHIVE =
  'No archived events for these days yet: the archive is written in batches (about a minute after the events arrive); open the demo site or run `clickstream produce`.';
