/**
 * The check both functions ship (event-contract.validator.ts, generated) against the arktype declaration it is
 * generated from (event-contract.schema.ts): for every input, the same issues in the same order, so the same
 * refusal. Inputs: events near the contract's bounds in UTF-16 units (astral characters count twice, where
 * JSON Schema's maxLength counts code points), lone surrogates and NULs, wrong types, nulls, missing fields,
 * unknown and prototype-like keys (as JSON.parse makes them: own keys), several issues at once, and values no
 * JSON carries (NaN, undefined, symbols, functions, boxed values, null prototypes).
 */
import { type } from 'arktype';
import fc from 'fast-check';
import { EVENT_TYPES, LIMITS } from '../../../functions/shared/event-contract';
import type { SchemaIssue } from '../../../functions/shared/event-contract';
import { producerEvent } from '../../../functions/shared/event-contract.schema';
import { isProducerEvent } from '../../../functions/shared/event-contract.validator';
import { schemaRefusal } from '../../../functions/shared/validate-event';

function arktypeIssues(data: unknown): SchemaIssue[] {
  const out = producerEvent(data);
  return out instanceof type.errors ? out.map((e) => ({ code: e.code, path: [...e.path], expected: e.expected })) : [];
}

function shippedIssues(data: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const accepted = isProducerEvent(data, issues);
  expect(accepted).toBe(issues.length === 0);
  return issues;
}

/** One UTF-16 piece of text: ASCII, NUL, other BMP, astral (two units) or a lone surrogate. */
const piece = fc.oneof(
  fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '\u0000', '\n'),
  fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

/** Text of `length` UTF-16 units (an astral character cut at the end leaves a lone surrogate). */
const textOf = (length: number) =>
  fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => {
    let s = '';
    for (let i = 0; s.length < length; i += 1) s += pieces[i % pieces.length]!;
    return s.slice(0, length);
  });

/** Text one or two units either side of a bound, or on it. */
const around = (bound: number) => fc.integer({ min: Math.max(0, bound - 2), max: bound + 2 }).chain(textOf);

const STRING_BOUNDS: Readonly<Record<string, number>> = {
  userId: LIMITS.userId,
  sessionId: LIMITS.sessionId,
  eventName: LIMITS.eventName,
  url: LIMITS.url,
  referrer: LIMITS.referrer,
  userAgent: LIMITS.userAgent,
  ip: LIMITS.ip,
  eventId: LIMITS.eventId,
  timestamp: LIMITS.timestampText,
  sentAt: LIMITS.timestampText,
  receivedAt: LIMITS.timestampText,
};

/** Values of any JSON type, and some that JSON cannot carry. */
const otherValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1.5, -1, 1e21, Infinity, -Infinity, NaN, undefined, '', [], {}, ['x']),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 8 }),
);

const REQUIRED: ReadonlySet<string> = new Set(['userId', 'eventType', 'timestamp', 'url']);
const TIMES: ReadonlySet<string> = new Set(['timestamp', 'sentAt', 'receivedAt']);

/** A value the field takes: text within its bound, a number for a time, null for an optional field. */
function validValue(field: string): fc.Arbitrary<unknown> {
  const bound = STRING_BOUNDS[field];
  const options: Array<fc.Arbitrary<unknown>> = [];
  if (bound !== undefined) options.push(fc.integer({ min: REQUIRED.has(field) && !TIMES.has(field) ? 1 : 0, max: bound }).chain(textOf));
  if (TIMES.has(field)) options.push(fc.double(), fc.integer());
  if (field === 'eventType') options.push(fc.constantFrom(...EVENT_TYPES));
  if (field === 'properties')
    options.push(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), fc.constant([1]));
  if (!REQUIRED.has(field)) options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** A value the field may not take, or only just: the bound and a unit either side, near-miss names, any type. */
function edgeValue(field: string): fc.Arbitrary<unknown> {
  const bound = STRING_BOUNDS[field];
  const options: Array<fc.Arbitrary<unknown>> = [otherValue];
  if (bound !== undefined) options.push(around(bound), fc.constant(''));
  if (field === 'eventType') options.push(fc.constantFrom('Click', 'click ', 'purchase', ''));
  return fc.oneof(...options);
}

const FIELDS = [...Object.keys(STRING_BOUNDS), 'eventType', 'properties'];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', 'userid', 'properties '];

/** A contract field: missing (kept as undefined or left out), valid, or at or past an edge. */
const field = (name: string) =>
  fc
    .oneof(
      { weight: 8, arbitrary: validValue(name) },
      { weight: 2, arbitrary: edgeValue(name) },
      { weight: REQUIRED.has(name) ? 1 : 6, arbitrary: fc.constant(undefined) },
    )
    .map((v) => [name, v] as const);

/** Entries of an event in any order: the contract's fields, and now and then keys outside the contract. */
const entries = fc
  .tuple(
    fc.tuple(...FIELDS.map(field)),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 6 })), otherValue), {
          minLength: 1,
          maxLength: 3,
        }),
      },
    ),
    fc.boolean(),
  )
  .chain(([fields, extra, absentIsMissing]) => {
    // A field drawn as undefined is left out, or kept with the value undefined (JSON.stringify drops it).
    const all: Array<readonly [string, unknown]> = [...fields.filter(([, v]) => v !== undefined || !absentIsMissing), ...extra];
    return fc.shuffledSubarray(all, { minLength: all.length });
  });

/** The event as JSON.parse gives it: own keys (`__proto__` included), JSON values only. */
const parsedEvent = entries.map(
  (es) => JSON.parse(`{${es.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`) as unknown,
);

/** The event as an object built in code: undefined, NaN and the rest kept as they are; sometimes a symbol key. */
const builtEvent = fc.tuple(entries, fc.boolean()).map(([es, symbol]) => {
  const event: Record<PropertyKey, unknown> = Object.fromEntries(es);
  if (symbol) event[Symbol('tag')] = 1;
  return event;
});

const notAnEvent = fc.oneof(
  fc.anything({ withBoxedValues: true, withNullPrototype: true, withMap: true, withSet: true, withDate: true, withSparseArray: true }),
  fc.constant(() => 1),
);

describe('event-contract.validator.ts (generated) against the arktype declaration', () => {
  it('reports for every input the issues arktype reports, in the same order', () => {
    fc.assert(
      fc.property(fc.oneof(parsedEvent, builtEvent, notAnEvent), (data) => {
        expect(shippedIssues(data)).toEqual(arktypeIssues(data));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses every parsed event it refuses with the reason, field and message of arktype', () => {
    fc.assert(
      fc.property(parsedEvent, (data) => {
        const event = data as Record<string, unknown>;
        const shipped = shippedIssues(event);
        const arktype = arktypeIssues(event);
        expect(shipped.length > 0).toBe(arktype.length > 0);
        if (shipped.length > 0) expect(schemaRefusal(shipped, event)).toEqual(schemaRefusal(arktype, event));
      }),
      { numRuns: 3000 },
    );
  });
});
