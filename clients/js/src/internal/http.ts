import { AIStreamError } from "../errors.js";

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function retryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Copies any `HeadersInit` into a plain record. */
export function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (Array.isArray(init)) {
    for (const [k, v] of init) if (k !== undefined && v !== undefined) out[k] = v;
  } else if (typeof (init as Headers).forEach === "function") {
    (init as Headers).forEach((v, k) => {
      out[k] = v;
    });
  } else {
    Object.assign(out, init as Record<string, string>);
  }
  return out;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), when present and sane. */
export function retryAfterMs(res: Response, now = Date.now()): number | undefined {
  const v = res.headers.get("Retry-After");
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** The error for a non-2xx answer; reads the gateway's `{"error":{code,message,field}}` body when there is one. */
export async function httpError(res: Response, streamId: string | undefined): Promise<AIStreamError> {
  let code = `http_${res.status}`;
  let message = `the gateway answered ${res.status}${res.statusText ? " " + res.statusText : ""}`;
  let field: string | undefined;
  try {
    const text = await res.text();
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const e = body?.error;
    if (e && typeof e === "object") {
      if (typeof e.code === "string") code = e.code;
      if (typeof e.message === "string") message = e.message;
      if (typeof e.field === "string") field = e.field;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new AIStreamError({
    kind: "http",
    code,
    message,
    status: res.status,
    retryable: retryableStatus(res.status),
    ...(field !== undefined ? { field } : {}),
    ...(streamId !== undefined ? { streamId } : {}),
  });
}
