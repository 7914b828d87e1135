package io.aistream.server.openai;

import io.aistream.request.ChatRequestJson;
import io.aistream.server.ReaderTable;
import org.junit.jupiter.api.Test;

/** What {@link ResponsesRequest#parse} answers to bad and good Responses API bodies, pinned as a table. */
class ResponsesRequestTest {

    @Test
    void answersEveryRowOfTheTableAsRecorded() {
        ReaderTable.check(ResponsesRequestTest.class, "responses-request-errors.txt", ResponsesRequestTest::answer);
    }

    private static String answer(String json) {
        try {
            ResponsesRequest r = ResponsesRequest.parse(ChatRequestJson.readTree(json));
            return "ok stream=" + r.stream() + " " + ReaderTable.describe(r.request());
        } catch (OpenAiError.Failure f) {
            OpenAiError e = f.error();
            return e.status() + " " + e.type() + " code=" + e.code().orElse("null") + " param="
                    + e.param().orElse("null") + " | " + e.message();
        }
    }
}
