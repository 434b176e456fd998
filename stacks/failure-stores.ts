/**
 * Where `clickstream redrive` moves the failed records it has put back on the stream, under their original
 * key, in both failure stores (the archive bucket and the on-failure bucket). Declared once: the buckets'
 * lifecycle rules expire it, and the operator tools (`local/ops/`) write and read it.
 */
export const REDRIVEN_PREFIX = 'redriven/';
