package io.aistream.springai;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Maps a failure signalled by a Spring AI stream to an aistream error. Spring's HTTP client
 * exceptions ({@code WebClientResponseException}, {@code RestClientResponseException}) carry the
 * status as {@code getStatusCode().value()}; they are read reflectively, so this module needs neither
 * spring-web nor spring-webflux. Thread-safe (stateless).
 */
final class SpringAiErrors {
    /** Bounds the message: an upstream's error body can be long. */
    static final int MAX_MESSAGE = 1000;

    private SpringAiErrors() {}

    static ChunkError toChunkError(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> chain = new ArrayDeque<>();
        for (Throwable t = failure; t != null && seen.add(t) && seen.size() <= 16; t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            OptionalInt status = httpStatus(t);
            if (status.isPresent()) {
                int s = status.getAsInt();
                ErrorCode code = codeForStatus(s);
                boolean retryable = code.retryableByDefault() || s >= 500 || s == 408;
                return new ChunkError(code.wireName(), message(t), retryable, Optional.empty(), status);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return ChunkError.of(ErrorCode.UPSTREAM_CONNECTION, message(t));
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("TransientAiException")) {
                return new ChunkError(
                        ErrorCode.UPSTREAM_ERROR.wireName(), message(t), true, Optional.empty(), OptionalInt.empty());
            }
        }
        return ChunkError.of(ErrorCode.UPSTREAM_ERROR, message(failure));
    }

    static ErrorCode codeForStatus(int status) {
        return switch (status) {
            case 401, 403 -> ErrorCode.AUTHENTICATION;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 400, 404, 409, 413, 422 -> ErrorCode.INVALID_REQUEST;
            case 503, 529 -> ErrorCode.UPSTREAM_OVERLOADED;
            default -> ErrorCode.UPSTREAM_ERROR;
        };
    }

    private static String message(Throwable t) {
        String text = t.getMessage();
        String full = t.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text);
        return full.length() <= MAX_MESSAGE ? full : full.substring(0, MAX_MESSAGE) + "…";
    }

    /** {@code t.getStatusCode().value()} (or an int {@code getStatusCode()}), if {@code t} has one. */
    static OptionalInt httpStatus(Throwable t) {
        try {
            Method getter = publicMethod(t.getClass(), "getStatusCode");
            if (getter == null) {
                return OptionalInt.empty();
            }
            Object code = getter.invoke(t);
            if (code instanceof Integer i) {
                return OptionalInt.of(i);
            }
            Method value = code == null ? null : publicMethod(code.getClass(), "value");
            if (value != null && value.invoke(code) instanceof Integer i) {
                return OptionalInt.of(i);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not an HTTP error after all
        }
        return OptionalInt.empty();
    }

    /** A public no-argument method declared by a public class or interface of {@code type}, or null. */
    private static Method publicMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Method m = declared(c, name);
            if (m != null) {
                return m;
            }
            for (Class<?> i : c.getInterfaces()) {
                Method fromInterface = declared(i, name);
                if (fromInterface != null) {
                    return fromInterface;
                }
            }
        }
        return null;
    }

    private static Method declared(Class<?> c, String name) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return null;
        }
        try {
            Method m = c.getDeclaredMethod(name);
            return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
