package io.aistream.request;

import java.util.Objects;

/** One part of a message's content: text or an image. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

    /** Plain text. */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image, by URL ({@code https:} or {@code data:}) or as inline base64 data.
     *
     * @param source    where the image comes from
     * @param mediaType e.g. {@code image/png}; required for inline data, may be empty for URLs
     */
    record Image(ImageSource source, String mediaType) implements ContentPart {
        public Image {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(mediaType, "mediaType");
            if (source instanceof ImageSource.Base64 && mediaType.isEmpty()) {
                throw new IllegalArgumentException("an inline image needs a media type");
            }
        }

        /** An image fetched by the provider from {@code url}. */
        public static Image url(String url) {
            return new Image(new ImageSource.Url(url), "");
        }

        /** An inline image: {@code base64Data} of the given media type. */
        public static Image base64(String mediaType, String base64Data) {
            return new Image(new ImageSource.Base64(base64Data), mediaType);
        }
    }

    /** Where an image comes from. */
    sealed interface ImageSource permits ImageSource.Url, ImageSource.Base64 {
        /** A URL the provider fetches (or a {@code data:} URL). */
        record Url(String url) implements ImageSource {
            public Url {
                Objects.requireNonNull(url, "url");
                if (url.isBlank()) {
                    throw new IllegalArgumentException("image url must not be blank");
                }
            }
        }

        /** Base64-encoded bytes, without a {@code data:} prefix. */
        record Base64(String data) implements ImageSource {
            public Base64 {
                Objects.requireNonNull(data, "data");
                if (data.isEmpty()) {
                    throw new IllegalArgumentException("image data must not be empty");
                }
            }
        }
    }

    /** A text part. */
    static ContentPart text(String text) {
        return new Text(text);
    }
}
