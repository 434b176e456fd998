/** The client's session id: kept while events follow each other within 30 minutes, stored like the user id. */
import { SESSION_KEY, SESSION_MS } from './config';
import { erase, load, save } from './storage';
import { uuid } from './uuid';

/** `id.lastEventTime` of this page; the stored value wins, as another tab may have moved it on. */
let current = '';

/** The session id of an event at `time` (epoch ms), starting a new session after 30 minutes of inactivity. */
export function sessionId(time: number): string {
  const [id, last] = (load(SESSION_KEY) || current).split('.');
  const kept = id && time - +last! < SESSION_MS ? id : uuid();
  current = kept + '.' + time;
  save(SESSION_KEY, current, SESSION_MS / 1000);
  return kept;
}

/** Forgets the session, in memory and in storage. */
export function forgetSession(): void {
  current = '';
  erase(SESSION_KEY);
}
