/** Fetching the API: `GET <path>?from=&to=…`, JSON both ways; a failure becomes an ApiError with the server's message. */
import type { ResolvedRange } from './range';

/** A request that failed: not reached, refused (non-2xx, with the server's `{message}`), or not JSON. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The query parameters of `range`, as every endpoint takes them. */
export function rangeParams(range: Pick<ResolvedRange, 'from' | 'to'>): Record<string, string> {
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

/** What the server said about a failed request: its `{message}` when it gave one. */
async function failureMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return `${body.message} (HTTP ${response.status})`;
  } catch {
    // Not JSON: the status is all there is.
  }
  return `the server answered HTTP ${response.status} ${response.statusText}`.trim();
}

/** GETs `path` with `params` and returns its JSON. Rejects with ApiError, or with the AbortError of `signal`. */
export async function getJson<T>(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<T> {
  const query = new URLSearchParams(params).toString();
  const url = query ? `${path}?${query}` : path;
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`could not reach the dashboard server for ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new ApiError(await failureMessage(response), response.status);
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`${path} answered with something other than JSON`, response.status);
  }
}

/** A message for a person from anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
