package io.aistream.server.streams;

import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.ReaderTable;
import org.junit.jupiter.api.Test;

/** What {@link StreamRequest#parse} answers to bad (and a few good) bodies, pinned as a table. */
class StreamRequestTest {

    @Test
    void answersEveryRowOfTheTableAsRecorded() {
        ReaderTable.check(StreamRequestTest.class, "stream-request-errors.txt", StreamRequestTest::answer);
    }

    private static String answer(String json) {
        try {
            StreamRequest r = StreamRequest.parse(ChatRequestJson.readTree(json));
            return "ok provider=" + r.provider() + " backpressure=" + r.backpressure() + " bufferCapacity="
                    + r.bufferCapacity() + " resumable=" + r.resumable() + " timeouts=" + r.timeouts();
        } catch (InvalidRequestException e) {
            return "field=" + e.field().orElse("") + " | " + e.problem();
        }
    }
}
