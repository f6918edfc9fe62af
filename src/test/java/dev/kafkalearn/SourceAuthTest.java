package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.RecordingServer;
import dev.kafkalearn.support.RecordingServer.Answer;
import dev.kafkalearn.support.RecordingServer.Request;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SOURCE_AUTH and SOURCE_HEADERS against real HTTP servers: the credentials reach every page of the source, never a
 * page query, never another host a link points to, and never the log.
 */
class SourceAuthTest extends PipelineTestSupport {

    private final List<RecordingServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(RecordingServer::close);
    }

    @Test
    void basicAndHeadersReachEveryPageOfTheSourceButNotAnotherHost() throws Exception {
        String password = "pw-s3cret-1";
        String apiKey = "key-s3cret-2";
        String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + password).getBytes(StandardCharsets.UTF_8));
        // another origin: same machine, other name and port; it serves the last page to anyone
        RecordingServer other = server(RecordingServer.http("localhost", r -> Answer.json(users(7, 9))));
        RecordingServer source = server(RecordingServer.http("127.0.0.1", r -> {
            if (!basic.equals(r.header("Authorization")) || !apiKey.equals(r.header("X-Api-Key"))) {
                return Answer.status(401, Map.of("WWW-Authenticate", "Basic realm=\"users\""));
            }
            return switch (r.path()) {
                case "/p1" -> page(users(1, 3), "</p2?cursor=abc>; rel=\"next\"");
                case "/p2" -> page(users(4, 6), "<" + other.url("/p3") + ">; rel=\"next\"");
                default -> Answer.status(404, Map.of());
            };
        }));

        startPipeline(Map.of("source.url", source.url("/p1"), "source.pagination", "link",
                "source.auth", "basic", "source.username", "alice", "source.password", password,
                // a value may hold ';' (a media type's parameter)
                "source.headers", "X-Api-Key: " + apiKey + "; Accept: application/json; charset=utf-8"));

        awaitSent(9);
        assertEquals(List.of("/p1", "/p2"), source.requests().stream().map(Request::path).toList());
        for (Request request : source.requests()) {
            assertEquals(basic, request.header("Authorization"));
            assertEquals(apiKey, request.header("X-Api-Key"));
            assertEquals("application/json; charset=utf-8", request.header("Accept"));
        }
        assertEquals("cursor=abc", source.requests("/p2").get(0).query(), "the link's own query, nothing added");
        Request elsewhere = other.requests().get(0);
        assertNull(elsewhere.header("Authorization"), "no credentials to another host");
        assertNull(elsewhere.header("X-Api-Key"), "no extra headers to another host");
        assertSecretsNowhere(List.of(source, other), password, apiKey, basic.substring(6));
        assertEquals(9, readTopic(topic, 9).size());
    }

    @Test
    void bearerTokenOnEveryPageNeverInTheQuery() throws Exception {
        String token = "tok-s3cret-3";
        RecordingServer source = server(RecordingServer.http("127.0.0.1", r -> {
            if (!("Bearer " + token).equals(r.header("Authorization"))) {
                return Answer.status(401, Map.of());
            }
            int page = Integer.parseInt(query(r).get("page"));
            return Answer.json(page < 3 ? users(page * 3 - 2, page * 3) : users(7, 7));
        }));

        startPipeline(Map.of("source.url", source.url("/users"), "source.pagination", "page", "source.page-size", "3",
                "source.auth", "bearer", "source.token", token));

        awaitSent(7);
        assertEquals(3, source.requests().size(), "three pages, none refused: " + source.requests());
        assertSecretsNowhere(List.of(source), token);
    }

    @Test
    void oauth2TokenIsCachedAcrossPagesAndPollsAndA401RenewsItOnce() throws Exception {
        OAuth2Server oauth = new OAuth2Server(3600);
        RecordingServer source = server(RecordingServer.http("127.0.0.1", oauth::answer));

        startPipeline(oauth.settings(source, "200"));

        // two polls of two pages each on one token
        await().atMost(30, TimeUnit.SECONDS).until(() -> polls() >= 2);
        assertEquals(1, oauth.issued.get(), "one token for every page and poll");
        // the authorization server revokes it: the next request gets 401, the token is renewed, asked once more
        oauth.valid.clear();
        int before = polls();
        await().atMost(30, TimeUnit.SECONDS).until(() -> polls() >= before + 2);
        assertEquals(2, oauth.issued.get(), "renewed once after the 401");
        assertEquals(1, oauth.refused.get(), "one 401, then the renewed token was taken");
        assertEquals(1, log.containing("renewed it").size(), log.lines().toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
        assertEquals(Set.of("1", "2", "3", "4"),
                readTopic(topic, 4).stream().map(r -> r.key()).collect(Collectors.toSet()));
        assertSecretsNowhere(List.of(source), oauth.secrets().toArray(String[]::new));
    }

    @Test
    void oauth2TokenIsRenewedBeforeItExpires() throws Exception {
        // valid for 4 s: renewed after 2 s (half its life), never sent expired
        OAuth2Server oauth = new OAuth2Server(4);
        RecordingServer source = server(RecordingServer.http("127.0.0.1", oauth::answer));

        startPipeline(oauth.settings(source, "200"));

        await().atMost(30, TimeUnit.SECONDS).until(() -> oauth.issued.get() >= 3);
        assertEquals(0, oauth.refused.get(), "no request with an expired token");
        long pages = source.requests().stream().filter(r -> r.path().startsWith("/p")).count();
        assertTrue(pages > oauth.issued.get(), "cached between renewals: " + pages + " pages, " + oauth.issued + " tokens");
        assertSecretsNowhere(List.of(source), oauth.secrets().toArray(String[]::new));
    }

    @Test
    void aRefusedClientIsOneClearLine() throws Exception {
        OAuth2Server oauth = new OAuth2Server(3600);
        RecordingServer source = server(RecordingServer.http("127.0.0.1", oauth::answer));
        Map<String, String> settings = new HashMap<>(oauth.settings(source, "0"));
        settings.put("source.oauth2.client-secret", "wrong-s3cret-5");

        startPipeline(settings);

        await().atMost(30, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.level() == Level.ERROR));
        List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("refused our client"), errors.toString());
        assertTrue(errors.get(0).message().contains("invalid_client"), errors.toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.withStackTrace() && !previousTestsTimer(l)), log.lines().toString());
        assertEquals(1, source.requests("/token").size(), "not retried: " + source.requests());
        assertEquals(0, source.requests("/p1").size(), "no request without a token");
        assertEquals(0, readTopic(topic, 0).size());
        // the client id too: Camel counts it among secrets (the configuration block masks it)
        assertSecretsNowhere(List.of(source), "wrong-s3cret-5", oauth.secret, "client-1");
    }

    /**
     * A source with its own token endpoint (/token, client credentials, client authenticated with HTTP Basic) and two
     * pages (/p1, /p2) that want a token it issued, not revoked, not expired.
     */
    private static final class OAuth2Server {
        final String secret = "cs-s3cret-4";
        final long lifetimeSeconds;
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final Map<String, Long> valid = new ConcurrentHashMap<>();
        final Set<String> tokens = ConcurrentHashMap.newKeySet();

        OAuth2Server(long lifetimeSeconds) {
            this.lifetimeSeconds = lifetimeSeconds;
        }

        Map<String, String> settings(RecordingServer source, String pollIntervalMs) {
            return Map.of("source.url", source.url("/p1"), "source.pagination", "link",
                    "source.poll-interval-ms", pollIntervalMs, "source.auth", "oauth2",
                    "source.oauth2.token-url", source.url("/token"), "source.oauth2.client-id", "client-1",
                    "source.oauth2.client-secret", secret, "source.oauth2.scope", "users:read");
        }

        Answer answer(Request r) {
            if (r.path().equals("/token")) {
                String client = "Basic " + Base64.getEncoder().encodeToString(("client-1:" + secret).getBytes(StandardCharsets.UTF_8));
                if (!client.equals(r.header("Authorization")) || !r.body().contains("grant_type=client_credentials")
                        || !r.body().contains("scope=users%3Aread")) {
                    return new Answer(401, Map.of("Content-Type", "application/json"),
                            "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
                }
                String token = "at-s3cret-" + issued.incrementAndGet();
                tokens.add(token);
                valid.put(token, System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds));
                return Answer.json("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + lifetimeSeconds + "}");
            }
            String authorization = r.header("Authorization");
            Long expires = authorization == null ? null : valid.get(authorization.replace("Bearer ", ""));
            if (expires == null || System.nanoTime() > expires) {
                refused.incrementAndGet();
                return Answer.status(401, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            }
            return r.path().equals("/p1") ? page(users(1, 2), "</p2>; rel=\"next\"") : Answer.json(users(3, 4));
        }

        List<String> secrets() {
            List<String> all = new ArrayList<>(tokens);
            all.add(secret);
            return all;
        }
    }

    private RecordingServer server(RecordingServer server) {
        servers.add(server);
        return server;
    }

    /**
     * The previous test's polling context, stopped while its timer fired, may log one WARN with a stack trace (its type
     * converter is gone) into this test's capture: not this pipeline's line.
     */
    private static boolean previousTestsTimer(LogCapture.Line line) {
        return line.logger().endsWith("TimerConsumer") && line.message().contains("getTypeConverter()");
    }

    /** Polls completed ("Sent N records from ..."). */
    private int polls() {
        return log.containing(" records from ").size();
    }

    private void awaitSent(int records) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent " + records + " records").isEmpty()
                || log.lines().stream().anyMatch(l -> l.level() == Level.ERROR));
        assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
    }

    /** No secret in any request's path or query, nor anywhere in the log (configuration block, retries, errors). */
    private void assertSecretsNowhere(List<RecordingServer> servers, String... secrets) {
        for (String secret : secrets) {
            for (RecordingServer server : servers) {
                server.requests().forEach(r -> assertTrue(!r.target().contains(secret), "in a query: " + r.target()));
            }
            log.lines().forEach(l -> assertTrue(!l.message().contains(secret), "in the log: " + l));
        }
    }

    private static Answer page(String body, String link) {
        return new Answer(200, Map.of("Content-Type", "application/json", "Link", link), body);
    }

    private static String users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"id\":" + i + ",\"name\":\"user " + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Map<String, String> query(Request r) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : r.query().split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return parameters;
    }
}
