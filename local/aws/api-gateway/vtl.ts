/**
 * API Gateway's mapping-template engine, modelled: the deployed VTL text evaluated with velocityjs, with the
 * variables API Gateway gives a template (`$input`, `$util`, `$context`), so that the local collector puts on
 * the stream exactly what the deployed one would.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
import { render } from 'velocityjs';

/** What a template sees of one request. */
export interface TemplateRequest {
  /** The body: the method request's for a request template, the integration's for a response template. */
  readonly body: string;
  /** Method request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly sourceIp: string;
  readonly requestTimeEpoch: number;
}

/** The template's output, and the response headers and status it set through `$context.responseOverride`. */
export interface TemplateOutput {
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly status?: number;
}

/**
 * The Java string methods templates call. velocityjs hands values to JavaScript, whose `replaceAll` takes its
 * pattern literally and whose `length` is no method; Java's `replaceAll` takes a regular expression.
 */
type CompileConfig = NonNullable<Parameters<typeof render>[3]>;

const JAVA_STRING_METHODS: NonNullable<CompileConfig['customMethodHandlers']> = [
  {
    uid: 'java: String.length()',
    match: ({ property, context }) => property === 'length' && typeof context === 'string',
    resolve: ({ context }) => (context as string).length,
  },
  {
    uid: 'java: String.replaceAll(regex, replacement)',
    match: ({ property, context }) => property === 'replaceAll' && typeof context === 'string',
    resolve: ({ context, params }) =>
      (context as string).replace(new RegExp(String(params[0]), 'g'), String(params[1]).replace(/\$/g, '$$$$')),
  },
];

/** Apache Commons `StringEscapeUtils.escapeJavaScript`, which `$util.escapeJavaScript` is: `'`, `"`, `\`, `/`, controls and non-ASCII escaped. */
function escapeJavaScript(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === "'" || ch === '\\' || ch === '/') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += utf16Escapes(ch);
    else out += ch;
  }
  return out;
}

function utf16Escapes(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  return out;
}

/** A JSONPath of the forms templates use here: `$`, `$.a.b`, `$.a[3].b`. */
function resolvePath(root: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  let value: unknown = root;
  for (const [, key, index] of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = index !== undefined ? (value as unknown[])[Number(index)] : (value as Record<string, unknown>)[key!];
  }
  return value;
}

/** Evaluates a mapping template against a request, as API Gateway does. The body must be JSON (or empty). */
export function evaluateTemplate(template: string, request: TemplateRequest): TemplateOutput {
  const parsed: unknown = request.body === '' ? {} : JSON.parse(request.body);
  const responseHeaders: Record<string, string> = {};
  const responseOverride: { header: Record<string, string>; status?: number } = { header: responseHeaders };
  const context = {
    input: {
      path: (p: string) => resolvePath(parsed, String(p)),
      json: (p: string) => JSON.stringify(resolvePath(parsed, String(p))) ?? '',
      body: request.body,
      // API Gateway matches header names as written; HTTP clients here send them in lower case, so lower case only.
      params: (name?: string) =>
        name === undefined ? { header: { ...request.headers } } : (request.headers[String(name).toLowerCase()] ?? ''),
    },
    util: {
      escapeJavaScript,
      base64Encode: (s: unknown) => Buffer.from(String(s), 'utf8').toString('base64'),
    },
    context: {
      identity: { sourceIp: request.sourceIp, userAgent: request.headers['user-agent'] },
      requestTimeEpoch: request.requestTimeEpoch,
      responseOverride,
    },
  };
  const text = render(template, context, undefined, { customMethodHandlers: JAVA_STRING_METHODS });
  return {
    text,
    headers: { ...responseHeaders },
    ...(responseOverride.status !== undefined ? { status: Number(responseOverride.status) } : {}),
  };
}
