package dev.kafkalearn.source;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the source's credentials and extra headers on every request to the source's own origin (scheme, host and port
 * of SOURCE_URL), and on no other: every page and every followed link of the source gets them, a link to another host
 * gets none. Runs in the HTTP client's chain for each request actually sent (after redirects and I/O retries were
 * decided), so neither a Camel header filter nor a redirect can carry them elsewhere. With OAuth2, a 401 answer to the
 * cached token renews it and sends the request once more.
 */
final class SourceCredentials implements ExecChainHandler {

    /** The Authorization header's value for the next request (basic, bearer, or an OAuth2 token). */
    interface Authorization {
        String value() throws IOException;

        /** A fresh value after the source answered 401 to `rejected`; null when there is nothing to renew. */
        default String renew(String rejected) throws IOException {
            return null;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");

    private final String scheme;
    private final String host;
    private final int port;
    private final List<Map.Entry<String, String>> headers;
    private final Authorization authorization;

    SourceCredentials(URI source, List<Map.Entry<String, String>> headers, Authorization authorization) {
        this.scheme = source.getScheme().toLowerCase(Locale.ROOT);
        this.host = source.getHost().toLowerCase(Locale.ROOT);
        this.port = port(scheme, source.getPort());
        this.headers = headers;
        this.authorization = authorization;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (!isSourceOrigin(scope.route.getTargetHost())) {
            return chain.proceed(request, scope);
        }
        headers.forEach(h -> request.setHeader(h.getKey(), h.getValue()));
        String credential = authorization == null ? null : authorization.value();
        if (credential != null) {
            request.setHeader("Authorization", credential);
        }
        ClassicHttpResponse response = chain.proceed(request, scope);
        if (credential == null || response.getCode() != HttpStatus.SC_UNAUTHORIZED) {
            return response;
        }
        String renewed = authorization.renew(credential);
        if (renewed == null) {
            return response;
        }
        response.close();
        LOG.info("Source answered HTTP 401 to the cached OAuth2 access token: renewed it, asking once more");
        ClassicHttpRequest again = ClassicRequestBuilder.copy(request).build();
        again.setHeader("Authorization", renewed);
        return chain.proceed(again, scope);
    }

    private boolean isSourceOrigin(HttpHost target) {
        String targetScheme = target.getSchemeName().toLowerCase(Locale.ROOT);
        return targetScheme.equals(scheme) && target.getHostName().toLowerCase(Locale.ROOT).equals(host)
                && port(targetScheme, target.getPort()) == port;
    }

    private static int port(String scheme, int port) {
        return port >= 0 ? port : scheme.equals("https") ? 443 : 80;
    }
}
