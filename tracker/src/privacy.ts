/**
 * Whether the tracker may store and send: never under Global Privacy Control; with `requireConsent`, only
 * after `consent(true)`; never after `consent(false)`. Until then events wait in memory, stamped with no id.
 */
let started = false;
let gpc = false;
let required = false;
/** The site's answer: undefined until `consent()` is called. */
let answer: boolean | undefined;

/** Reads Global Privacy Control and the consent setting once, when the tracker starts. */
export function startPrivacy(requireConsent: boolean): void {
  started = true;
  gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  required = requireConsent;
}

/** Records the site's consent answer. */
export function setConsent(granted: boolean): void {
  answer = granted;
}

/** Events may be kept in memory: nothing forbids collecting them yet. */
export function mayCollect(): boolean {
  return !gpc && answer !== false;
}

/** Ids may be stored and events sent. */
export function maySend(): boolean {
  return started && mayCollect() && (!!answer || !required);
}
