package io.aistream.server.openai;

import io.aistream.request.ChatRequestJson;
import io.aistream.server.ReaderTable;
import org.junit.jupiter.api.Test;

/** What {@link OpenAiRequest#parse} answers to bad (and a few good) bodies, pinned as a table. */
class OpenAiRequestTest {

    @Test
    void answersEveryRowOfTheTableAsRecorded() {
        ReaderTable.check(OpenAiRequestTest.class, "openai-request-errors.txt", OpenAiRequestTest::answer);
    }

    private static String answer(String json) {
        try {
            OpenAiRequest r = OpenAiRequest.parse(ChatRequestJson.readTree(json));
            return "ok stream=" + r.stream() + " includeUsage=" + r.includeUsage() + " "
                    + ReaderTable.describe(r.request());
        } catch (OpenAiError.Failure f) {
            OpenAiError e = f.error();
            return e.status() + " " + e.type() + " code=" + e.code().orElse("null") + " param="
                    + e.param().orElse("null") + " | " + e.message();
        }
    }
}
