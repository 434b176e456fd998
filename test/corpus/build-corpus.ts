/**
 * Writes test/corpus/hostile.json: the nasty records the reliability tests feed to both handlers, as
 * base64 so that invalid UTF-8 and binary survive. Run with `npx tsx test/corpus/build-corpus.ts`.
 * The 1 MB record is not stored: the tests build it (`{"generate":"1mb"}`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregate } from '../../local/producer/kpl-aggregate';

const T = Date.parse('2026-11-27T10:00:00Z');
const valid = { userId: 'u1', eventType: 'page_view', timestamp: T, url: 'https://a.example/x' };
const j = (v: unknown) => Buffer.from(JSON.stringify(v));
const s = (v: string) => Buffer.from(v, 'utf8');
let deep: unknown = 1;
for (let i = 0; i < 200; i += 1) deep = { d: deep };
const [agg] = aggregate([{ partitionKey: 'u1', data: j(valid) }, { partitionKey: 'u2', data: j({ ...valid, userId: 'u2' }) }]);
const badAgg = Buffer.from(agg!.data);
badAgg.writeUInt8(badAgg.readUInt8(badAgg.length - 3) ^ 0x5a, badAgg.length - 3);

const cases: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['binary', Buffer.from([0, 1, 2, 3, 255, 254, 253, 0, 10, 13])],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x75, 0xc3, 0x28, 0x22, 0x7d])],
  ['truncated JSON', s(JSON.stringify(valid).slice(0, 25))],
  ['JSON array', j([valid])],
  ['JSON null', s('null')],
  ['JSON number', s('12345')],
  ['huge string', j({ ...valid, userAgent: 'A'.repeat(30_000) })],
  ['deep nesting', j({ ...valid, properties: deep })],
  ['__proto__ top level', s('{"__proto__":{"polluted":true},"userId":"u","eventType":"click","timestamp":1,"url":"x:/"}')],
  ['__proto__ nested', s(`{"userId":"u","eventType":"click","timestamp":${T},"url":"x:/","properties":{"a":{"__proto__":{"polluted":true}}}}`)],
  ['constructor key', s(`{"userId":"u","eventType":"click","timestamp":${T},"url":"x:/","properties":{"constructor":{"prototype":1}}}`)],
  ['wrong types', j({ userId: 5, eventType: ['click'], timestamp: {}, url: false })],
  ['NaN timestamp', s(`{"userId":"u","eventType":"click","timestamp":NaN,"url":"x:/"}`)],
  ['Infinity timestamp', s(`{"userId":"u","eventType":"click","timestamp":1e999,"url":"x:/"}`)],
  ['far-future timestamp', j({ ...valid, timestamp: '2999-01-01T00:00:00Z' })],
  ['ancient timestamp', j({ ...valid, timestamp: 1 })],
  ['impossible date', j({ ...valid, timestamp: '2026-02-30T10:00:00Z' })],
  ['lone surrogate', s(`{"userId":"\\udead","eventType":"click","timestamp":${T},"url":"x:/"}`)],
  ['control characters', j({ ...valid, userId: 'u\u0000\u001b[31m\n{"forged":1}' })],
  ['many properties', j({ ...valid, properties: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])) })],
  ['KPL aggregate with a bad checksum', badAgg],
  ['KPL magic only', Buffer.from([0xf3, 0x89, 0x9a, 0xc2])],
  ['valid event', j(valid)],
  ['valid KPL aggregate', agg!.data],
];

writeFileSync(
  join(__dirname, 'hostile.json'),
  `${JSON.stringify([...cases.map(([name, bytes]) => ({ name, base64: bytes.toString('base64') })), { name: '1 MB record', generate: '1mb' }], null, 1)}\n`,
);
