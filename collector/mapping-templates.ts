/**
 * The API Gateway mapping templates (VTL) of `POST /collect`, declared once: the stack deploys them and the
 * local collector evaluates the very same text (velocityjs), so both put the same records on the stream.
 *
 * Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * `$util.escapeJavaScript` escapes `'` as `\'`, which JSON does not allow; the reference's own remedy,
 * `.replaceAll("\\'","'")`, follows each use.
 */
import { LIMITS } from '../functions/shared/event-contract';
import { MAX_EVENTS_PER_REQUEST } from './protocol';

const BAD_BODY = `send one event with a userId, or {\\"events\\": [1 to ${MAX_EVENTS_PER_REQUEST} events, each with a userId]}`;

/** `$util.escapeJavaScript` made JSON-safe. */
const jsonText = (ref: string): string => `$util.escapeJavaScript(${ref}).replaceAll("\\\\'","'")`;

/**
 * The integration request: one PutRecords record per event, the user id as partition key. The collector owns
 * `ip` (`$context.identity.sourceIp`), `userAgent` (the request's User-Agent, cut to the contract's bound) and
 * `receivedAt` (`$context.requestTimeEpoch`, epoch ms); a batch's `sentAt` goes into each of its events. They
 * are written after the event's own fields, and JSON parsers (the functions') keep the last of equal keys,
 * so what a client sends in their place is overruled.
 */
export function putRecordsTemplate(streamName: string): string {
  return `#set($q = '"')
#set($ua = "$!context.identity.userAgent")
#if($ua.length() > ${LIMITS.userAgent})#set($ua = $ua.substring(0, ${LIMITS.userAgent}))#end
#if($ua == "")#set($uaJson = "null")#else#set($uaText = ${jsonText('$ua')})#set($uaJson = "$q$uaText$q")#end
#set($owned = ",\${q}ip\${q}:\${q}$context.identity.sourceIp\${q},\${q}userAgent\${q}:$uaJson,\${q}receivedAt\${q}:$context.requestTimeEpoch")
#set($batch = $input.path('$.events'))
#if("$!batch" == "")
#set($last = 0)
#set($sent = "")
#else
#set($last = $batch.size() - 1)
#set($sentAt = $input.path('$.sentAt'))
#if("$!sentAt" == "")#set($sent = "")#else#set($sentJson = $input.json('$.sentAt'))#set($sent = ",\${q}sentAt\${q}:$sentJson")#end
#end
{"StreamName":"${streamName}","Records":[
#foreach($i in [0..$last])
#if("$!batch" == "")#set($path = '$')#else#set($path = "$.events[$i]")#end
#set($event = $input.json($path))
#set($cut = $event.lastIndexOf('}'))
#set($head = $event.substring(0, $cut))
#set($record = "$head$owned$sent}")
#set($key = $input.path("\${path}.userId"))
{"PartitionKey":"${jsonText('$key')}","Data":"$util.base64Encode($record)"}#if($foreach.hasNext),#end
#end
]}
`;
}

/**
 * Sets `Access-Control-Allow-Origin` to the request's Origin when it is one of `allowedOrigins` (none: no
 * header, so no other site's script may read the answer), as the CDK's own CORS preflight template does.
 */
function allowOrigin(allowedOrigins: readonly string[]): string {
  if (allowedOrigins.length === 0) return '';
  const test = allowedOrigins.map((o) => `$origin == "${o}"`).join(' || ');
  // Header names are matched as written, and HTTP/2 clients write them in lower case: the CDK's template looks for both.
  return `#set($origin = "$!input.params().header.get('Origin')")
#if($origin == "")#set($origin = "$!input.params().header.get('origin')")#end
#set($context.responseOverride.header.Vary = "Origin")
#if(${test})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end
`;
}

/** The answer to a PutRecords response: how many events Kinesis took, and which it refused (to send again). */
export function acceptedTemplate(allowedOrigins: readonly string[]): string {
  return `${allowOrigin(allowedOrigins)}#set($records = $input.path('$.Records'))
#set($failed = $input.path('$.FailedRecordCount'))
#set($accepted = $records.size() - $failed)
#set($sep = "")
{"accepted":$accepted,"failed":$failed,"failedIndexes":[#foreach($r in $records)#if("$!r.ErrorCode" != "")$sep$foreach.index#set($sep = ",")#end#end]}
`;
}

/**
 * Kinesis errors PutRecords answers with HTTP 400 although nothing is wrong with the request: throttling and a
 * stream being updated. They are answered 503, so that the client sends the events again later.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html (Errors)
 */
export const RETRYABLE_KINESIS_ERRORS = [
  'ProvisionedThroughputExceededException',
  'KMSThrottlingException',
  'LimitExceededException',
  'ResourceInUseException',
] as const;

/**
 * The answer when Kinesis refused the whole request (4xx: too large, malformed; the client should not repeat
 * it), or 503 for {@link RETRYABLE_KINESIS_ERRORS}.
 */
export function refusedTemplate(allowedOrigins: readonly string[]): string {
  const retryable = RETRYABLE_KINESIS_ERRORS.map((t) => `$type == "${t}"`).join(' || ');
  return `${allowOrigin(allowedOrigins)}#set($type = "$!input.path('$.__type')")
#set($why = "$!input.path('$.message')")
#if(${retryable})#set($context.responseOverride.status = 503)#set($again = "; nothing was stored, send the events again later")#else#set($again = "")#end
{"message":"the stream refused the request: ${jsonText('$type')}: ${jsonText('$why')}$again"}
`;
}

/** The answer when Kinesis failed (5xx): nothing was stored; the client sends again later. */
export function unavailableTemplate(allowedOrigins: readonly string[]): string {
  return `${allowOrigin(allowedOrigins)}{"message":"the stream is unavailable; nothing was stored, send the events again later"}
`;
}

/** Integration responses by Kinesis status: a regular expression on the status and the method's status. */
export const INTEGRATION_RESPONSES = [
  { selectionPattern: undefined, statusCode: '200', template: acceptedTemplate },
  { selectionPattern: '4\\d{2}', statusCode: '400', template: refusedTemplate },
  { selectionPattern: '5\\d{2}', statusCode: '503', template: unavailableTemplate },
] as const;

/**
 * `Access-Control-Allow-Origin` of API Gateway's own refusals once any origin is allowed. Gateway responses
 * take only fixed or request-mapped values, not a check of the Origin; their bodies are fixed texts, so any
 * origin may read them. Without it a browser sees a 429 or 400 as no answer at all.
 */
export const GATEWAY_RESPONSE_ALLOW_ORIGIN = '*';

/**
 * API Gateway's own refusals (gateway responses), each answered as `{"message": …}` like the others. Types:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
export const GATEWAY_RESPONSES = {
  // Gateway response templates take plain substitution only, no VTL, so the model's own description is the message:
  // API Gateway's validation detail may hold quotes that would break the JSON.
  BAD_REQUEST_BODY: { statusCode: '400', template: `{"message":"the request body is not valid: ${BAD_BODY}"}` },
  UNSUPPORTED_MEDIA_TYPE: {
    statusCode: '415',
    template: '{"message":"send the body as JSON, with Content-Type application/json or text/plain"}',
  },
  REQUEST_TOO_LARGE: { statusCode: '413', template: '{"message":"the request body is larger than API Gateway\'s 10 MB"}' },
  THROTTLED: { statusCode: '429', template: '{"message":"too many requests; send again later"}' },
  WAF_FILTERED: { statusCode: '403', template: '{"message":"refused by the rate limit; send again later"}' },
} as const;
