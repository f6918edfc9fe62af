package dev.kafkalearn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's contract with a newcomer: it reads in ten minutes (at most 300 lines), its first screen holds the run
 * command, the test command and how to change the source, and no link of it or of docs/ leads nowhere.
 */
class ReadmeTest {

    private static final Path README = Path.of("README.md");
    private static final int MAX_LINES = 300;
    /** What a terminal shows without scrolling, about. */
    private static final int FIRST_SCREEN = 45;
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");

    @Test
    void readsInTenMinutes() throws IOException {
        int lines = Files.readAllLines(README).size();
        assertTrue(lines <= MAX_LINES, "README.md has " + lines + " lines; depth belongs in docs/");
    }

    @Test
    void quickStartIsTheRunCommandThenTheTestCommand() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf("## Quick start");
        assertTrue(start >= 0, "a '## Quick start' section");
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        List<List<String>> blocks = shellBlocks(lines.subList(start + 1, end));
        assertEquals(2, blocks.size(), "Quick start has exactly two shell code blocks: " + blocks);
        assertEquals(List.of("mvn -Pdev"), blocks.get(0), "first the run command");
        assertEquals(List.of("mvn verify"), blocks.get(1), "then the test command");
        assertTrue(end <= FIRST_SCREEN, "Quick start ends within the first screen (line " + end + ")");
        assertTrue(lines.subList(start, end).stream().anyMatch(l -> l.contains("SOURCE_URL")),
                "Quick start says how to change the source URL");
    }

    @Test
    void everyRelativeLinkPointsToAFile() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("#") || target.matches("^[a-z]+:.*")) {
                    continue; // an anchor in the same page, or a web address
                }
                Path file = page.resolveSibling(target.replaceFirst("#.*", "")).normalize();
                if (!Files.exists(file)) {
                    broken.add(page + " -> " + target);
                }
            }
        }
        assertTrue(pages.size() > 1, "docs/ holds the pages the README links to");
        assertTrue(broken.isEmpty(), "links to no file: " + broken);
    }

    @Test
    void everyDocsPageIsLinkedFromTheReadme() throws IOException {
        String readme = Files.readString(README);
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<String> unlinked = docs.map(p -> "docs/" + p.getFileName()).filter(p -> p.endsWith(".md"))
                    .filter(p -> !readme.contains("](" + p + ")") && !readme.contains("](" + p + "#")).sorted().toList();
            assertTrue(unlinked.isEmpty(), "pages of docs/ a reader of the README cannot reach: " + unlinked);
        }
    }

    @Test
    void theTestCatalogueNamesEveryTest() throws IOException {
        String catalogue = Files.readString(Path.of("docs/tests.md"));
        try (Stream<Path> tests = Files.list(Path.of("src/test/java/dev/kafkalearn"))) {
            List<String> missing = tests.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches(".*(Test|IT)\\.java")).map(name -> name.replace(".java", ""))
                    .filter(test -> !catalogue.contains("`" + test + "`")).sorted().toList();
            assertTrue(missing.isEmpty(), "tests docs/tests.md does not say what they prove: " + missing);
        }
    }

    /** The lines inside each fenced code block, which must all be shell ("```sh"). */
    private static List<List<String>> shellBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : lines) {
            if (block == null && line.startsWith("```")) {
                assertEquals("```sh", line.strip(), "a Quick start code block is a shell block");
                block = new ArrayList<>();
            } else if (block != null && line.equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        return blocks;
    }
}
