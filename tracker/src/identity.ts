/** The user id: the stored anonymous id, a new random one, or the site's own (`identify`). */
import { ID_KEY, ID_MAX_AGE_S } from './config';
import { erase, load, save } from './storage';
import { uuid } from './uuid';

let id: string | undefined;

/** The user id, stored again so that the cookie lives a year from the last event. Called only with consent. */
export function userId(): string {
  id = id || load(ID_KEY) || uuid();
  save(ID_KEY, id, ID_MAX_AGE_S);
  return id;
}

/** Replaces the anonymous id with the site's own; stored at the next event sent. */
export function setUserId(siteId: string): void {
  id = siteId;
}

/** Forgets the user id, in memory and in storage. */
export function forgetUser(): void {
  id = undefined;
  erase(ID_KEY);
}
