import { exportSession } from '../../../local/commands/export';
import { recordPosition } from '../../../functions/session-processor/model';
import { applyUserEvents, emptyState } from '../../../functions/session-processor/sessionize';
import { validateRecord } from '../../../functions/shared/validate-event';
import { T0, producerEvent } from '../../helpers/events';
import { BOUNDS, RULES } from '../../helpers/positioned';

describe('clickstream export sessions', () => {
  it("exports the UTM source, medium and campaign of the session's first event", () => {
    const v = validateRecord(
      Buffer.from(JSON.stringify(producerEvent({ url: 'https://shop.example.com/?utm_source=news&utm_medium=email&utm_campaign=winter' }))),
      T0 + 1000,
      BOUNDS,
    );
    if (!v.ok) throw new Error('the test event must be valid');
    const result = applyUserEvents(
      emptyState('user-1'),
      'shard',
      [{ position: recordPosition('1', 0), sequenceNumber: '1', event: v.event }],
      RULES,
    );
    const session = result.state.currentSession;
    expect(session).toBeDefined();
    expect(exportSession(session!)).toMatchObject({ utm_source: 'news', utm_medium: 'email', utm_campaign: 'winter' });
  });

  it("prints the session's GA4 channel, source, medium and campaign in snake_case fields", () => {
    const v = validateRecord(
      Buffer.from(JSON.stringify(producerEvent({ url: 'https://shop.example.com/?utm_source=news&utm_medium=email&utm_campaign=winter' }))),
      T0 + 1000,
      BOUNDS,
    );
    if (!v.ok) throw new Error('the test event must be valid');
    const { state } = applyUserEvents(emptyState('user-1'), 'shard', [{ position: 1n, sequenceNumber: '1', event: v.event }], RULES);
    const row = exportSession(state.currentSession!);
    expect(row).toMatchObject({ channel: 'email', source: 'news', medium: 'email', campaign: 'winter' });
    expect(Object.keys(row)).toEqual(expect.arrayContaining(['channel', 'source', 'medium', 'campaign']));
  });

  it('prints null channel, source and medium for a session stored before sessions had them', () => {
    const v = validateRecord(Buffer.from(JSON.stringify(producerEvent({}))), T0 + 1000, BOUNDS);
    if (!v.ok) throw new Error('the test event must be valid');
    const { state } = applyUserEvents(emptyState('user-1'), 'shard', [{ position: 1n, sequenceNumber: '1', event: v.event }], RULES);
    const old = { ...state.currentSession!, channel: undefined, source: undefined, medium: undefined, campaign: undefined };
    expect(exportSession(old)).toMatchObject({ channel: null, source: null, medium: null, campaign: null });
  });
});
