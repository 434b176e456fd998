/** Firehose's prefix expressions, filled the way Firehose fills them, for the local model of the delivery stream. */

/** Fills a prefix template the way Firehose does, for the local runtime. */
export function renderPrefix(
  template: string,
  values: { partitionKeys?: Record<string, string>; errorOutputType?: string; arrival: Date },
): string {
  return template.replace(/!\{([^}:]+):([^}]+)\}/g, (_match, namespace: string, key: string) => {
    if (namespace === 'partitionKeyFromLambda') {
      const v = values.partitionKeys?.[key];
      if (v === undefined) throw new Error(`prefix needs partition key ${key}, which the transform did not return`);
      return v;
    }
    if (namespace === 'firehose' && key === 'error-output-type') return values.errorOutputType ?? 'processing-failed';
    if (namespace === 'timestamp') return formatUtc(values.arrival, key);
    throw new Error(`prefix expression !{${namespace}:${key}} is not supported locally`);
  });
}

/** The Java DateTimeFormatter subset Firehose prefixes use: yyyy, MM, dd, HH, mm. */
function formatUtc(d: Date, pattern: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return pattern
    .replace('yyyy', String(d.getUTCFullYear()))
    .replace('MM', pad(d.getUTCMonth() + 1))
    .replace('dd', pad(d.getUTCDate()))
    .replace('HH', pad(d.getUTCHours()))
    .replace('mm', pad(d.getUTCMinutes()));
}
