package io.aistream.provider.openai.responses;

import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.provider.openai.OpenAiStreamState;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The function calls of one Responses stream, keyed by output item id ({@code fc_…}, which the
 * argument deltas reference) and reported under the call's {@code call_id} (the id a tool result
 * answers). Arguments that only arrive complete ({@code .done} events, or an {@code output_item.done}
 * with no deltas before it) are emitted once. Not thread-safe; one per stream.
 */
final class FunctionCalls {
    private static final class Call {
        final int index;
        boolean argumentsSeen;

        Call(int index) {
            this.index = index;
        }
    }

    private final Map<String, Call> byItemId = new HashMap<>();
    private final OpenAiStreamState state;

    FunctionCalls(OpenAiStreamState state) {
        this.state = state;
    }

    /** A {@code function_call} output item appeared. */
    void added(ResponsesEvent e, Consumer<? super StreamChunk> out) {
        String key = e.itemOwnId != null ? e.itemOwnId : e.itemCallId;
        if (key == null || byItemId.containsKey(key)) {
            return;
        }
        start(key, e.itemCallId, e.itemName, e.itemArguments, out);
    }

    /** An arguments fragment for item {@code itemId}. */
    void argumentsDelta(String itemId, String delta, Consumer<? super StreamChunk> out) {
        if (itemId == null || delta == null || delta.isEmpty()) {
            return;
        }
        Call call = byItemId.get(itemId);
        if (call == null) {
            start(itemId, null, null, delta, out);
            return;
        }
        call.argumentsSeen = true;
        out.accept(ToolCallChunk.of(ToolCallDelta.arguments(call.index, delta)));
    }

    /** The complete arguments of item {@code itemId}; emitted only if no fragment came before. */
    void argumentsDone(String itemId, String callId, String name, String arguments, Consumer<? super StreamChunk> out) {
        if (itemId == null) {
            return;
        }
        Call call = byItemId.get(itemId);
        if (call == null) {
            start(itemId, callId, name, arguments, out);
        } else if (!call.argumentsSeen && arguments != null && !arguments.isEmpty()) {
            call.argumentsSeen = true;
            out.accept(ToolCallChunk.of(ToolCallDelta.arguments(call.index, arguments)));
        }
    }

    private void start(String key, String callId, String name, String arguments, Consumer<? super StreamChunk> out) {
        Call call = new Call(state.newToolCall());
        byItemId.put(key, call);
        String args = arguments == null ? "" : arguments;
        call.argumentsSeen = !args.isEmpty();
        out.accept(ToolCallChunk.of(
                ToolCallDelta.start(call.index, callId != null ? callId : key, name != null ? name : "", args)));
    }
}
