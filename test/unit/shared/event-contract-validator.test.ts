/**
 * The validator both functions ship is generated from the arktype declaration: it must be exactly what the
 * generator writes from the declaration today, so that the declaration stays the one source of the contract.
 */
import { LIMITS } from '../../../functions/shared/event-contract';
import { validateRecord } from '../../../functions/shared/validate-event';
import { T0, producerEvent } from '../../helpers/events';
import { runGeneratorCheck } from '../../helpers/generator-check';

const bounds = { maxAgeMs: 72 * 3_600_000, maxFutureMs: 5 * 60_000 };
const refusalOf = (event: unknown) => {
  const out = validateRecord(Buffer.from(JSON.stringify(event)), T0 + 1000, bounds);
  if (out.ok) throw new Error('expected a refusal');
  return out.refusal;
};

describe('event-contract.validator.ts', () => {
  it('is byte for byte what npm run generate:validator writes from the declaration', () => {
    const run = runGeneratorCheck('tools/generate-validator.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('counts a string in UTF-16 units, as arktype does: astral characters count twice', () => {
    const astral = '\u{1F600}';
    const fits = Buffer.from(JSON.stringify(producerEvent({ userId: astral.repeat(LIMITS.userId / 2) })));
    expect(validateRecord(fits, T0 + 1000, bounds).ok).toBe(true);
    const refusal = refusalOf(producerEvent({ userId: astral.repeat(LIMITS.userId / 2 + 1) }));
    expect([refusal.reason, refusal.field]).toEqual(['too_long', 'userId']);
    expect(refusal.message).toMatch(/^userId: expected a string of at most length 256, got ".*" \(258 chars\)$/u);
  });

  it('refuses with the first issue and counts the others', () => {
    expect(refusalOf({ userId: 7, url: '', colour: 'red' })).toEqual({
      reason: 'missing_field',
      field: 'eventType',
      message: 'eventType: expected one of page_view, click, conversion, form_submit, video_play, scroll, got nothing (and 4 more issues)',
    });
  });
});
