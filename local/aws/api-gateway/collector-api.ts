/**
 * The collector API of the stack, modelled on loopback: API Gateway's `POST /collect` with its throttling,
 * content-type mapping, body limit, request model, the deployed mapping templates (evaluated by velocityjs)
 * and the Kinesis PutRecords integration, sent to the local stream. Same requests, same records, same answers.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { Ajv } from 'ajv';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLLECT_CONTENT_TYPES, COLLECT_PATH, MAX_BODY_BYTES } from '../../../collector/protocol';
import {
  GATEWAY_RESPONSE_ALLOW_ORIGIN,
  GATEWAY_RESPONSES,
  INTEGRATION_RESPONSES,
  putRecordsTemplate,
} from '../../../collector/mapping-templates';
import { COLLECT_REQUEST_MODEL } from '../../../collector/request-model';
import { PUT_RECORDS_MAX_BYTES } from '../../limits';
import { TokenBucket } from './token-bucket';
import { evaluateTemplate } from './vtl';
import type { TemplateRequest } from './vtl';

export interface CollectorApiOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** Origins whose scripts may read the answers (CORS); none: no CORS header and no preflight route. */
  readonly allowedOrigins: readonly string[];
  /** The stage's steady rate, requests per second, and its burst. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** Told of every request the API answered, with its status and the events Kinesis took. */
  readonly onAnswer?: (status: number, accepted: number) => void;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Ajv reads the model as its default draft reads it: the keywords the model uses mean the same in draft 4. */
function modelValidator() {
  const schema = Object.fromEntries(Object.entries(COLLECT_REQUEST_MODEL).filter(([key]) => key !== '$schema'));
  return new Ajv({ allErrors: false, strict: false }).compile(schema);
}

/** A gateway response, with the CORS header the stack gives it once any origin is allowed. */
const gateway = (type: keyof typeof GATEWAY_RESPONSES, allowedOrigins: readonly string[]): Answer => ({
  status: Number(GATEWAY_RESPONSES[type].statusCode),
  body: GATEWAY_RESPONSES[type].template,
  ...(allowedOrigins.length > 0 ? { headers: { 'Access-Control-Allow-Origin': GATEWAY_RESPONSE_ALLOW_ORIGIN } } : {}),
});

/** The handler of the API's routes; other paths get API Gateway's answer to an unknown route. */
export class CollectorApi {
  private readonly bucket: TokenBucket;
  private readonly validate = modelValidator();
  private readonly template: string;

  constructor(private readonly o: CollectorApiOptions) {
    this.bucket = new TokenBucket(o.rateLimit, o.burstLimit);
    this.template = putRecordsTemplate(o.streamName);
  }

  /** Answers one HTTP request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = await this.answer(req).catch((err: unknown): Answer => ({
      status: 500,
      body: JSON.stringify({ message: `internal error: ${(err as Error).message}` }),
    }));
    const accepted = answer.status === 200 ? (JSON.parse(answer.body) as { accepted: number }).accepted : 0;
    this.o.onAnswer?.(answer.status, accepted);
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(answer.body);
  }

  private async answer(req: IncomingMessage): Promise<Answer> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== COLLECT_PATH) return { status: 403, body: '{"message":"Missing Authentication Token"}' };
    if (req.method === 'OPTIONS' && this.o.allowedOrigins.length > 0) return this.preflight(req);
    if (req.method !== 'POST') return { status: 403, body: '{"message":"Missing Authentication Token"}' };
    if (!this.bucket.take()) return drained(req, gateway('THROTTLED', this.o.allowedOrigins));
    const body = await readBody(req);
    if (body === undefined) return gateway('REQUEST_TOO_LARGE', this.o.allowedOrigins);
    const mediaType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    if (!(COLLECT_CONTENT_TYPES as readonly string[]).includes(mediaType)) return gateway('UNSUPPORTED_MEDIA_TYPE', this.o.allowedOrigins);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return gateway('BAD_REQUEST_BODY', this.o.allowedOrigins);
    }
    if (!this.validate(parsed)) return gateway('BAD_REQUEST_BODY', this.o.allowedOrigins);
    const request: TemplateRequest = {
      body: body.toString('utf8'),
      headers: lowerCaseHeaders(req),
      sourceIp: sourceIp(req),
      requestTimeEpoch: Date.now(),
    };
    const integration = JSON.parse(evaluateTemplate(this.template, request).text) as PutRecordsInput;
    const kinesisAnswer = await this.putRecords(integration);
    return this.integrationResponse(kinesisAnswer, request);
  }

  /** Calls Kinesis as the integration does and returns its status and JSON body. */
  private async putRecords(input: PutRecordsInput): Promise<{ status: number; body: unknown }> {
    const records = input.Records.map((r) => ({ Data: Buffer.from(r.Data, 'base64'), PartitionKey: r.PartitionKey }));
    const bytes = records.reduce((n, r) => n + r.Data.length + Buffer.byteLength(r.PartitionKey), 0);
    if (bytes > PUT_RECORDS_MAX_BYTES) {
      // Kinesis refuses such a request whole; the emulator does not check this limit.
      const message = `the records total ${bytes} bytes, more than PutRecords' ${PUT_RECORDS_MAX_BYTES}`;
      return { status: 400, body: { __type: 'ValidationException', message } };
    }
    try {
      const out: PutRecordsCommandOutput = await this.o.kinesis.send(
        new PutRecordsCommand({ StreamName: input.StreamName, Records: records }),
      );
      return { status: 200, body: { FailedRecordCount: out.FailedRecordCount ?? 0, Records: out.Records ?? [] } };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 503;
      return { status, body: { __type: (err as Error).name, message: (err as Error).message } };
    }
  }

  private integrationResponse(kinesis: { status: number; body: unknown }, request: TemplateRequest): Answer {
    const status = String(kinesis.status);
    const match =
      INTEGRATION_RESPONSES.find((r) => r.selectionPattern !== undefined && new RegExp(`^${r.selectionPattern}$`).test(status)) ??
      INTEGRATION_RESPONSES.find((r) => r.selectionPattern === undefined)!;
    const out = evaluateTemplate(match.template(this.o.allowedOrigins), { ...request, body: JSON.stringify(kinesis.body) });
    return { status: out.status ?? Number(match.statusCode), body: out.text.trim(), headers: out.headers };
  }

  /** The CORS preflight, as the CDK's mock OPTIONS method answers it. */
  private preflight(req: IncomingMessage): Answer {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && this.o.allowedOrigins.includes(origin);
    return {
      status: 204,
      body: '',
      headers: {
        ...(allowed ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Allow-Methods': 'OPTIONS,POST',
      },
    };
  }
}

interface PutRecordsInput {
  readonly StreamName: string;
  readonly Records: ReadonlyArray<{ readonly PartitionKey: string; readonly Data: string }>;
}

/** Reads a body up to API Gateway's limit; undefined when it is larger. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return drained(req, undefined);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return drained(req, undefined);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and discards the rest of a refused request's body, so that the connection stays usable. */
function drained<T>(req: IncomingMessage, value: T): T {
  req.resume();
  return value;
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The peer's address as API Gateway reports it: IPv4 without the IPv6 mapping prefix. */
function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
