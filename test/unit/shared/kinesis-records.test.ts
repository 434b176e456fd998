import { isAggregate, unpackRecord } from '../../../functions/shared/kinesis-records';
import { aggregate } from '../../../local/producer/kpl-aggregate';
import { kinesisRecord, producerEvent } from '../../helpers/events';

const payload = (i: number) => Buffer.from(JSON.stringify(producerEvent({ userId: `user-${i}` })));

describe('unpackRecord', () => {
  it('passes a plain record through with sub-sequence number 0', () => {
    const record = kinesisRecord(producerEvent(), { index: 3 });
    const unpacked = unpackRecord(record.kinesis);
    expect(unpacked.ok && unpacked.records.map((r) => [r.sequenceNumber, r.subSequenceNumber])).toEqual([
      [record.kinesis.sequenceNumber, 0],
    ]);
  });

  it('de-aggregates a KPL record into its user records, in order', () => {
    const [packed] = aggregate([0, 1, 2].map((i) => ({ partitionKey: `user-${i}`, data: payload(i) })));
    expect(isAggregate(packed!.data)).toBe(true);
    const unpacked = unpackRecord(kinesisRecord(packed!.data, { index: 1 }).kinesis);
    if (!unpacked.ok) throw new Error(unpacked.refusal.message);
    expect(unpacked.records.map((r) => r.subSequenceNumber)).toEqual([0, 1, 2]);
    expect(unpacked.records.map((r) => r.payload.toString())).toEqual([0, 1, 2].map((i) => payload(i).toString()));
    expect(unpacked.records.map((r) => r.partitionKey)).toEqual(['user-0', 'user-1', 'user-2']);
  });

  it('refuses an aggregate whose checksum is wrong instead of throwing', () => {
    const [packed] = aggregate([{ partitionKey: 'p', data: payload(0) }]);
    const corrupt = Buffer.from(packed!.data);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
    const unpacked = unpackRecord(kinesisRecord(corrupt, { index: 1 }).kinesis);
    expect(!unpacked.ok && unpacked.refusal.reason).toBe('invalid_aggregate');
  });

  it('refuses bytes that carry the KPL header but no protobuf body', () => {
    const bogus = Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), Buffer.from('not protobuf at all, but long enough')]);
    const unpacked = unpackRecord(kinesisRecord(bogus, { index: 1 }).kinesis);
    expect(!unpacked.ok && unpacked.refusal.reason).toBe('invalid_aggregate');
  });
});
