import { loadConfig as transformConfig } from '../../../functions/firehose-transform/config';
import { loadConfig as processorConfig } from '../../../functions/session-processor/config';
import { ConfigError } from '../../../functions/session-processor/errors';

const TABLES = { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' };

describe('the functions read their settings from the variables the stack sets', () => {
  it('takes the default of a variable unset or blank', () => {
    const config = processorConfig({ ...TABLES, SESSION_MAX_EVENTS: ' ' });
    expect(config.rules).toMatchObject({ timeoutMs: 30 * 60_000, maxSessionEvents: 1000, maxSessionMs: 12 * 3_600_000 });
  });

  it('reads the session bounds', () => {
    expect(processorConfig({ ...TABLES, SESSION_MAX_EVENTS: '2000', SESSION_MAX_HOURS: '24' }).rules).toMatchObject({
      maxSessionEvents: 2000,
      maxSessionMs: 24 * 3_600_000,
    });
  });

  it('refuses a value out of range with a message naming the variable, the value and the range', () => {
    expect(() => processorConfig({ ...TABLES, SESSION_MAX_HOURS: '49' })).toThrow(
      new ConfigError('SESSION_MAX_HOURS', 'SESSION_MAX_HOURS must be a whole number from 1 to 48; got "49"'),
    );
    expect(() => processorConfig({ ...TABLES, METRICS_WINDOW_MINUTES: '7' })).toThrow(
      'METRICS_WINDOW_MINUTES must divide a day (1440 minutes), so that windows align; got "7"',
    );
    expect(() => transformConfig({ IP_MODE: 'hash' })).toThrow('IP_MODE must be anonymize, full or omit; got "hash"');
    expect(() => transformConfig({ DROP_BOTS: 'yes' })).toThrow(
      /^DROP_BOTS must be some of ai_assistant, .*, no_user_agent, separated by commas; got "yes"$/,
    );
  });

  it('reads the internal hosts as a comma-separated list, lower-cased', () => {
    expect([...transformConfig({ INTERNAL_HOSTS: 'Shop.Example.com, www.example.com,' }).internalHosts]).toEqual([
      'shop.example.com',
      'www.example.com',
    ]);
    expect(transformConfig({}).internalHosts.size).toBe(0);
  });
});
