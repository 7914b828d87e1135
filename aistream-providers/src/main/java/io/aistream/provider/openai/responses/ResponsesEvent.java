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

    // "response" of response.created/completed/incomplete/failed
    String model;
    String incompleteReason;
    boolean responseError;
    String responseErrorCode;
    String responseErrorMessage;
    long inputTokens = ABSENT;
    long outputTokens = ABSENT;
    long totalTokens = ABSENT;

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
        model = null;
        incompleteReason = null;
        responseError = false;
        responseErrorCode = null;
        responseErrorMessage = null;
        inputTokens = ABSENT;
        outputTokens = ABSENT;
        totalTokens = ABSENT;
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
