/**
 * The dashboard page: reads the range from the URL, asks `/api/about` where the data ends, loads every panel for
 * the resolved range, and refreshes in place every `refreshSeconds` while the pipeline runs here.
 */
import { API_PATHS } from '../api';
import type { AboutResponse, TrafficResponse } from '../api';
import { errorText, getJson, rangeParams } from './client';
import { el } from './dom';
import { createHeader } from './header';
import { countriesPanel } from './panels/countries';
import { funnelPanel } from './panels/funnel';
import { healthPanel } from './panels/health';
import { pagesPanel } from './panels/pages';
import { sessionsPanel } from './panels/sessions';
import { tilesPanel } from './panels/tiles';
import { trafficPanel } from './panels/traffic';
import { windowsPanel } from './panels/windows';
import { parseRangeQuery, parseTime, resolveRange, withRangeQuery } from './range';
import type { RangeChoice, ResolvedRange } from './range';
import { sharedPerLoad } from './shared-load';

const root = document.getElementById('dashboard') ?? document.body.appendChild(el('main', { id: 'dashboard' }));
const parsed = parseRangeQuery(location.search);
let choice: RangeChoice = parsed.choice;
let current: ResolvedRange | undefined;
let cycle: AbortController | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let completed = 0;
/** The last refresh interval `/api/about` gave: a failed refresh does not stop the next. */
let refreshSeconds: number | null = null;

const header = createHeader((next) => {
  choice = next;
  history.replaceState(history.state, '', `${withRangeQuery(location.search, next)}${location.hash}`);
  header.showProblem(undefined);
  refresh(true);
});
// The traffic and countries panels show parts of one /api/traffic answer: one request per load.
const traffic = sharedPerLoad((range, signal) => getJson<TrafficResponse>(API_PATHS.traffic, rangeParams(range), signal));
const panels = [
  tilesPanel(),
  windowsPanel(),
  pagesPanel(),
  trafficPanel(traffic),
  countriesPanel(traffic),
  funnelPanel(),
  healthPanel(),
  sessionsPanel(() => current),
];
root.append(header.element, el('div', { class: 'grid' }, ...panels.map((panel) => panel.section)));
if (parsed.problem) header.showProblem(`The URL’s range was not understood, so the last 24 hours are shown: ${parsed.problem}.`);

/** `/api/about`, or undefined (shown in the header) when it failed. */
async function about(signal: AbortSignal): Promise<AboutResponse | undefined> {
  try {
    const answer = await getJson<AboutResponse>(API_PATHS.about, {}, signal);
    header.showAbout(answer);
    return answer;
  } catch (error) {
    if (!signal.aborted) header.showAboutError(errorText(error));
    return undefined;
  }
}

/**
 * Loads every panel for the current choice; a newer call supersedes an older one still running. `changed` (a new
 * range) marks the page as loading; a timed refresh updates it in place.
 */
async function reload(changed: boolean): Promise<void> {
  clearTimeout(timer);
  cycle?.abort();
  const controller = new AbortController();
  cycle = controller;
  const { signal } = controller;
  if (changed) root.dataset.state = 'loading';
  const info = await about(signal);
  if (signal.aborted) return;
  if (info) refreshSeconds = info.refreshSeconds;
  const range = resolveRange(choice, Date.now(), parseTime(info?.newestEvent ?? null));
  current = range;
  root.dataset.from = new Date(range.from).toISOString();
  root.dataset.to = new Date(range.to).toISOString();
  root.dataset.range = range.choice.kind === 'preset' ? range.choice.preset : 'custom';
  header.showRange(range);
  await Promise.all(panels.map((panel) => panel.load(range, signal)));
  if (signal.aborted) return;
  completed += 1;
  root.dataset.loads = String(completed);
  root.dataset.state = 'ready';
  header.showRefreshed(Date.now(), refreshSeconds);
  if (refreshSeconds) timer = setTimeout(() => refresh(false), refreshSeconds * 1000);
}

/** Starts `reload`; panels show their own errors, so only a fault of the page itself lands here. */
function refresh(changed: boolean): void {
  reload(changed).catch((error: unknown) => header.showProblem(`The page could not load: ${errorText(error)}`));
}

refresh(true);
