/** The local runtime gives each function the very variables the stack sets on the deployed one. */
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { USER_ID_KEY_SECRET_ARN } from '../../functions/shared/pseudonym';
import { localFunctionEnvironments } from '../../local/runtime/pipeline';
import { DEFAULT_CONFIG } from '../../stacks/config';
import type { ClickstreamConfig } from '../../stacks/config';
import { template } from '../helpers/stack';

/** Variables the Lambda runtime reads (Powertools, Node), which the local runtime sets by other means. */
const LAMBDA_RUNTIME_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'NODE_OPTIONS'];

function deployed(t: Template, suffix: string): Record<string, unknown> {
  const functions = Object.values(
    t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp(`${suffix}$`) } }),
  );
  expect(functions).toHaveLength(1);
  const variables = (functions[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment
    .Variables;
  return Object.fromEntries(Object.entries(variables).filter(([name]) => !LAMBDA_RUNTIME_VARIABLES.includes(name)));
}

describe.each<[string, Partial<ClickstreamConfig>]>([
  ['the default settings', {}],
  [
    'settings that differ from every default',
    {
      sessionTimeoutMinutes: 45,
      metricsWindowMinutes: 15,
      sessionTtlDays: 3,
      metricsTtlDays: 30,
      maxEventAgeHours: 24,
      journeyMaxPages: 80,
      sessionMaxEvents: 2000,
      sessionMaxHours: 24,
      ipMode: 'omit',
      dropBots: ['search_crawler', 'no_user_agent'],
      ownAppUserAgents: ['ShopApp/'],
      internalHosts: ['shop.example.com', 'www.example.com'],
      userIdMode: 'hash',
    },
  ],
])('with %s', (_name, config) => {
  const t = template(config);
  const local = localFunctionEnvironments({ ...DEFAULT_CONFIG, ...config });
  // The user-id key is the stack's secret there (named by this variable) and the data directory's key file here,
  // which the local runtime hands to the handlers through their overrides.
  const withoutKeySource = (env: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(env).filter(([name]) => name !== USER_ID_KEY_SECRET_ARN));

  it('passes the session-processor every variable the stack sets, with the same setting values', () => {
    const stack = withoutKeySource(deployed(t, 'session-processor'));
    expect(Object.keys(local.sessionProcessor).sort()).toEqual(Object.keys(stack).sort());
    // The table names are the stack's tables there and the local tables here; every other value is a setting.
    const settings = Object.entries(stack).filter(([name]) => name !== 'SESSIONS_TABLE' && name !== 'METRICS_TABLE');
    expect(settings.length).toBeGreaterThan(0);
    expect(local.sessionProcessor).toMatchObject(Object.fromEntries(settings));
  });

  it('passes the firehose-transform every variable the stack sets, with the same values', () => {
    expect(local.firehoseTransform).toEqual(withoutKeySource(deployed(t, 'firehose-transform')));
  });
});

describe('the settings the functions read', () => {
  it('reach the deployed functions, the session bounds and internal hosts (in both functions) included', () => {
    const t = template({ sessionMaxEvents: 2000, sessionMaxHours: 24, internalHosts: ['shop.example.com'] });
    expect(deployed(t, 'session-processor')).toMatchObject({
      SESSION_MAX_EVENTS: '2000',
      SESSION_MAX_HOURS: '24',
      INTERNAL_HOSTS: 'shop.example.com',
    });
    expect(deployed(t, 'firehose-transform')).toMatchObject({ INTERNAL_HOSTS: 'shop.example.com' });
  });

  it('are refused out of range by the stack, naming the setting', () => {
    expect(() => template({ sessionMaxEvents: 5001 })).toThrow(
      'clickstream.sessionMaxEvents must be a whole number from 10 to 5000; got 5001',
    );
    expect(() => template({ sessionMaxHours: 0 })).toThrow('clickstream.sessionMaxHours must be a whole number from 1 to 48; got 0');
    expect(() => template({ internalHosts: ['not a host'] })).toThrow(/clickstream.internalHosts must be host names/);
  });
});
