import { useEffect, useLayoutEffect, useState, useSyncExternalStore } from "react";
import { AIStreamStore, type AIStreamState, type AIStreamStoreOptions } from "../store.js";
import type { ChatRequest } from "../types.js";

export type { AIStreamState, AIStreamStatus, AIStreamStoreOptions, FrameScheduler } from "../store.js";

/** Options of {@link useAIStream}. */
export type UseAIStreamOptions = AIStreamStoreOptions;

/** What {@link useAIStream} returns: the stream's state plus its controls (stable functions). */
export interface UseAIStreamResult extends AIStreamState {
  /** Starts a stream from a prompt (with `options.body`) or a full request; aborts the one before. */
  start: (input: string | ChatRequest) => void;
  /** Aborts the running stream; the server is told; status becomes `aborted`. */
  abort: () => void;
  /** Follows the last stream again from its last chunk (after an error such as a lost connection). */
  resume: () => void;
}

const useIsomorphicLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

/**
 * Streams from the aistream gateway into a component.
 *
 * ```tsx
 * const { text, status, start, abort } = useAIStream("/v1/stream", { body: { provider: "simulated", model: "echo" } });
 * ```
 *
 * Chunks are put together outside React state and the component re-renders at most once per
 * animation frame however fast tokens arrive (status changes show at once). Unmounting aborts
 * the stream; StrictMode's double effects never open a second stream.
 */
export function useAIStream(endpoint: string, options: UseAIStreamOptions = {}): UseAIStreamResult {
  const [store] = useState(() => new AIStreamStore(endpoint, options));
  useIsomorphicLayoutEffect(() => {
    // The store is an external mutable object, held in state only for a stable identity across
    // renders; after each render it takes the latest props, as a ref would.
    // eslint-disable-next-line react-hooks/immutability
    store.endpoint = endpoint;
    store.options = options;
  });
  useEffect(() => store.dispose, [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return { ...state, start: store.start, abort: store.abort, resume: store.resume };
}
