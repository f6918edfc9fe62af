package dev.kafkalearn.source;

import java.nio.charset.StandardCharsets;
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
 * Settings, read at the start of every poll: {@code source.change-detection} = {@code auto} (on when
 * {@code source.poll-interval-ms} &gt; 0), {@code on} or {@code off}; {@code source.deletes} = send a tombstone for an
 * id that is gone from the source.
 */
public class SourceChanges {

    /** Exchange property after {@link #summary}: how many element records this poll sent. */
    public static final String SENT = "sent";

    private static final String POLL = "kafkaLearnChanges";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** One poll's view: what the state topic held at its start, what it saw, and the counts. */
    static final class Poll {
        final boolean tracking;
        final boolean deletes;
        final Map<String, String> previous;
        final Set<String> seen = new HashSet<>();
        int fresh;
        int changed;
        int unchanged;
        int deleted;
        int gone;

        Poll(boolean tracking, boolean deletes, Map<String, String> previous) {
            this.tracking = tracking;
            this.deletes = deletes;
            this.previous = previous;
        }
    }

    /** At the start of a poll: reads the settings and, with change detection on, what was sent before. */
    public void begin(Exchange poll) throws Exception {
        String mode = SourcePages.setting(poll, "source.change-detection:auto").toLowerCase(Locale.ROOT);
        boolean tracking = switch (mode) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            case "auto" -> Long.parseLong(SourcePages.setting(poll, "source.poll-interval-ms:0")) > 0;
            default -> throw new IllegalArgumentException(
                    "SOURCE_CHANGE_DETECTION must be auto, on or off, not '" + mode + "'");
        };
        boolean deletes = Boolean.parseBoolean(SourcePages.setting(poll, "source.deletes:false"));
        Map<String, String> previous = tracking ? load(poll, SourcePages.setting(poll, "source.state-topic")) : Map.of();
        poll.setProperty(POLL, new Poll(tracking, deletes, previous));
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
    public static Change classify(Exchange poll, String id, String element) {
        Poll state = poll.getProperty(POLL, Poll.class);
        if (state == null || !state.tracking || id == null) {
            if (state != null) {
                state.fresh++;
            }
            return ALWAYS;
        }
        String hash = sha256(element);
        String before = state.previous.get(id);
        state.seen.add(id);
        // a second element with the same id in one poll compares with the first one from now on
        state.previous.put(id, hash);
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
        Poll state = poll.getProperty(POLL, Poll.class);
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

    /** The end of the poll's summary line (what follows "Sent N records from URL to Kafka topic T"); sets {@value #SENT}. */
    public String summary(Exchange poll) {
        Poll state = poll.getProperty(POLL, Poll.class);
        int pages = poll.getProperty(SourcePages.PAGES, 1, Integer.class);
        poll.setProperty(SENT, state.fresh + state.changed);
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

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
