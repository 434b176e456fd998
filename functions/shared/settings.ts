/**
 * How a setting is declared: once, with its default, the values it takes and the reason for the default.
 * The stack reads it from CDK context; a function that needs it reads the environment variable `env`, which
 * the stack sets and the local runtime passes alike ({@link environmentOf}).
 */

/** One setting of type `T`. */
export interface Setting<T> {
  readonly default: T;
  /** Why the default is what it is. */
  readonly reason: string;
  /** The environment variable a function reads this setting from; absent for settings of the stack alone. */
  readonly env?: string;
  /** What is wrong with `value` ("must be a whole number from 1 to 60"), or undefined when it is allowed. */
  problem(value: unknown): string | undefined;
  /** The value written as text (an environment variable, or context on the command line). */
  parse(text: string): unknown;
  /** The text of a value, as an environment variable carries it. */
  text(value: T): string;
}

/** The value type of a setting. */
export type SettingValue<S> = S extends Setting<infer T> ? T : never;

/** A declaration of settings by name. */
export type SettingDeclarations = Readonly<Record<string, Setting<unknown>>>;

/** The values of a declaration of settings. */
export type SettingValues<D extends SettingDeclarations> = { readonly [K in keyof D]: SettingValue<D[K]> };

interface Described<T> {
  readonly default: T;
  readonly reason: string;
  readonly env?: string;
}

/** A whole number from `min` to `max`; `divides`, when given, must be a multiple of it. */
export function wholeNumber(
  o: Described<number> & {
    readonly min: number;
    readonly max: number;
    readonly divides?: { readonly total: number; readonly why: string };
  },
): Setting<number> {
  return {
    ...o,
    problem: (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < o.min || v > o.max)
        return `must be a whole number from ${o.min} to ${o.max}`;
      return o.divides && o.divides.total % v !== 0 ? `must divide ${o.divides.why}` : undefined;
    },
    parse: (text) => (text.trim() === '' ? text : Number(text)),
    text: String,
  };
}

/** One of `choices`. */
export function oneOf<T extends string>(o: Described<T> & { readonly choices: readonly T[] }): Setting<T> {
  const listed = o.choices.length > 1 ? `${o.choices.slice(0, -1).join(', ')} or ${o.choices.at(-1)}` : String(o.choices[0]);
  return {
    ...o,
    problem: (v) => ((o.choices as readonly unknown[]).includes(v) ? undefined : `must be ${listed}`),
    parse: (text) => text.trim(),
    text: (v) => v,
  };
}

/** `true` or `false`. */
export function yesOrNo(o: Described<boolean>): Setting<boolean> {
  return {
    ...o,
    problem: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
    parse: (text) => (text.trim() === 'true' ? true : text.trim() === 'false' ? false : text),
    text: String,
  };
}

/** A list of host names, written as text separated by commas; kept lower-case. */
export function hostList(o: Described<readonly string[]>): Setting<readonly string[]> {
  return {
    ...o,
    problem: (v) =>
      Array.isArray(v) && v.every((h) => typeof h === 'string' && /^[a-z0-9.-]+$/.test(h))
        ? undefined
        : 'must be host names (letters, digits, dots and dashes)',
    parse: (text) =>
      text
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ''),
    text: (v) => v.join(','),
  };
}

/** A list of short texts (no commas), written separated by commas; blanks around each are dropped, case is kept. */
export function textList(o: Described<readonly string[]> & { readonly what: string }): Setting<readonly string[]> {
  return {
    ...o,
    problem: (v) =>
      Array.isArray(v) && v.every((t) => typeof t === 'string' && t !== '' && !t.includes(','))
        ? undefined
        : `must be ${o.what}, separated by commas`,
    parse: (text) =>
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    text: (v) => v.join(','),
  };
}

/** A list of some of `choices`, written separated by commas; none by default unless said. */
export function choiceList<T extends string>(o: Described<readonly T[]> & { readonly choices: readonly T[] }): Setting<readonly T[]> {
  return {
    ...o,
    problem: (v) =>
      Array.isArray(v) && v.every((c) => (o.choices as readonly unknown[]).includes(c))
        ? undefined
        : `must be some of ${o.choices.join(', ')}, separated by commas`,
    parse: (text) =>
      text
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    text: (v) => v.join(','),
  };
}

/**
 * The values of `declarations` in `env` (the defaults for variables unset or blank); `fail` makes the error,
 * given the variable and a message that names it, the value seen and what is allowed.
 */
export function readVariables<D extends SettingDeclarations>(
  env: Readonly<Record<string, string | undefined>>,
  declarations: D,
  fail: (variable: string, message: string) => Error,
): SettingValues<D> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(declarations)) {
    const raw = setting.env === undefined ? undefined : env[setting.env];
    if (raw === undefined || raw.trim() === '') {
      values[key] = setting.default;
      continue;
    }
    const value = setting.parse(raw);
    const problem = setting.problem(value);
    if (problem !== undefined) throw fail(setting.env!, `${setting.env} ${problem}; got ${JSON.stringify(raw)}`);
    values[key] = value;
  }
  return values as SettingValues<D>;
}

/** The environment variables that carry `values` of the settings in `declarations` that a function reads. */
export function environmentOf<D extends SettingDeclarations>(declarations: D, values: SettingValues<D>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, setting] of Object.entries(declarations)) if (setting.env !== undefined) env[setting.env] = setting.text(values[key]);
  return env;
}

/** The defaults of a declaration of settings. */
export function defaultsOf<D extends SettingDeclarations>(declarations: D): SettingValues<D> {
  return Object.fromEntries(Object.entries(declarations).map(([key, setting]) => [key, setting.default])) as SettingValues<D>;
}
