package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.DebianPackages;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Today's mongosh (2.x, from npm; installed into ~/.cache/kafka-learn/mongosh when missing) on the default's MongoDB-wire server (the
 * H2-backed one `mvn -Pdev`/`-Pinfra` run on 27018, here on a free port) holding the 10 users: show dbs, show
 * collections, find, countDocuments and an aggregation answer as they would on MongoDB. mongo-java-server's own
 * version answer (wire version 8) made mongosh 2.x refuse to connect.
 */
class MongoshTest {

    /** Outside the checkout: a fresh clone on the same machine (CI's) reuses it instead of 2-3 minutes of npm install. */
    private static final Path PREFIX = Path.of(System.getProperty("user.home"), ".cache", "kafka-learn", "mongosh");
    private static final Path MONGOSH = PREFIX.resolve("node_modules/.bin/mongosh");

    @Test
    void currentMongoshQueriesTheDefaultServer() throws Exception {
        String mongosh = mongosh();
        Path data = Files.createTempDirectory("mongosh").resolve("mongo.mv");
        try (LocalMongo mongo = LocalMongo.startPersistent(data, TestInfrastructure.freePort());
             MongoClient client = MongoClients.create(mongo.uri())) {
            List<Document> users = new ArrayList<>();
            for (JsonNode user : new ObjectMapper().readTree(TestInfrastructure.resource("/users.json"))) {
                users.add(Document.parse(user.toString()).append("_id", user.get("id").asInt()));
            }
            client.getDatabase("database").getCollection("test").insertMany(users);

            String script = String.join("\n", "show dbs", "use database", "show collections",
                    "db.test.find({_id: 1}).toArray()[0].name", "db.test.countDocuments()",
                    "db.test.countDocuments({'address.city': 'Gwenborough'})",
                    "JSON.stringify(db.test.aggregate([{$group: {_id: null, ids: {$sum: '$_id'}}}]).toArray())", "");
            List<String> answers = run(mongosh, "mongodb://localhost:" + mongo.port(), script);
            assertTrue(answers.get(0).startsWith("database "), "show dbs: " + answers);
            assertEquals(List.of("switched to db database", "test", "Leanne Graham", "10", "1", "[{\"_id\":null,\"ids\":55}]"),
                    answers.subList(1, 7), "show collections, find, countDocuments, aggregate: " + answers);
        }
    }

    /** mongosh's answers, one per line of the script (its prompts removed). */
    private static List<String> run(String mongosh, String uri, String script) throws Exception {
        Process process = new ProcessBuilder(mongosh, "--quiet", "--norc", uri).redirectErrorStream(true).start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "mongosh ends");
        assertEquals(0, process.exitValue(), output);
        return output.lines().map(l -> l.replaceFirst("^\\w+> ", "")).filter(l -> !l.isBlank()).toList();
    }

    /** mongosh 2.x from ~/.cache/kafka-learn/mongosh, installed there from npm when missing. */
    private static String mongosh() throws Exception {
        if (!Files.isExecutable(MONGOSH)) {
            assertTrue(DebianPackages.onPath("npm"), "npm is needed to install mongosh");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", PREFIX.toString(),
                    "mongosh@2").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(npm.waitFor(600, TimeUnit.SECONDS), "npm install mongosh ends");
            assertEquals(0, npm.exitValue(), "npm install mongosh");
        }
        Process version = new ProcessBuilder(MONGOSH.toString(), "--version").redirectErrorStream(true).start();
        String v = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(v.startsWith("2."), "mongosh 2.x, saw " + v);
        return MONGOSH.toString();
    }
}
