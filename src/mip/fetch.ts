// src/mip/fetch.ts: the network, in one place: GET a URL into memory with Node's fetch. Tests
// point the index at a local HTTP server instead of replacing this module.
import { MpyError } from '../errors.js';

/** How long one request may take before it is given up (headers and body). */
const REQUEST_TIMEOUT_MS = 30_000;

/** A request failed: `status` is the HTTP status when the server answered, else undefined. */
export class FetchError extends MpyError {
  readonly url: string;
  readonly status: number | undefined;
  constructor(url: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.status = status;
  }
}

/** Why Node's fetch failed, from the error it wraps (`connect ECONNREFUSED 127.0.0.1:9`). */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The body of `url` (http or https, redirects followed). Throws `FetchError` with the status for
 * an HTTP error (`Error 500 requesting URL`), without one when the server is unreachable or the
 * request timed out (mpremote's `REASON requesting URL`). `signal` aborts it (Ctrl-C).
 */
export async function fetchBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const abort = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { signal: abort, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchError(url, `Error ${response.status} requesting ${url}`, response.status);
    }
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const reason = signal?.aborted ? 'interrupted' : reasonOf(error);
    throw new FetchError(url, `${reason} requesting ${url}`, undefined, { cause: error });
  }
}
