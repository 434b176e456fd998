/**
 * The script-tag entry (`tracker.js`): settings from the tag's `data-*` attributes, then the calls the page
 * queued before the script loaded, then `window.clickstream(method, ...args)` itself. The queue stub:
 * `window.clickstream=window.clickstream||function(){(window.clickstream.q=window.clickstream.q||[]).push(arguments)};`
 */
import { consent, dropped, flush, identify, init, page, track } from './api';
import { configFromScript } from './config';
import { guard } from './guard';

/** `window.clickstream`: the queue stub before the script loads, the tracker after. */
interface Clickstream {
  (method: string, ...args: unknown[]): unknown;
  /** Calls queued by the stub. */
  q?: IArguments[];
  /** Set on the tracker, so that a second copy of the script does nothing. */
  loaded?: 1;
}

declare global {
  interface Window {
    clickstream?: Clickstream;
  }
}

const methods: Record<string, (...args: never[]) => unknown> = { track, page, identify, consent, flush, dropped };

guard(() => {
  const stub = window.clickstream;
  if (stub && stub.loaded) return;
  init(configFromScript(document.currentScript as HTMLScriptElement | null));
  const clickstream = guard((method: string, ...args: unknown[]) => methods[method]!(...(args as never[]))) as Clickstream;
  clickstream.loaded = 1;
  window.clickstream = clickstream;
  for (const call of (stub && stub.q) || []) clickstream(...(call as unknown as [string, ...unknown[]]));
})();
