package dev.kafkalearn.sink;

import java.util.Set;

import com.mongodb.MongoClientException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import org.apache.camel.util.ObjectHelper;

/**
 * Failures that are MongoDB's state, not a record's fault: unreachable, no primary, shutting down, recovering,
 * interrupted, not authorised, the client itself closed. A batch that meets one waits; it is never split or
 * dead-lettered for it.
 */
final class Unreachable {

    /** Server codes meaning "not now" for every write: interrupted, shutting down, stepped down, not primary, unauthorised, network, disk full. */
    private static final Set<Integer> NOT_NOW = Set.of(6, 7, 13, 18, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602,
            13435, 13436, 14031);

    private Unreachable() {
    }

    static boolean is(Throwable failure) {
        if (ObjectHelper.getException(MongoSocketException.class, failure) != null
                || ObjectHelper.getException(MongoTimeoutException.class, failure) != null
                || ObjectHelper.getException(MongoNotPrimaryException.class, failure) != null
                || ObjectHelper.getException(MongoNodeIsRecoveringException.class, failure) != null
                || ObjectHelper.getException(MongoInterruptedException.class, failure) != null
                || ObjectHelper.getException(MongoSecurityException.class, failure) != null
                || ObjectHelper.getException(MongoWriteConcernException.class, failure) != null
                || ObjectHelper.getException(MongoClientException.class, failure) != null) {
            return true;
        }
        MongoException mongo = ObjectHelper.getException(MongoException.class, failure);
        if (mongo != null && (mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                || mongo.hasErrorLabel("RetryableWriteError"))) {
            return true;
        }
        MongoCommandException command = ObjectHelper.getException(MongoCommandException.class, failure);
        return command != null && NOT_NOW.contains(command.getErrorCode());
    }
}
