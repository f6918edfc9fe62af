package dev.kafkalearn.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real HTTP(S) server on a loopback port that answers by a test's rule and remembers every request it got (path,
 * query, headers, arrival time, the client certificate's subject): what a source really saw.
 */
public final class RecordingServer implements AutoCloseable {

    /** One request as the server got it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, long nanos,
                          String clientCertificate, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** Path and query as sent: where a secret must never appear. */
        public String target() {
            return path + (query == null ? "" : "?" + query);
        }
    }

    /** A test's answer: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer json(String body) {
            return new Answer(200, Map.of("Content-Type", "application/json"), body);
        }

        public static Answer status(int status, Map<String, String> headers) {
            return new Answer(status, headers, "");
        }
    }

    public interface Rule {
        Answer answer(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final String host;

    private RecordingServer(HttpServer server, String host, Rule rule) {
        this.server = server;
        this.host = host;
        server.createContext("/", exchange -> handle(exchange, rule));
        server.setExecutor(threads);
        server.start();
    }

    /** Plain HTTP on the given loopback name ("127.0.0.1" or "localhost": two origins on one machine). */
    public static RecordingServer http(String host, Rule rule) throws IOException {
        return new RecordingServer(HttpServer.create(new InetSocketAddress(host, 0), 0), host, rule);
    }

    /** HTTPS with the given server context; wantClientCertificate: mutual TLS (a client without one is refused). */
    public static RecordingServer https(SSLContext tls, boolean needClientCertificate, Rule rule) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientCertificate);
                params.setSSLParameters(parameters);
            }
        });
        return new RecordingServer(server, "127.0.0.1", rule);
    }

    public String url(String pathAndQuery) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://" + host + ":" + server.getAddress().getPort() + pathAndQuery;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange, Rule rule) throws IOException {
        try (exchange) {
            String certificate = null;
            if (exchange instanceof HttpsExchange https) {
                SSLSession session = https.getSSLSession();
                try {
                    certificate = session.getPeerPrincipal().getName();
                } catch (Exception e) {
                    certificate = null;
                }
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), System.nanoTime(),
                    certificate, body);
            requests.add(request);
            Answer answer;
            try {
                answer = rule.answer(request);
            } catch (Exception e) {
                answer = new Answer(500, Map.of(), e.toString());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
