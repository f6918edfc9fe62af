package dev.kafkalearn.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kafkalearn.kafka.KafkaClients;
import dev.kafkalearn.kafka.TopicReader;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Which of the source's elements are new or changed since they were last sent, and which ids are gone.
 * <p>
 * What was sent is remembered in a compacted Kafka topic (setting {@code source.state-topic}): key = the element's
 * id, value = a SHA-256 of the element's JSON as sent; a tombstone forgets an id. The route writes the hash right
 * after Kafka acknowledged the element's record, so a crash in between only means the element is sent once more
 * (and stored idempotently), never that a change is missed. Every poll reads the state topic to its end first, so the
 * state is whatever Kafka holds, shared by every instance and kept across restarts.
 * <p>
 * Configured once from application.properties (camel.beans.sourceChanges.*): {@code source.change-detection} =
 * {@code auto} (on when {@code source.poll-interval-ms} &gt; 0), {@code on} or {@code off}; {@code source.deletes} =
 * send a tombstone for an id that is gone from the source.
 */
public class SourceChanges {

    private static final String POLL = "kafkaLearnChanges";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private String mode;
    private long pollIntervalMs;
    private boolean deletes;
    private String stateTopic;

    /** auto (on when polling), on or off. */
    public void setChangeDetection(String changeDetection) {
        String mode = changeDetection.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "on", "true", "off", "false").contains(mode)) {
            throw new IllegalArgumentException(
                    "SOURCE_CHANGE_DETECTION must be auto, on or off, not '" + changeDetection + "'");
        }
        this.mode = mode;
    }

    public void setPollIntervalMs(long pollIntervalMs) {
        this.pollIntervalMs = pollIntervalMs;
    }

    public void setDeletes(boolean deletes) {
        this.deletes = deletes;
    }

    public void setStateTopic(String stateTopic) {
        this.stateTopic = stateTopic.trim();
    }

    private boolean tracking() {
        return switch (mode) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> pollIntervalMs > 0;
        };
    }

    /** One poll's view: what the state topic held at its start, what it saw, and the counts. */
    static final class Poll {
        final boolean tracking;
        final boolean deletes;
        final Map<String, String> previous;
        final Set<String> seen = new HashSet<>();
        int fresh;
        int changed;
        /** New or changed elements SOURCE_TRANSFORM dropped or failed on: not sent. */
        int dropped;
        int unchanged;
        int deleted;
        int gone;
        /** The page being read, and how to undo what its reading changed if it is read again (a retried page). */
        private int page = -1;
        private final List<Undo> undo = new ArrayList<>();
        private int[] countsAtPageStart = new int[3];

        Poll(boolean tracking, boolean deletes, Map<String, String> previous) {
            this.tracking = tracking;
            this.deletes = deletes;
            this.previous = previous;
        }

        private record Undo(String id, String before, boolean unseen) {
        }

        void pageAttempt(int page) {
            if (page == this.page) {
                // the same page again (its first reading broke off): as if that reading never happened
                for (int i = undo.size() - 1; i >= 0; i--) {
                    Undo u = undo.get(i);
                    if (u.before == null) {
                        previous.remove(u.id);
                    } else {
                        previous.put(u.id, u.before);
                    }
                    if (u.unseen) {
                        seen.remove(u.id);
                    }
                }
                fresh = countsAtPageStart[0];
                changed = countsAtPageStart[1];
                unchanged = countsAtPageStart[2];
            }
            this.page = page;
            undo.clear();
            countsAtPageStart = new int[] {fresh, changed, unchanged};
        }

        void remember(String id, String hash) {
            String before = previous.put(id, hash);
            undo.add(new Undo(id, before, seen.add(id)));
        }
    }

    /** At the start of a poll: with change detection on, reads what was sent before (the state topic, to its end). */
    public void begin(Exchange poll) throws Exception {
        boolean tracking = tracking();
        Map<String, String> previous = tracking ? load(poll, stateTopic) : new HashMap<>();
        poll.setProperty(POLL, new Poll(tracking, deletes, previous));
    }

    /** The poll's state (set by {@link #begin}); the page's reader looks it up once per group for {@link #classify}. */
    static Poll state(Exchange poll) {
        return poll.getProperty(POLL, Poll.class);
    }

    /** A page's body is about to be read (again, when its first reading broke off). */
    static void pageAttempt(Exchange poll) {
        state(poll).pageAttempt(poll.getProperty(SourcePages.PAGES, 0, Integer.class));
    }

    /** What to do with one element: send it or not, and the hash to remember once Kafka acknowledged it. */
    public record Change(boolean send, String hash) {
    }

    private static final Change ALWAYS = new Change(true, null);
    private static final Change UNCHANGED = new Change(false, null);

    /**
     * For one element of the poll (its id, or null, and its JSON as sent): new, changed or unchanged since the last
     * poll; always sent, with nothing to remember, when change detection is off or the element has no id.
     */
    static Change classify(Poll state, String id, byte[] element) {
        if (!state.tracking || id == null) {
            state.fresh++;
            return ALWAYS;
        }
        String hash = sha256(element);
        String before = state.previous.get(id);
        // a second element with the same id in one poll compares with the first one from now on
        state.remember(id, hash);
        if (before == null) {
            state.fresh++;
        } else if (before.equals(hash)) {
            state.unchanged++;
            return UNCHANGED;
        } else {
            state.changed++;
        }
        return new Change(true, hash);
    }

    /**
     * After every page was read: the ids sent before that this poll did not see, when deletions are on. A poll that saw
     * no element at all deletes nothing: an empty answer is more often a source's hiccup than the end of every entity.
     */
    public List<String> deletions(Exchange poll) {
        Poll state = state(poll);
        if (!state.tracking) {
            return List.of();
        }
        List<String> gone = new ArrayList<>();
        for (String id : state.previous.keySet()) {
            if (!state.seen.contains(id)) {
                gone.add(id);
            }
        }
        state.gone = gone.size();
        if (!state.deletes || state.seen.isEmpty()) {
            return List.of();
        }
        state.deleted = gone.size();
        return gone;
    }

    /** An element classified as to be sent was dropped by SOURCE_TRANSFORM (turned into null, or failed on). */
    static void dropped(Exchange poll) {
        state(poll).dropped++;
    }

    /** How many elements of this poll SOURCE_TRANSFORM dropped, for the route's counter. */
    public int droppedByTransform(Exchange poll) {
        return state(poll).dropped;
    }

    /** How many element records this poll sent (new and changed ones, but those SOURCE_TRANSFORM dropped). */
    public int sent(Exchange poll) {
        Poll state = state(poll);
        return state.fresh + state.changed - state.dropped;
    }

    /** The end of the poll's summary line (what follows "Sent N records from URL to Kafka topic T"). */
    public String summary(Exchange poll) {
        Poll state = state(poll);
        int pages = poll.getProperty(SourcePages.PAGES, 1, Integer.class);
        StringBuilder text = new StringBuilder();
        if (pages > 1) {
            text.append(" (").append(pages).append(" pages)");
        }
        if (state.tracking) {
            text.append(": ").append(state.fresh).append(" new, ").append(state.changed).append(" changed, ")
                    .append(state.unchanged).append(" unchanged, ").append(state.deleted).append(" deleted");
            int kept = state.gone - state.deleted;
            if (kept > 0) {
                text.append("; ").append(kept).append(" no longer in the source but kept (")
                        .append(state.deletes ? "the source answered no elements" : "SOURCE_DELETES=false").append(")");
            }
        }
        if (state.dropped > 0) {
            text.append("; ").append(state.dropped).append(" dropped by SOURCE_TRANSFORM");
        }
        return text.toString();
    }

    /** Reads the state topic from the beginning to its end (creating it, compacted, when it does not exist yet). */
    private static Map<String, String> load(Exchange poll, String topic) throws Exception {
        createIfMissing(poll.getContext(), topic);
        Map<String, String> state = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(poll.getContext(), "kafka-learn-source-state")) {
            TopicReader.readToEnd(consumer, partitions(consumer, topic), TIMEOUT, record -> {
                if (record.value() == null) {
                    state.remove(record.key());
                } else {
                    state.put(record.key(), record.value());
                }
            });
        }
        return state;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("state topic " + topic + " has no partitions after " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static void createIfMissing(CamelContext context, String topic) throws Exception {
        try (Admin admin = KafkaClients.admin(context, TIMEOUT)) {
            if (KafkaClients.await(admin.listTopics().names()).contains(topic)) {
                return;
            }
            // one partition and the broker's replication factor; compacted: one record per id is kept
            NewTopic state = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            KafkaClients.await(admin.createTopics(List.of(state)).all());
        } catch (TopicExistsException e) {
            // created by another instance meanwhile
        }
    }

    static String sha256(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
