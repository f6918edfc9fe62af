package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;

/**
 * The raw baselines, each in a JVM of its own like every other peer of the benchmark: P warm-up passes over N records
 * each first (JIT, connections, buffers; pass k, from 0, over the users with ids N+1+k·N..N+(k+1)·N, so P × N
 * distinct records in all, as the sinks get; the producer's passes over the N users themselves, as the pipeline's
 * source gets), then the same work timed over the N users, the timing taken here and
 * printed as one line the harness reads ({@link #rate(Path)}). In the harness's JVM, which also hosts the broker and is
 * long warm, the raw producer skipped a process hop and did not compete with a second, compiling JVM for the 2 cores.
 * <p>
 * Args (N = records per pass, P = warm-up passes, the harness's {@code Settings.warmupPasses}):
 * <ul>
 *   <li>{@code producer N P maxPasses settledMs timedPasses topic key=value...}: the producer's settings; sends users
 *       1..N keyed by id, a pass of N at a time, a second apart, until the JIT has settled (at least P passes, then
 *       until one in which the compiler threads used less than settledMs of CPU, at most maxPasses: the pipeline's
 *       source polls the N users by the same rule), then timedPasses more, timed, all to the same topic; prints the
 *       warm-up passes and the compiler CPU of the timed ones ({@link #warmedUp(Path)}); the harness times each pass
 *       by the broker's append times, as it times the pipeline's (the median of its own first send → flush done is
 *       logged beside);</li>
 *   <li>{@code read N P topic key=value...}: the consumer's settings; reads offsets 0..P·N-1 (the sinks' warm-up
 *       records), a pass of N at a time, then times P·N..P·N+N-1 (the N users);</li>
 *   <li>{@code insertMany|upserts N P mongoUri database collection batch}: writes users N+1..N+P·N, a pass of N at a
 *       time, then times users 1..N, parsed (and for upserts wrapped) before the timing, into the same collection (as
 *       the sinks store P·N warm-up documents first); checks P·N + N are stored and drops the collection. Never more
 *       than one pass of N parsed documents in the heap at a time.</li>
 * </ul>
 */
public final class RawClients {

    private static final String RESULT = "raw-clients timed";
    private static final String WARMED_UP = "raw-clients warmed up";
    /** The producer's warm-up passes start a second apart at most (a pass that takes longer is followed at once). */
    private static final long PASS_MS = 1000;

    private RawClients() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        int passes = Integer.parseInt(args[2]);
        long nanos = switch (args[0]) {
            case "producer" -> produce(n, passes, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args[6], properties(args, 7));
            case "read" -> read(n, passes, args[3], properties(args, 4));
            case "insertMany" -> RawClients.<Document>write(n, passes, args, documents -> documents,
                    (collection, some) -> collection.insertMany(some, new InsertManyOptions().ordered(false)));
            case "upserts" -> RawClients.<WriteModel<Document>>write(n, passes, args, RawClients::upserts,
                    (collection, some) -> collection.bulkWrite(some, new BulkWriteOptions().ordered(false)));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println(RESULT + " " + n + " " + nanos);
    }

    /** The rate the child printed, records/s. */
    static double rate(Path log) throws IOException {
        String[] line = lastLine(log, RESULT);
        return Long.parseLong(line[0]) * 1e9 / Math.max(1, Long.parseLong(line[1]));
    }

