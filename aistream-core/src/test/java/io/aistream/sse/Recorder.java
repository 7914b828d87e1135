package io.aistream.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Records everything a decoder reports, in order. */
final class Recorder implements SseListener {
    record Comment(String text) {}

    record Retry(long millis) {}

    final List<Object> log = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
        log.add(event);
    }

    @Override
    public void onComment(String text) {
        log.add(new Comment(text));
    }

    @Override
    public void onRetry(long millis) {
        log.add(new Retry(millis));
    }

    List<SseEvent> events() {
        return log.stream()
                .filter(SseEvent.class::isInstance)
                .map(SseEvent.class::cast)
                .toList();
    }

    /** Decodes {@code bytes} in one feed and ends the stream. */
    static Recorder decode(byte[] bytes) {
        Recorder r = new Recorder();
        SseDecoder d = new SseDecoder(r);
        d.feed(bytes);
        d.end();
        return r;
    }

    /** Decodes the UTF-8 encoding of {@code text} in one feed and ends the stream. */
    static List<SseEvent> events(String text) {
        return decode(text.getBytes(StandardCharsets.UTF_8)).events();
    }

    static SseEvent event(String type, String data, String id) {
        return new SseEvent(type, data, id, OptionalLong.empty());
    }

    static SseEvent event(String type, String data, String id, long retry) {
        return new SseEvent(type, data, id, OptionalLong.of(retry));
    }
}
