package dev.kafkalearn.sink;

/** A record that is not storable as a document, with the reason the dead-letter topic gets. */
final class RejectedRecord extends Exception {

    RejectedRecord(String reason) {
        super(reason, null, false, false);
    }
}
