package dev.kafkalearn.source;

import dev.kafkalearn.settings.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 client credentials (RFC 6749 section 4.4): one access token, cached and shared by every request of every page
 * and poll, renewed shortly before its {@code expires_in} ends (or when the source answers 401 to it). camel-http's own
 * oauth2 options cache a token per request URI (every page of a paged source its own token), never renew on a 401 and
 * send the token to any host a link points to; this class is what they lack.
 */
final class OAuth2Tokens {

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Renewed this long before it expires at most (a half of its life when that is shorter). */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final HttpClient http;

    private String token;
    private Instant renewAt = Instant.MIN;

    OAuth2Tokens(String tokenUrl, String clientId, String clientSecret, String scope, SSLContext tls, Duration timeout) {
        this.tokenUrl = URI.create(tokenUrl);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** The cached token, or a new one when there is none or it is about to expire. */
    synchronized String current() throws IOException {
        if (token == null || !Instant.now().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** A new token, whatever the cache holds (the source answered 401 to the cached one). */
    synchronized String renew(String rejected) throws IOException {
        if (rejected.equals(token)) {
            fetch();
        }
        return token;
    }

    private void fetch() throws IOException {
        String form = "grant_type=client_credentials"
                + (scope.isBlank() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + shown() + " for a token", e);
        } catch (IOException e) {
            throw new IOException("OAuth2 token endpoint " + shown() + " could not be reached: " + e, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() >= 500) {
            throw new IOException("OAuth2 token endpoint " + shown() + " answered HTTP " + response.statusCode());
        }
        String accessToken = answer.path("access_token").asText("");
        if (response.statusCode() != 200 || accessToken.isEmpty()) {
            String error = answer.path("error").asText("");
            String description = answer.path("error_description").asText("");
            throw new SourceAuthRefused("OAuth2 token endpoint " + shown() + " refused our client"
                    + " (SOURCE_OAUTH2_CLIENT_ID, SOURCE_OAUTH2_CLIENT_SECRET, SOURCE_OAUTH2_SCOPE): HTTP "
                    + response.statusCode() + (error.isEmpty() ? "" : " " + error)
                    + (description.isEmpty() ? "" : " (" + Secrets.shortMessage(description) + ")"));
        }
        token = accessToken;
        long lifetime = answer.path("expires_in").asLong(0);
        // no expires_in: kept until the source answers 401 to it
        renewAt = lifetime <= 0 ? Instant.MAX
                : Instant.now().plusSeconds(lifetime).minus(min(MARGIN, Duration.ofMillis(lifetime * 500)));
        LOG.info("Got an OAuth2 access token from {}{}", shown(), lifetime > 0 ? ", valid for " + lifetime + " s" : "");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private String shown() {
        return Secrets.mask(tokenUrl.toString());
    }
}
