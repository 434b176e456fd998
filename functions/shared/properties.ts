/** Bounds on the free-form `properties` object: entries, depth, key length, string length, unsafe keys. */
import { LIMITS, UNSAFE_KEYS } from './event-contract';
import type { EventProperties } from './event-contract';
import { preview, refuse, withheld } from './reasons';
import type { Refusal } from './reasons';

/** Refusal for the first bound that `properties` breaks, or undefined when it is within them. */
export function checkProperties(value: unknown): Refusal | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('wrong_type', 'properties', 'a JSON object', withheld(value));
  }
  const budget = { entries: 0 };
  return walk(value, 'properties', 1, budget);
}

/** Narrows a checked `properties` value to its type. */
export function asProperties(value: unknown): EventProperties | undefined {
  return value === null || value === undefined ? undefined : (value as EventProperties);
}

function walk(node: object, path: string, depth: number, budget: { entries: number }): Refusal | undefined {
  if (depth > LIMITS.propertyDepth) {
    return refuse('too_deep', path, `nesting of at most ${LIMITS.propertyDepth} levels in properties`, `level ${depth}`);
  }
  const isArray = Array.isArray(node);
  for (const key of Object.keys(node)) {
    budget.entries += 1;
    if (budget.entries > LIMITS.propertyEntries) {
      return refuse('too_many_properties', 'properties', `at most ${LIMITS.propertyEntries} entries at all depths`, 'more');
    }
    if (!isArray) {
      if (!key.isWellFormed()) return refuse('invalid_value', path, 'keys of well-formed Unicode text', 'a key with a lone surrogate');
      if (UNSAFE_KEYS.has(key))
        return refuse('unsafe_key', childPath(path, key, isArray), 'a key other than __proto__, constructor or prototype', preview(key));
      if (key.length > LIMITS.propertyKey)
        return refuse('too_long', path, `keys of at most ${LIMITS.propertyKey} chars`, `a key of ${key.length} chars (withheld)`);
    }
    const v: unknown = (node as Record<string, unknown>)[key];
    if (typeof v === 'string') {
      if (v.length > LIMITS.propertyString)
        return refuse('too_long', childPath(path, key, isArray), `a string of at most ${LIMITS.propertyString} chars`, withheld(v));
      if (!v.isWellFormed())
        return refuse('invalid_value', childPath(path, key, isArray), 'well-formed Unicode text', 'a string with a lone surrogate');
    }
    if (typeof v === 'number' && !Number.isFinite(v))
      return refuse('invalid_value', childPath(path, key, isArray), 'a finite number', 'a non-finite number');
    if (typeof v === 'object' && v !== null) {
      const refusal = walk(v, childPath(path, key, isArray), depth + 1, budget);
      if (refusal) return refusal;
    }
  }
  return undefined;
}

/** The path of an entry, built only when it is needed: a refusal or a nested object, not for every entry. */
function childPath(path: string, key: string, isArray: boolean): string {
  return isArray ? `${path}[${key}]` : `${path}.${key}`;
}
