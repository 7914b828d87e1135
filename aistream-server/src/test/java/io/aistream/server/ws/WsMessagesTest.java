package io.aistream.server.ws;

import io.aistream.server.ReaderTable;
import org.junit.jupiter.api.Test;

/** What {@link WsMessages#parse} answers to bad (and a few good) client messages, pinned as a table. */
class WsMessagesTest {

    @Test
    void answersEveryRowOfTheTableAsRecorded() {
        ReaderTable.check(WsMessagesTest.class, "ws-messages-errors.txt", WsMessagesTest::answer);
    }

    private static String answer(String text) {
        try {
            return "ok "
                    + switch (WsMessages.parse(text)) {
                        case WsMessages.Start s ->
                            "start " + s.stream() + " provider=" + s.request().provider();
                        case WsMessages.Abort a -> "abort " + a.stream();
                        case WsMessages.Resume r -> "resume " + r.stream() + " after=" + r.after();
                    };
        } catch (WsMessages.Refusal r) {
            return "stream=" + r.stream.orElse("null") + " code=" + r.code + " field=" + r.field.orElse("null")
                    + " close=" + r.closeCode + " | " + r.getMessage();
        }
    }
}
