package dev.kafkalearn.source;

/**
 * The source's authorization server refused our client (wrong OAuth2 client id or secret, unknown scope): retrying
 * will not help, so the poll ends with this message as its one line. No stack trace: the message is all there is.
 */
public class SourceAuthRefused extends RuntimeException {

    public SourceAuthRefused(String message) {
        super(message, null, false, false);
    }
}
