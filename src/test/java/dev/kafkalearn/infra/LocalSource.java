package dev.kafkalearn.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

/**
 * A plain HTTP server on loopback that answers GET path with a fixed status and body: the local stand-in for
 * the tutorial's source (jsonplaceholder's /users) and for the sources the tests need (broken, slow, huge).
 */
public final class LocalSource implements AutoCloseable {

    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        public static Answer json(String json, Map<String, String> headers) {
            return new Answer(200, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), headers);
        }
    }

    private final HttpServer server;
    private final Map<String, Function<URI, Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private LocalSource(HttpServer server) {
        this.server = server;
    }

    public static LocalSource start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        LocalSource source = new LocalSource(server);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                source.requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Function<URI, Answer> handler = source.answers.get(path);
                Answer answer;
                try {
                    answer = handler == null ? null : handler.apply(exchange.getRequestURI());
                } catch (RuntimeException e) {
                    answer = new Answer(500, "text/plain", ("handler failed: " + e).getBytes(StandardCharsets.UTF_8));
                }
                if (answer == null) {
                    answer = new Answer(404, "text/plain", "not found\n".getBytes());
                }
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                if (answer.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "local-source");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return source;
    }

    public LocalSource serve(String path, int status, String contentType, byte[] body) {
        Answer answer = new Answer(status, contentType, body);
        answers.put(path, uri -> answer);
        return this;
    }

    /** Answers GET path with whatever the handler makes of the request URI (query included): paged, changing sources. */
    public LocalSource serve(String path, Function<URI, Answer> handler) {
        answers.put(path, handler);
        return this;
    }

    /** How many requests path received so far. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    public LocalSource serveJson(String path, byte[] json) {
        return serve(path, 200, "application/json; charset=utf-8", json);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
