package dev.kafkalearn.source;

/**
 * One element of the source's JSON array as it is sent to Kafka: its JSON exactly as the source wrote it, less the
 * whitespace between tokens (numbers and string escapes are kept as written), and its record key (null: none).
 */
public record SourceElement(byte[] json, String key) {
}
