/**
 * How a data file under `data/` says where its list came from: `# Copy:` and `# Taken:` header lines, written by
 * its generator and read back when the module is regenerated from the data file. (No Prettier here: the list
 * readers load in jest, which cannot load Prettier.)
 */

/** A day as the data files' `# Taken:` line gives it. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The header lines that give a data file's provenance, read back by {@link readProvenance}. */
export function provenanceLines(origin: string, taken: string): string[] {
  return [`# Copy: ${origin.trim()}`, `# Taken: ${taken}`];
}

/** Takes the origin or the day from one of a data file's `#` lines, if it is a provenance line. */
export function readProvenance(line: string, into: { origin?: string; taken?: string }): void {
  const meta = /^#\s*(Copy|Taken):\s*(.*)$/.exec(line);
  if (meta?.[1] === 'Copy') into.origin = meta[2];
  if (meta?.[1] === 'Taken') into.taken = meta[2];
}
