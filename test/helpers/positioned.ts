/** Valid events with shard positions, built through the real validator so that tests use real eventIds. */
import { recordPosition } from '../../functions/session-processor/model';
import type { PositionedEvent } from '../../functions/session-processor/model';
import type { SessionRules } from '../../functions/session-processor/sessionize';
import { validateRecord } from '../../functions/shared/validate-event';
import { MINUTE, producerEvent, sequenceNumber } from './events';

export const RULES: SessionRules = {
  timeoutMs: 30 * MINUTE,
  windowMs: 5 * MINUTE,
  journeyMaxPages: 50,
  maxSessionEvents: 1000,
  maxSessionMs: 12 * 60 * MINUTE,
  internalHosts: new Set(),
};
export const BOUNDS = { maxAgeMs: 72 * 60 * MINUTE, maxFutureMs: 5 * MINUTE };

/** A positioned event at shard index `index`, from producer-event overrides. */
export function positioned(index: number, overrides: Record<string, unknown> = {}): PositionedEvent {
  const payload = Buffer.from(JSON.stringify(producerEvent(overrides)));
  const ts =
    typeof overrides['timestamp'] === 'number' ? overrides['timestamp'] : Date.parse(String(producerEvent(overrides)['timestamp']));
  const result = validateRecord(payload, ts, BOUNDS);
  if (!result.ok) throw new Error(`test event is invalid: ${result.refusal.message}`);
  const seq = sequenceNumber(index);
  return { position: recordPosition(seq, 0), sequenceNumber: seq, event: result.event };
}
