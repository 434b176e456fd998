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
