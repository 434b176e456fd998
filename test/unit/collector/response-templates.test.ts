/** The deployed integration response templates, evaluated as API Gateway evaluates them (velocityjs). */
import { acceptedTemplate, refusedTemplate } from '../../../collector/mapping-templates';
import { evaluateTemplate } from '../../../local/aws/api-gateway/vtl';

const request = (body: unknown, origin?: string) => ({
  body: JSON.stringify(body),
  headers: origin === undefined ? {} : { origin },
  sourceIp: '203.0.113.7',
  requestTimeEpoch: 1,
});

describe('the response templates', () => {
  it('count what Kinesis took and name the positions it refused', () => {
    const kinesis = {
      FailedRecordCount: 1,
      Records: [{ SequenceNumber: '1', ShardId: 's' }, { ErrorCode: 'ProvisionedThroughputExceededException' }],
    };
    const out = evaluateTemplate(acceptedTemplate([]), request(kinesis));
    expect(JSON.parse(out.text)).toEqual({ accepted: 1, failed: 1, failedIndexes: [1] });
    expect(out.headers).toEqual({});
  });

  it('let an allowed origin read the answer, and no other', () => {
    const kinesis = { FailedRecordCount: 0, Records: [] };
    const allowed = evaluateTemplate(acceptedTemplate(['https://shop.example']), request(kinesis, 'https://shop.example'));
    expect(allowed.headers).toEqual({ 'Access-Control-Allow-Origin': 'https://shop.example', Vary: 'Origin' });
    const other = evaluateTemplate(acceptedTemplate(['https://shop.example']), request(kinesis, 'https://evil.example'));
    expect(other.headers).toEqual({ Vary: 'Origin' });
  });

  it('answer a throttled request 503, to be sent again, and a malformed one with its own status', () => {
    const throttled = evaluateTemplate(
      refusedTemplate([]),
      request({ __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' }),
    );
    expect(throttled.status).toBe(503);
    expect(JSON.parse(throttled.text)).toEqual({
      message:
        'the stream refused the request: ProvisionedThroughputExceededException: Rate exceeded; nothing was stored, send the events again later',
    });
    const invalid = evaluateTemplate(refusedTemplate([]), request({ __type: 'ValidationException', message: 'Records too large' }));
    expect(invalid.status).toBeUndefined();
    expect(JSON.parse(invalid.text)).toEqual({ message: 'the stream refused the request: ValidationException: Records too large' });
  });
});
