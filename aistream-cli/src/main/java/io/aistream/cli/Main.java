package io.aistream.cli;

/** Entry point of the {@code aistream} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
