/** SDK clients for the local emulators, or for real AWS when no endpoint is given. */
import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The emulators accept any credentials; these make it plain that nothing reaches AWS. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

function localHandler(): NodeHttpHandler {
  return new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) });
}

/**
 * A Kinesis client. Against an endpoint it speaks HTTP/1.1 (the SDK's default HTTP/2 handler fails against
 * the emulator with a protocol error); without one it is the SDK's default client for real AWS.
 */
export function kinesisClient(endpoint: string | undefined, region?: string): KinesisClient {
  if (!endpoint) return new KinesisClient(region ? { region } : {});
  return new KinesisClient({ endpoint, region: region ?? LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: localHandler() });
}

export function dynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: localHandler() });
}
