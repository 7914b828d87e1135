package io.aistream.samples.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's controller ("In a Spring Boot app") is this sample's, so it compiles and streams: every code
 * line of README's {@code @RestController} block is a line of {@link ChatController} (comments and
 * whitespace aside).
 */
class ReadmeControllerTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");

    @Test
    void readmesControllerIsTheSamplesController() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        String controller =
                squeeze(Files.readString(Path.of("src/main/java/io/aistream/samples/mvc/ChatController.java")));
        Matcher m = JAVA_BLOCK.matcher(readme);
        String block = null;
        while (m.find()) {
            if (m.group(1).contains("@RestController")) {
                block = m.group(1);
            }
        }
        assertThat(block).as("README's @RestController block").isNotNull();
        List<String> lines = block.lines()
                .map(line -> squeeze(line.replaceAll("//.*$", "")))
                .filter(line -> !line.isEmpty())
                .toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(controller).contains(line));
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }
}
