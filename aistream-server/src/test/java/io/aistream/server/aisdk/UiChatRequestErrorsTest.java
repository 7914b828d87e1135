package io.aistream.server.aisdk;

import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.ReaderTable;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link UiChatRequest#parse} (and so {@link UiMessages}) answers to bad (and a few good)
 * bodies, pinned as a table.
 */
class UiChatRequestErrorsTest {

    @Test
    void answersEveryRowOfTheTableAsRecorded() {
        ReaderTable.check(UiChatRequestErrorsTest.class, "ui-chat-request-errors.txt", UiChatRequestErrorsTest::answer);
    }

    @Test
    void answersEveryRowOfTheMessagesTableAsRecorded() {
        ReaderTable.check(UiChatRequestErrorsTest.class, "ui-messages-errors.txt", UiChatRequestErrorsTest::answer);
    }

    private static String answer(String json) {
        try {
            UiChatRequest r = UiChatRequest.parse(ChatRequestJson.readTree(json), Optional.empty(), Optional.empty());
            return "ok chatId=" + r.chatId().orElse("") + " messageId="
                    + r.messageId().orElse("") + " provider=" + r.stream().provider() + " options=" + r.options() + " "
                    + ReaderTable.describe(r.stream().request());
        } catch (InvalidRequestException e) {
            return "field=" + e.field().orElse("") + " | " + e.problem();
        }
    }
}
