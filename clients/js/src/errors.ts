import type { ErrorChunk } from "./types.js";

/**
 * What kind of failure an {@link AIStreamError} reports.
 *
 * - `upstream`: the stream carried an `error` chunk (the provider or the gateway failed mid-stream).
 * - `http`: the gateway answered a request with a non-2xx status before any chunk (bad request,
 *   auth, limits, unknown stream …); `status` holds the HTTP status.
 * - `network`: the connection was lost and could not be resumed (resume off, no stream id yet,
 *   attempts exhausted, or the server no longer has the stream).
 * - `protocol`: the server sent something this client cannot read (malformed chunk JSON, an
 *   oversized event, an unexpected WebSocket message, a client queue overflow).
 */
export type AIStreamErrorKind = "upstream" | "http" | "network" | "protocol";

export interface AIStreamErrorInit {
  kind: AIStreamErrorKind;
  code: string;
  message: string;
  retryable?: boolean;
  status?: number;
  provider?: string;
  field?: string;
  streamId?: string;
  chunk?: ErrorChunk;
  cause?: unknown;
}

/** The one error type of this package. */
export class AIStreamError extends Error {
  override readonly name = "AIStreamError";
  readonly kind: AIStreamErrorKind;
  /** A stable machine-readable code, e.g. `upstream_overloaded`, `invalid_request`, `connection_lost`. */
  readonly code: string;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** HTTP status: the gateway's for `http`, the provider's for `upstream` when it reported one. */
  readonly status: number | undefined;
  readonly provider: string | undefined;
  /** The offending request field, when the gateway named one (400 answers). */
  readonly field: string | undefined;
  /** The server's stream id, when known. */
  readonly streamId: string | undefined;
  /** The `error` chunk behind an `upstream` error. */
  readonly chunk: ErrorChunk | undefined;

  constructor(init: AIStreamErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.status = init.status;
    this.provider = init.provider;
    this.field = init.field;
    this.streamId = init.streamId;
    this.chunk = init.chunk;
  }

  /** The error an `error` chunk stands for. */
  static fromChunk(chunk: ErrorChunk): AIStreamError {
    const e = chunk.error;
    return new AIStreamError({
      kind: "upstream",
      code: e.code,
      message: e.message,
      retryable: e.retryable ?? false,
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(e.provider !== undefined ? { provider: e.provider } : {}),
      streamId: chunk.id,
      chunk,
    });
  }
}

/** Whether `e` is an {@link AIStreamError}, also across copies of this package. */
export function isAIStreamError(e: unknown): e is AIStreamError {
  return e instanceof AIStreamError || (e instanceof Error && e.name === "AIStreamError" && "kind" in e);
}
