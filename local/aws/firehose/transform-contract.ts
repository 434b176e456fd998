/** Firehose's contract for a transform's answer, as Firehose checks it before taking the answer. */
import type { FirehoseTransformationEventRecord, FirehoseTransformationResult } from 'aws-lambda';

/** Why a transform answer breaks Firehose's contract, as `code: message`, or undefined when it keeps it. */
export function contractViolation(
  records: readonly FirehoseTransformationEventRecord[],
  result: FirehoseTransformationResult | undefined,
): string | undefined {
  if (!result || !Array.isArray(result.records)) return 'Lambda.InvalidResponse: the response has no records array';
  const expected = new Set(records.map((r) => r.recordId));
  const seen = new Set<string>();
  for (const answer of result.records) {
    if (!expected.has(answer?.recordId))
      return `Lambda.InvalidRecordId: recordId ${JSON.stringify(answer?.recordId)?.slice(0, 80)} was not in the request`;
    if (seen.has(answer.recordId)) return `Lambda.DuplicatedRecordId: recordId ${answer.recordId} answered twice`;
    seen.add(answer.recordId);
    if (answer.result !== 'Ok' && answer.result !== 'Dropped' && answer.result !== 'ProcessingFailed')
      return `Lambda.InvalidResult: result ${JSON.stringify(answer.result)} for ${answer.recordId}`;
    if (typeof answer.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(answer.data))
      return `Lambda.InvalidData: data of ${answer.recordId} is not base64`;
  }
  if (seen.size !== expected.size) return `Lambda.MissingRecordId: ${expected.size - seen.size} recordIds were not answered`;
  return undefined;
}
