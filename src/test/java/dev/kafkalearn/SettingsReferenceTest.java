package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.kafkalearn.settings.SettingsReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/settings.md is what application.properties says: generated from it, and this test fails while it is stale.
 * {@code mvn -o -q test -Dtest=SettingsReferenceTest -Dsettings.write=true} rewrites it.
 */
class SettingsReferenceTest {

    private static final Path PAGE = Path.of("docs/settings.md");

    @Test
    void theSettingsReferenceIsGeneratedFromApplicationProperties() throws Exception {
        String expected = SettingsReference.markdown(Path.of("application.properties"));
        if (Boolean.getBoolean("settings.write")) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "(missing)",
                "docs/settings.md is stale: run mvn -o -q test -Dtest=SettingsReferenceTest -Dsettings.write=true");
    }
}
