package dev.kafkalearn.source;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source that answers 429 (too many requests) or 503 (unavailable) is asked again only after the Retry-After it gave
 * (seconds or an HTTP date; without one, the route's backoff), up to SOURCE_RETRIES times, one line each. A wait longer
 * than SOURCE_RETRY_AFTER_MAX_MS is not waited within the poll: the poll ends with one line, and no poll asks that
 * source again before the time it gave ({@link #asksToWait}).
 * <p>
 * In the route: {@code onExceptionOccurredRef} (runs before Camel decides on the retry and its delay: sets Camel's
 * CamelRedeliveryDelay header and the {@value #ALLOWED} property that {@code retryWhile} reads), and a filter at the
 * start of each poll.
 */
public class RetryAfter implements Processor {

    /** Exchange property: whether this 429/503 is retried within the poll. */
    public static final String ALLOWED = "sourceRetryAllowed";
    /** Exchange property: the answer and what the poll's last line adds about the wait ("HTTP 429 and asked to ..."). */
    public static final String ANSWER = "sourceAnswer";

    private static final long LONGEST = Duration.ofDays(1).toMillis();
    private static final Logger LOG = LoggerFactory.getLogger("source-to-kafka");

    private volatile Instant notBefore = Instant.MIN;
    private volatile Instant skipLogged = Instant.MIN;

    @Override
    public void process(Exchange exchange) {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        if (failure == null) {
            failure = exchange.getException(HttpOperationFailedException.class);
        }
        // read now: a test or a reload may have changed them since the start
        int retries = Integer.parseInt(setting(exchange, "source.retries:4"));
        long maxMs = Long.parseLong(setting(exchange, "source.retry-after-max-ms:60000"));
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        Long waitMs = failure == null ? null : waitMs(header(failure.getResponseHeaders(), "Retry-After"), Instant.now());
        if (waitMs != null) {
            Instant until = Instant.now().plusMillis(waitMs);
            if (until.isAfter(notBefore)) {
                notBefore = until;
            }
        }
        boolean allowed = attempt <= retries && (waitMs == null || waitMs <= maxMs);
        exchange.setProperty(ALLOWED, allowed);
        String answer = failure == null ? "an error"
                : ("HTTP " + failure.getStatusCode() + " " + failure.getStatusText()).trim();
        exchange.setProperty(ANSWER, answer + (waitMs == null || waitMs <= maxMs ? ""
                : " and asked to wait " + seconds(waitMs) + " (more than SOURCE_RETRY_AFTER_MAX_MS): not asked again before "
                + notBefore));
        if (waitMs == null) {
            // the route's backoff
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, waitMs);
        }
        if (allowed && failure != null) {
            LOG.warn("Source {} answered {}; retry {} of {}{}", exchange.getProperty("sourceShown", String.class),
                    answer, attempt, retries,
                    waitMs == null ? "" : " in " + seconds(waitMs) + " (Retry-After)");
        }
    }

    /** True while the source's last Retry-After has not passed: the route skips this poll (one line per wait). */
    public boolean asksToWait(Exchange exchange) {
        Instant until = notBefore;
        if (!Instant.now().isBefore(until)) {
            return false;
        }
        if (!until.equals(skipLogged)) {
            skipLogged = until;
            LOG.info("Source {} asked to wait: no poll before {}", exchange.getProperty("sourceShown", String.class), until);
        }
        return true;
    }

    /** Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP date; null when absent or unreadable. */
    static Long waitMs(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            // more than a day is taken as a day (a number that large is no plan to answer again)
            return v.length() > 6 ? LONGEST : Math.min(Long.parseLong(v) * 1000L, LONGEST);
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.min(Math.max(0, Duration.between(now, at).toMillis()), LONGEST);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static String setting(Exchange exchange, String key) {
        return exchange.getContext().resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