    /** The fields after the prefix of the last line of the child's log that starts with it. */
    private static String[] lastLine(Path log, String prefix) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no '" + prefix + "' line in " + log))
                .substring(prefix.length()).trim().split(" ");
    }

    /** The warm-up passes the producer ran before its timed passes, and its compiler threads' CPU in those, ms. */
    static double[] warmedUp(Path log) throws IOException {
        String[] line = lastLine(log, WARMED_UP);
        return new double[] {Double.parseDouble(line[0]), Double.parseDouble(line[1])};
    }

    /** The client's settings: the arguments from this one on, as key=value. */
    private static Properties properties(String[] args, int from) {
        Properties props = new Properties();
        for (String pair : Arrays.copyOfRange(args, from, args.length)) {
            props.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return props;
    }

    /**
     * Passes over the N users until the JIT has settled, by the harness's rule for both HTTP -> Kafka rows (at least
     * minPasses, then more until one in which this JVM's compiler threads used less than settledMs of CPU, at most
     * maxPasses), then timedPasses more, timed, a second apart too. Prints the warm-up passes and the compiler
     * threads' CPU in the timed passes; returns the median time of a timed pass.
     */
    private static long produce(int n, int minPasses, int maxPasses, int settledMs, int timedPasses, String topic,
                                Properties props) throws Exception {
        AtomicReference<Exception> error = new AtomicReference<>();
        long pid = ProcessHandle.current().pid();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic);
            List<Long> warm = new ArrayList<>();
            CompilerCpu.Warmed warmed = CompilerCpu.untilSettled(pid, minPasses, maxPasses, settledMs, pass -> {
                // a pass a second at most, as the pipeline's source polls (SOURCE_POLL_INTERVAL_MS=1000): the same
                // time for the compiler threads between passes
                long passStart = System.nanoTime();
                warm.add(sendPass(producer, topic, 1, n, error));
                Thread.sleep(Math.max(0, PASS_MS - (System.nanoTime() - passStart) / 1_000_000));
            });
            log("warm-up: %d passes of %,d records sent in %s; compiler CPU per pass, ms: %s", warm.size(), n,
                    seconds(warm), warmed.passMs());
            List<String> values = Users.generate(n).values;
            double compiledBefore = CompilerCpu.millis(pid);
            long[] timed = new long[timedPasses];
            for (int k = 0; k < timedPasses; k++) {
                long start = System.nanoTime();
                send(producer, topic, 1, values, error);
                producer.flush();
                timed[k] = System.nanoTime() - start;
                if (k + 1 < timedPasses) {
                    Thread.sleep(Math.max(0, PASS_MS - timed[k] / 1_000_000));
                }
            }
            if (error.get() != null) {
                throw error.get();
            }
            System.out.println(WARMED_UP + " " + warm.size() + " " + (CompilerCpu.millis(pid) - compiledBefore));
            Arrays.sort(timed);
            return timed[timedPasses / 2];
        }
    }

    /**
     * One warm-up pass: users first..first+n-1 generated, then sent and flushed; the time of the sending. Its strings
     * are unreachable once it returns (send() serialized them), so one pass of N is in the heap (-Xmx256m) at a time.
     */
    private static long sendPass(KafkaProducer<String, String> producer, String topic, int first, int n,
                                 AtomicReference<Exception> error) throws IOException {
        List<String> values = Users.generate(first, n).values;
        long start = System.nanoTime();
        send(producer, topic, first, values, error);
        producer.flush();
        return System.nanoTime() - start;
    }

    /** Sends the values keyed firstKey, firstKey+1, ... (their ids, as the source does); error: the first failure. */
    static void send(KafkaProducer<String, String> producer, String topic, int firstKey, List<String> values,
                     AtomicReference<Exception> error) {
        for (int i = 0; i < values.size(); i++) {
            producer.send(new ProducerRecord<>(topic, String.valueOf(firstKey + i), values.get(i)), (m, e) -> {
                if (e != null) {
                    error.set(e);
                }
            });
        }
    }

    /**
     * A fresh consumer per pass, as the row had in the harness: seeking the warm-up's consumer instead waited up to
     * fetch.max.wait.ms for its fetch in flight at the log's end (a tiny N reads the whole topic in one poll).
     */
    private static long read(int n, int passes, String topic, Properties props) {
        List<Long> warm = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            warm.add(readFrom((long) pass * n, n, topic, props));
        }
        log("warm-up: %d passes of %,d records read in %s", passes, n, seconds(warm));
        return readFrom((long) passes * n, n, topic, props);
    }

    /** Reads n records from this offset on; the time from the first poll to the last. */
    private static long readFrom(long offset, int n, String topic, Properties props) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            consumer.position(partition);
            long start = System.nanoTime();
            poll(consumer, n);
            return System.nanoTime() - start;
        }
    }

    private static void poll(KafkaConsumer<String, String> consumer, int n) {
        int read = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (read < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("read " + read + " of " + n + " records");
            }
            read += consumer.poll(Duration.ofMillis(100)).count();
        }
    }

    /**
     * args: mode N P mongoUri database collection batch. items: what each document becomes, built before the timing;
     * each warm-up pass's documents are dropped before the next pass's (or the timed ones) are parsed (one set of N in
     * the heap at a time).
     */
    private static <T> long write(int n, int passes, String[] args, Function<List<Document>, List<T>> items,
                                  BiConsumer<MongoCollection<Document>, List<T>> write) throws IOException {
        int batch = Integer.parseInt(args[6]);
        try (MongoClient client = MongoClients.create(args[3])) {
            MongoCollection<Document> collection = client.getDatabase(args[4]).getCollection(args[5]);
            List<Long> warm = new ArrayList<>();
            for (int pass = 0; pass < passes; pass++) {
                warm.add(writePass(collection, n + 1 + pass * n, n, items, batch, write));
            }
            log("warm-up: %d passes of %,d documents written in %s", passes, n, seconds(warm));
            List<T> timed = items.apply(parsedWithIds(1, n));
            long start = System.nanoTime();
            inBatches(collection, timed, batch, write);
            long end = System.nanoTime();
            long stored = collection.estimatedDocumentCount();
            collection.drop();
            long expected = (passes + 1L) * n;
            if (stored != expected) {
                throw new IllegalStateException("stored " + stored + " of " + expected);
            }
            return end - start;
        }
    }

    /**
     * One warm-up pass: documents first..first+n-1 parsed (and made items), then written; the time of the writing.
     * Its documents are unreachable once it returns, before the next pass's are parsed.
     */
    private static <T> long writePass(MongoCollection<Document> collection, int first, int n,
                                      Function<List<Document>, List<T>> items, int batch,
                                      BiConsumer<MongoCollection<Document>, List<T>> write) throws IOException {
        List<T> some = items.apply(parsedWithIds(first, n));
        long start = System.nanoTime();
        inBatches(collection, some, batch, write);
        return System.nanoTime() - start;
    }

    private static <T> void inBatches(MongoCollection<Document> collection, List<T> items, int batch,
                                      BiConsumer<MongoCollection<Document>, List<T>> write) {
        for (int from = 0; from < items.size(); from += batch) {
            write.accept(collection, items.subList(from, Math.min(items.size(), from + batch)));
        }
    }

    /** The users with these ids as documents with _id = id. */
    private static List<Document> parsedWithIds(int first, int count) throws IOException {
        List<String> values = Users.generate(first, count).values;
        List<Document> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Document document = Document.parse(values.get(i));
            document.put("_id", first + i);
            documents.add(document);
        }
        return documents;
    }

    /** The writes the pipeline and the connector make: replace-or-insert by _id. */
    private static List<WriteModel<Document>> upserts(List<Document> documents) {
        List<WriteModel<Document>> writes = new ArrayList<>(documents.size());
        for (Document document : documents) {
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", document.get("_id")), document,
                    new ReplaceOptions().upsert(true)));
        }
        return writes;
    }

    /** Each pass's time, as the timed pass is taken, e.g. "0.52 + 0.31 + 0.29 s". */
    private static String seconds(List<Long> nanos) {
        return String.join(" + ", nanos.stream().map(t -> String.format(Locale.ROOT, "%.2f", t / 1e9)).toList()) + " s";
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
