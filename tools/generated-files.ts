/**
 * What the generators share: the repository's Prettier settings applied to a generated module, writing the
 * generated files or, with `--check`, comparing them with what is committed, and the command line of a
 * generator that turns a downloaded list into its data file and the module the transform bundles.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';

export const ROOT = resolve(__dirname, '..');

/** A generated TypeScript source as it is committed: through the repository's Prettier settings for `file`. */
export async function formatted(source: string, file: string): Promise<string> {
  const path = join(ROOT, file);
  const options = await resolveConfig(path);
  return format(source, { ...options, filepath: path });
}

export interface Outputs {
  /** Each file, relative to the repository, with the text (or, for a binary file, the bytes) it should hold. */
  readonly files: ReadonlyArray<readonly [file: string, content: string | Uint8Array]>;
  /** Compare instead of writing. */
  readonly check: boolean;
  /** What the files are generated from, and the command that regenerates them, for the stale message. */
  readonly from: string;
  readonly command: string;
  /** Said after `wrote <file>`, e.g. `(819 sources)`. */
  readonly wroteNote?: string;
}

/** Writes the files, or checks them; with `--check`, a file that differs sets the exit code to 1. */
export function writeOrCheck(o: Outputs): void {
  for (const [name, content] of o.files) {
    const path = join(ROOT, name);
    if (!o.check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      process.stdout.write(`wrote ${name}${o.wroteNote ? ` ${o.wroteNote}` : ''}\n`);
      continue;
    }
    let current: Buffer | undefined;
    try {
      current = readFileSync(path);
    } catch {
      // A missing file differs like any other.
    }
    if (current?.equals(typeof content === 'string' ? Buffer.from(content, 'utf8') : content)) {
      process.stdout.write(`${name} is up to date\n`);
    } else {
      process.stderr.write(`${name} is not what ${o.from} generates: run ${o.command} and commit the result\n`);
      process.exitCode = 1;
    }
  }
}

/** A list taken from elsewhere, with where it came from and when. */
export interface TakenList {
  readonly origin: string | undefined;
  readonly taken: string | undefined;
}

export interface ListGenerator<L extends TakenList> {
  /** The npm script, e.g. `npm run generate:bot-list`. */
  readonly command: string;
  readonly dataFile: string;
  readonly moduleFile: string;
  /** Reads the downloaded list, or the data file itself (which carries its origin and date). */
  parse(text: string, file: string): L;
  /** The same list with the origin and date given. */
  withProvenance(list: L, origin: string | undefined, taken: string): L;
  renderDataFile(list: L): string;
  renderModuleSource(list: L): string;
  /** Said after `wrote <file>`, e.g. `(819 sources)`. */
  count(list: L): string;
}

/**
 * `<command> -- [<list>] [--origin "<where it came from>"] [--taken yyyy-mm-dd] [--check]`: reads the list (the
 * data file without one) and writes, or checks, the data file and the module.
 */
export async function runListGenerator<L extends TakenList>(g: ListGenerator<L>): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { origin: { type: 'string' }, taken: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new Error(`one list file at most; got ${positionals.length}: ${positionals.join(' ')}`);
  const input = positionals[0] ?? join(ROOT, g.dataFile);
  const read = g.parse(readFileSync(input, 'utf8'), input);
  const list = g.withProvenance(read, values.origin ?? read.origin, values.taken ?? read.taken ?? new Date().toISOString().slice(0, 10));
  writeOrCheck({
    files: [
      [g.dataFile, g.renderDataFile(list)],
      [g.moduleFile, await formatted(g.renderModuleSource(list), g.moduleFile)],
    ],
    check: values.check ?? false,
    from: 'the list',
    command: g.command,
    wroteNote: g.count(list),
  });
}

/** Runs a generator's main, printing a failure's message and setting the exit code. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
