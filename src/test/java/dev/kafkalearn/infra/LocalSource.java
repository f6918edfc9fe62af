package dev.kafkalearn.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A plain HTTP server on loopback that answers GET path with a fixed status and body: the local stand-in for
 * the tutorial's source (jsonplaceholder's /users) and for the sources the tests need (broken, slow, huge).
 */
public final class LocalSource implements AutoCloseable {

    public record Answer(int status, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private LocalSource(HttpServer server) {
        this.server = server;
    }

    public static LocalSource start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        LocalSource source = new LocalSource(server);
        server.createContext("/", exchange -> {
            try (exchange) {
                Answer answer = source.answers.get(exchange.getRequestURI().getPath());
                if (answer == null) {
                    answer = new Answer(404, "text/plain", "not found\n".getBytes());
                }
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
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
        answers.put(path, new Answer(status, contentType, body));
        return this;
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
