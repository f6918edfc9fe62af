package dev.kafkalearn.source;

import dev.kafkalearn.settings.InvalidSetting;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpCredentialsHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * The source's HTTP client (camel-http's {@code httpClientConfigurer} on the source route's request):
 * <ul>
 * <li>SOURCE_AUTH (none, basic, bearer, oauth2) and SOURCE_HEADERS, sent to the source's origin only
 * ({@link SourceCredentials});</li>
 * <li>a 429 or 503 answer goes to the route at once, which retries it after the server's Retry-After, capped, with one
 * line ({@link RetryAfter}); the HTTP client's own status retry would wait any Retry-After silently, an hour included.
 * Its retry of an idempotent request after an I/O failure stays.</li>
 * </ul>
 * With SOURCE_AUTH=none and no SOURCE_HEADERS the client gets nothing per request.
 */
public class SourceHttpClient implements HttpClientConfigurer, CamelContextAware {

    /** Splits "A: 1; B: 2" at a ';' followed by the next header's "Name:" (a value may hold ';', as in a media type). */
    private static final Pattern NEXT_HEADER = Pattern.compile(";\\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+\\s*:)");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private CamelContext camelContext;
    private SSLContextParameters tls;

    /** When the source's endpoint starts: the settings as they are then (a test or a reload may change them before). */
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setRetryStrategy(new IoRetriesOnly());
        List<Map.Entry<String, String>> extra = parseHeaders(setting("source.headers"));
        SourceCredentials.Authorization authorization = authorization();
        if (authorization != null || !extra.isEmpty()) {
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), "kafka-learn-source-credentials",
                    new SourceCredentials(URI.create(setting("source.url")), extra, authorization));
        }
    }

    private SourceCredentials.Authorization authorization() {
        String auth = setting("source.auth");
        switch (auth.toLowerCase(Locale.ROOT)) {
            case "", "none":
                return null;
            case "basic":
                String basic = HttpCredentialsHelper.generateBasicAuthHeader(
                        required("SOURCE_USERNAME", "source.username", "a user name (SOURCE_AUTH=basic)"),
                        camelContext.resolvePropertyPlaceholders("{{source.password:}}"));
                return () -> basic;
            case "bearer":
                String bearer = "Bearer " + required("SOURCE_TOKEN", "source.token", "a token (SOURCE_AUTH=bearer)");
                return () -> bearer;
            case "oauth2":
                return oauth2();
            default:
                throw new InvalidSetting("SOURCE_AUTH", auth, "none, basic, bearer or oauth2");
        }
    }

    private SourceCredentials.Authorization oauth2() {
        String tokenUrl = required("SOURCE_OAUTH2_TOKEN_URL", "source.oauth2-token-url",
                "the token endpoint's http(s) URL (SOURCE_AUTH=oauth2)");
        String clientId = required("SOURCE_OAUTH2_CLIENT_ID", "source.oauth2-client-id", "a client id (SOURCE_AUTH=oauth2)");
        String secret = required("SOURCE_OAUTH2_CLIENT_SECRET", "source.oauth2-client-secret",
                "a client secret (SOURCE_AUTH=oauth2)");
        SSLContext context;
        try {
            context = tls == null || !tokenUrl.startsWith("https:") ? null : tls.createSSLContext(camelContext);
        } catch (Exception e) {
            throw new IllegalStateException("SOURCE_TRUSTSTORE/SOURCE_KEYSTORE cannot be used: " + e.getMessage(), e);
        }
        OAuth2Tokens tokens = new OAuth2Tokens(tokenUrl, clientId, secret, setting("source.oauth2-scope"), context,
                Duration.ofMillis(Long.parseLong(setting("source.timeout-ms"))));
        return new SourceCredentials.Authorization() {
            @Override
            public String value() throws java.io.IOException {
                return "Bearer " + tokens.current();
            }

            @Override
            public String renew(String rejected) throws java.io.IOException {
                return "Bearer " + tokens.renew(rejected.substring("Bearer ".length()));
            }
        };
    }

    /** SOURCE_HEADERS: "Name: value; Other-Name: value" (empty: none). */
    static List<Map.Entry<String, String>> parseHeaders(String text) {
        List<Map.Entry<String, String>> parsed = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return parsed;
        }
        for (String header : NEXT_HEADER.split(text.trim())) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header.trim() : header.substring(0, colon).trim();
            if (colon < 0 || !HEADER_NAME.matcher(name).matches()) {
                // the value may be a secret: name the header only
                throw new InvalidSetting("SOURCE_HEADERS", "", "'Name: value; Other-Name: value', and '"
                        + (colon < 0 ? "(a header without ':')" : name) + "' is not a header");
            }
            parsed.add(Map.entry(name, header.substring(colon + 1).trim()));
        }
        return parsed;
    }

    private String required(String variable, String key, String expected) {
        String value = setting(key);
        if (value.isEmpty()) {
            throw new InvalidSetting(variable, "", expected);
        }
        return value;
    }

    /** A setting as it is now, trimmed; "" when unset. */
    private String setting(String key) {
        return camelContext.resolvePropertyPlaceholders("{{" + key + ":}}").trim();
    }

    /** No retry of a 429 or 503 answer here (the route's, after Retry-After); I/O retries as the client's default. */
    private static final class IoRetriesOnly extends DefaultHttpRequestRetryStrategy {
        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }
    }

    /** The source's TLS settings (SourceTls), for the OAuth2 token endpoint too. */
    public void setTls(SSLContextParameters tls) {
        this.tls = tls;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
