/**
 * Firehose's S3 prefixes, shared by the stack and the local runtime so that the archive layout cannot drift.
 * The data prefix partitions by event time from the transform's partition keys; the error prefix separates
 * Firehose's error kinds (processing-failed, …) and dates them by arrival.
 */
/** The folder of the event data (the Glue table's location) and of Firehose's error output (shorter lifecycle). */
export const ARCHIVE_DATA_ROOT = 'events/';
export const ARCHIVE_ERROR_ROOT = 'errors/';
export const ARCHIVE_DATA_PREFIX = `${ARCHIVE_DATA_ROOT}dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/`;
export const ARCHIVE_ERROR_PREFIX = `${ARCHIVE_ERROR_ROOT}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

const ERROR_KIND_EXPRESSION = 'firehose:error-output-type';

/**
 * The folder whose sub-folders are Firehose's error kinds (`errors/processing-failed/`, …): list it with the
 * delimiter `/` to learn which kinds exist, since Firehose names them, not this app.
 */
export const ARCHIVE_ERROR_KINDS_PREFIX = ARCHIVE_ERROR_PREFIX.slice(0, ARCHIVE_ERROR_PREFIX.indexOf(`!{${ERROR_KIND_EXPRESSION}}`));

/** The prefix of one event date's data objects, every hour of it: `events/dt=2026-11-01/`. */
export function archiveDataDatePrefix(date: string): string {
  return upToDate(ARCHIVE_DATA_PREFIX, { 'partitionKeyFromLambda:dt': date });
}

/** The prefix of one arrival date's error objects of one kind: `errors/processing-failed/dt=2026-11-01/`. */
export function archiveErrorDatePrefix(errorKind: string, date: string): string {
  return upToDate(ARCHIVE_ERROR_PREFIX, { [ERROR_KIND_EXPRESSION]: errorKind, 'timestamp:yyyy-MM-dd': date });
}

/** A prefix template cut after its `dt=…/` folder, its expressions replaced by `values` (keyed `namespace:key`). */
function upToDate(template: string, values: Readonly<Record<string, string>>): string {
  const dt = template.indexOf('dt=');
  if (dt === -1) throw new Error(`prefix ${template} has no dt= folder`);
  return template.slice(0, template.indexOf('/', dt) + 1).replace(/!\{([^}]+)\}/g, (_match, expression: string) => {
    const value = values[expression];
    if (value === undefined) throw new Error(`prefix ${template} needs a value for !{${expression}}`);
    return value;
  });
}
