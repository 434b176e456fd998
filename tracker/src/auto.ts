/**
 * What the tracker records by itself: page views (on start, on History API navigation and on back/forward),
 * clicks on links and on elements marked `data-cs-event`, form submits (never field values) and scroll depth.
 */
import { LINK_TEXT_CHARS, PROPERTY_CHARS } from './config';
import { guard } from './guard';
import { enqueue } from './queue';

/** URL of the last page view, so that replaceState without a new URL is no page view. */
let lastUrl = '';
/** Deepest quarter of the page reported in this page view, in percent. */
let depth = 0;

/** Records a page view of the current URL. */
export function pageView(): void {
  lastUrl = location.href;
  depth = 0;
  enqueue('page_view');
}

function onNavigation(): void {
  if (location.href != lastUrl) pageView();
}

function onScroll(): void {
  // One pixel of slack: zoomed pages stop a fraction short of the bottom.
  const reached = ((scrollY + innerHeight + 1) / document.documentElement.scrollHeight) * 100;
  while (depth < 100 && reached >= depth + 25) enqueue('scroll', { depth: (depth += 25) });
}

function onClick(event: Event): void {
  const target = event.target as Element;
  const link = target.closest('a[href]');
  const tagged = target.closest('[data-cs-event]');
  if (!link && !tagged) return;
  const properties: Record<string, unknown> = {};
  if (link) {
    const to = new URL(link.getAttribute('href')!, location.href);
    properties.href = to.href.slice(0, PROPERTY_CHARS);
    properties.text = (link.textContent || '').replace(/\s+/g, ' ').trim().slice(0, LINK_TEXT_CHARS);
    properties.outbound = /^http/.test(to.protocol) && to.host != location.host;
  }
  if (tagged) {
    for (const { name, value } of tagged.attributes) {
      if (name.startsWith('data-cs-') && name != 'data-cs-event') properties[name.slice(8)] = value.slice(0, PROPERTY_CHARS);
    }
  }
  enqueue('click', properties, tagged ? tagged.getAttribute('data-cs-event')! : undefined);
}

function onSubmit(event: Event): void {
  const form = event.target as HTMLFormElement;
  // Attributes, not form.id or form.action: a field named "id" or "action" would shadow those.
  enqueue('form_submit', {
    id: form.getAttribute('id'),
    name: form.getAttribute('name'),
    action: new URL(form.getAttribute('action') || '', location.href).href.slice(0, PROPERTY_CHARS),
  });
}

/** Listens for navigation, clicks, submits and scrolling, and records the first page view. */
export function startAutoTracking(): void {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method].bind(history);
    history[method] = (...args) => {
      // The page's own call runs unguarded: its errors are the page's.
      original(...args);
      guard(onNavigation)();
    };
  }
  addEventListener('popstate', guard(onNavigation));
  addEventListener('scroll', guard(onScroll), { passive: true });
  // Capture phase: a page that stops propagation still has its clicks counted.
  document.addEventListener('click', guard(onClick), true);
  document.addEventListener('submit', guard(onSubmit), true);
  pageView();
}
