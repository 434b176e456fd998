/** Where ids are kept: a first-party cookie, localStorage, or nowhere. A blocked store reads as empty. */
import type { StorageMode } from './config';

let mode: StorageMode = 'none';

/** Chooses the store; an unknown setting means the default, a cookie. */
export function setStorage(m: StorageMode | undefined): void {
  mode = m == 'localStorage' || m == 'none' ? m : 'cookie';
}

/** The stored value of `key`, or undefined. */
export function load(key: string): string | undefined {
  try {
    if (mode == 'cookie') {
      const found = document.cookie.match('(?:^|; )' + key + '=([^;]+)');
      return found ? decodeURIComponent(found[1]!) : undefined;
    }
    if (mode == 'localStorage') return localStorage.getItem(key) || undefined;
  } catch {
    // Storage blocked by the browser: as if empty.
  }
  return undefined;
}

/** Stores `value` under `key`; a cookie expires after `maxAgeS` seconds, SameSite=Lax. */
export function save(key: string, value: string, maxAgeS: number): void {
  try {
    if (mode == 'cookie') {
      document.cookie =
        key +
        '=' +
        encodeURIComponent(value) +
        ';path=/;max-age=' +
        maxAgeS +
        ';SameSite=Lax' +
        (location.protocol == 'https:' ? ';Secure' : '');
    } else if (mode == 'localStorage') localStorage.setItem(key, value);
  } catch {
    // Storage blocked by the browser: the id lives for this page only.
  }
}

/** Removes `key` from both stores, whatever the setting: consent withdrawn leaves nothing behind. */
export function erase(key: string): void {
  try {
    document.cookie = key + '=;path=/;max-age=0';
    localStorage.removeItem(key);
  } catch {
    // Nothing stored that could be reached.
  }
}
