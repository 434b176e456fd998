/**
 * The JSON-schema model API Gateway validates a request body against before it reaches Kinesis (draft 4,
 * which API Gateway models use: https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html).
 *
 * It refuses only what can never become a record: a body that is not one event or a batch of 1–500, and an
 * event without a user id, which is the record's partition key (1–256 characters, as Kinesis requires). All
 * else is judged downstream by the event contract, where a refused event is kept with its reason and
 * counted, rather than lost at the door with the rest of its batch.
 */
import { MAX_EVENTS_PER_REQUEST } from './protocol';

/** The largest partition key Kinesis takes, and the contract's bound on `userId`. */
const PARTITION_KEY_CHARS = 256;

const eventWithUserId = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', minLength: 1, maxLength: PARTITION_KEY_CHARS } },
} as const;

/** The request model, as API Gateway's `Model.schema` and the local collector's validator take it. */
export const COLLECT_REQUEST_MODEL = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'CollectRequest',
  description: `One event, or {"events": [...]} with 1 to ${MAX_EVENTS_PER_REQUEST} events; every event needs a userId`,
  type: 'object',
  anyOf: [
    {
      required: ['events'],
      properties: {
        events: { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST, items: eventWithUserId },
        sentAt: { type: ['number', 'string'] },
      },
    },
    { ...eventWithUserId, not: { required: ['events'] } },
  ],
} as const;
