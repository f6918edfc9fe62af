package dev.kafkalearn.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hides secrets in text a person reads (logs, health messages, errors): URI passwords, password-like parameters. */
public final class Secrets {

    static final String MASK = "****";

    /** scheme://user:password@host → scheme://user:****@host */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/@:\\s]*):[^/@\\s]*@");
    /** ?password=x, &sslTrustStorePassword=x, token=x, ... */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;]\\w*(password|secret|token|pwd|apikey)\\w*=)[^&;\\s]*");
    /** password="x" in a JAAS line */
    private static final Pattern JAAS_PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*\")[^\"]*(\")");

    /** For routes: {@code ${bean:secrets?method=mask(...)}} (application.properties registers one). */
    public Secrets() {
    }

    /** The text with every password-like part replaced by ****. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
        masked = SECRET_PARAMETER.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return JAAS_PASSWORD.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$2");
    }

    /**
     * A setting's value as a person may see it: Camel's own URI sanitising (user info, its list of secret parameter
     * names) and then ours (which also covers JAAS lines and words such as token or apikey), both shown as ****.
     */
    public static String maskUri(String value) {
        // Camel writes xxxxxx where we write ****: one mask in every line a person reads
        return value == null ? null : mask(org.apache.camel.util.URISupport.sanitizeUri(value).replace("xxxxxx", MASK));
    }

    /** A secret itself: **** when set, empty when not. */
    public static String hide(String secret) {
        return secret == null || secret.isEmpty() ? "" : MASK;
    }

    /** The first line of a message (a driver's or a parser's, often followed by pages of detail), unmasked. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The first line of a message with every password-like part masked: what a log line may show of a failure. */
    public static String shortMessage(String message) {
        return mask(firstLine(message));
    }
}
