package dev.kafkalearn.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * docs/settings.md, written from application.properties and {@link Rules}: every setting with its variable, default,
 * rule and comment. {@code java ... SettingsReference application.properties docs/settings.md} rewrites it;
 * SettingsReferenceTest fails while the page is stale.
 */
public final class SettingsReference {

    private SettingsReference() {
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[1]), markdown(Path.of(args[0])), StandardCharsets.UTF_8);
    }

    public static String markdown(Path properties) throws IOException {
        try (Reader file = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
            return markdown(SettingsFile.parse(file));
        }
    }

    static String markdown(List<Setting> settings) {
        StringBuilder page = new StringBuilder("""
                # Settings

                Every setting of kafka-learn, as `application.properties` declares it (this page is generated from that
                file: `mvn -o -q test -Dtest=SettingsReferenceTest -Dsettings.write=true` rewrites it). Set a setting
                by its environment variable. Each value is checked at start by its rule; a value that breaks it stops
                the start with one line naming the variable. Secrets (by Camel's list of secret-looking names) are
                shown as `****` in every log line.

                """);
        String section = "";
        for (Setting setting : settings) {
            String prefix = setting.property().substring(0, Math.max(0, setting.property().indexOf('.')));
            if (!prefix.equals(section)) {
                section = prefix;
                page.append("\n## ").append(section).append("\n\n")
                        .append("| Variable | Default | Must be | What it does |\n")
                        .append("|---|---|---|---|\n");
            }
            Rule rule = Rules.TABLE.get(setting.variable());
            page.append("| `").append(setting.variable()).append("` | ")
                    .append(setting.defaultValue() == null || setting.defaultValue().isEmpty() ? "(empty)"
                            : "`" + setting.defaultValue() + "`")
                    .append(" | ").append(rule == null ? "(no rule)" : cell(rule.expected()) + (setting.secret() ? "; secret" : ""))
                    .append(" | ").append(cell(setting.description())).append(" |\n");
        }
        return page.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
