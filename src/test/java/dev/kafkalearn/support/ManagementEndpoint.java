package dev.kafkalearn.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The pipeline's health and metrics server, as a probe or Prometheus sees it. */
public final class ManagementEndpoint {

    public record Answer(int status, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    public ManagementEndpoint(int port) {
        this.port = port;
    }

    public Answer get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            return new Answer(-1, e.toString());
        }
    }

    /** The Prometheus text exposition of /observe/metrics. */
    public String scrape() {
        return get("/observe/metrics").body();
    }

    /** The value of the one sample named `name` whose labels contain every `labels` fragment; NaN if there is none. */
    public static double sample(String scrape, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
        var matcher = line.matcher(scrape);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            if (List.of(labels).stream().allMatch(found::contains)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return Double.NaN;
    }
}
