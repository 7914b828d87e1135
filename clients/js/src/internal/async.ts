/** Thrown inside this package when a wait was cut short by an abort; never reaches callers. */
export class Aborted extends Error {
  constructor() {
    super("aborted");
    this.name = "Aborted";
  }
}

/**
 * Resolves or rejects like `p`, but rejects with {@link Aborted} as soon as `signal` aborts.
 * A later rejection of `p` is observed, so an abandoned promise never becomes an unhandled
 * rejection.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(new Aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => {});
      reject(new Aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes p's own rejection on unchanged
        reject(e);
      },
    );
  });
}

/** Waits `ms` milliseconds (via `setTimeout`, so fake timers drive it); rejects with {@link Aborted} on abort. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The delay before reconnect attempt `attempt` (1-based): the base doubled per attempt, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const d = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(d, maxMs);
}
