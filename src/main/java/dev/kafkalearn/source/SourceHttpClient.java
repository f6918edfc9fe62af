package dev.kafkalearn.source;

import dev.kafkalearn.settings.HeaderList;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private CamelContext camelContext;
    private SSLContextParameters tls;

    /** When the source's endpoint starts: the settings as they are then (a test or a reload may change them before). */
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setRetryStrategy(new IoRetriesOnly());
        List<Map.Entry<String, String>> extra = HeaderList.parse(setting("source.headers"));
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
                String basic = HttpCredentialsHelper.generateBasicAuthHeader(setting("source.username"),
                        camelContext.resolvePropertyPlaceholders("{{source.password:}}"));
                return () -> basic;
            case "bearer":
                String bearer = "Bearer " + setting("source.token");
                return () -> bearer;
            case "oauth2":
                return oauth2();
            default:
                // the rules table refuses it at start; a value changed since cannot be guessed at
                throw new IllegalStateException("SOURCE_AUTH must be none, basic, bearer or oauth2, not '" + auth + "'");
        }
    }

    private SourceCredentials.Authorization oauth2() {
        String tokenUrl = setting("source.oauth2.token-url");
        String clientId = setting("source.oauth2.client-id");
        String secret = camelContext.resolvePropertyPlaceholders("{{source.oauth2.client-secret:}}");
        SSLContext context;
        try {
            context = tls == null || !tokenUrl.startsWith("https:") ? null : tls.createSSLContext(camelContext);
        } catch (Exception e) {
            throw new IllegalStateException("SOURCE_TRUSTSTORE/SOURCE_KEYSTORE cannot be used: " + e.getMessage(), e);
        }
        OAuth2Tokens tokens = new OAuth2Tokens(tokenUrl, clientId, secret, setting("source.oauth2.scope"), context,
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
