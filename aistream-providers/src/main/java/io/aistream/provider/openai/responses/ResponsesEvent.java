package io.aistream.provider.openai.responses;

/**
 * The fields of one Responses stream event the decoder uses, gathered in whatever order the JSON
 * has them. One instance is reused for every event of a stream; {@link #reset()} clears it.
 */
final class ResponsesEvent {
    static final long ABSENT = -1;

    String type;
    String delta;
    String itemId;
    /** Top-level {@code arguments} ({@code response.function_call_arguments.done}). */
    String arguments;

    // "item" of response.output_item.added/done
    String itemType;
    String itemOwnId;
    String itemCallId;
    String itemName;
    String itemArguments;
    /** A reasoning item's {@code encrypted_content} (only when requested with {@code include}). */
    String itemEncryptedContent;

    // "response" of response.created/completed/incomplete/failed
    String model;
    String incompleteReason;
    boolean responseError;
    String responseErrorCode;
    String responseErrorMessage;
    long inputTokens = ABSENT;
    long outputTokens = ABSENT;
    long totalTokens = ABSENT;
    /** {@code usage.input_tokens_details.cached_tokens}. */
    long cachedTokens = ABSENT;
    /** {@code usage.output_tokens_details.reasoning_tokens}. */
    long reasoningTokens = ABSENT;

    // the "error" event: flat code/message, or nested under "error"
    String code;
    String message;
    String nestedType;
    String nestedCode;
    String nestedMessage;

    void reset() {
        type = null;
        delta = null;
        itemId = null;
        arguments = null;
        itemType = null;
        itemOwnId = null;
        itemCallId = null;
        itemName = null;
        itemArguments = null;
        itemEncryptedContent = null;
        model = null;
        incompleteReason = null;
        responseError = false;
        responseErrorCode = null;
        responseErrorMessage = null;
        inputTokens = ABSENT;
        outputTokens = ABSENT;
        totalTokens = ABSENT;
        cachedTokens = ABSENT;
        reasoningTokens = ABSENT;
        code = null;
        message = null;
        nestedType = null;
        nestedCode = null;
        nestedMessage = null;
    }

    boolean hasUsage() {
        return inputTokens >= 0 || outputTokens >= 0 || totalTokens >= 0;
    }
}
