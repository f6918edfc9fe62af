package dev.kafkalearn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Runs another main class (the pipeline's camel-main, Kafka Connect, the tutorial's loop) in this JVM and records its
 * heap: the peak of used heap (sampled every 10 ms; bounded by -Xmx) and the peak of heap still used right after a
 * garbage collection, i.e. what the program really holds. Both are written, in bytes, to the file named by the first
 * argument ({@code usedPeak livePeak maxHeap}), every 100 ms and at exit, so a killed process still leaves them.
 * Beside it, {@code <file>.series} gets one line every 250 ms, {@code millisSinceStart usedNow liveAfterLastGc}: the
 * heap over time (the backpressure scenario reads it).
 * <p>
 * Usage: {@code java -Xmx256m -cp ... dev.kafkalearn.bench.HeapSampler heap.txt the.Main args...}
 */
public final class HeapSampler {

    private static final AtomicLong USED_PEAK = new AtomicLong();
    private static final AtomicLong LIVE_PEAK = new AtomicLong();
    private static final AtomicLong LIVE_LAST = new AtomicLong();

    private HeapSampler() {
    }

    public static void main(String[] args) throws Throwable {
        Path out = Path.of(args[0]);
        String mainClass = args[1];
        String[] rest = Arrays.copyOfRange(args, 2, args.length);

        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> isHeapPool(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    LIVE_PEAK.accumulateAndGet(after, Math::max);
                    LIVE_LAST.set(after);
                }
            }, null, null);
        }
        Path series = out.resolveSibling(out.getFileName() + ".series");
        long start = System.nanoTime();
        Thread sampler = new Thread(() -> {
            int tick = 0;
            while (true) {
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                USED_PEAK.accumulateAndGet(heap.getUsed(), Math::max);
                if (++tick % 10 == 0) {
                    write(out);
                }
                if (tick % 25 == 0) {
                    append(series, (System.nanoTime() - start) / 1_000_000 + " " + heap.getUsed() + " " + LIVE_LAST.get());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> write(out), "heap-sampler-exit"));

        Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) rest);
    }

    private static boolean isHeapPool(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
    }

    private static void append(Path series, String line) {
        try {
            Files.writeString(series, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (Exception e) {
            // best effort, like write
        }
    }

    private static synchronized void write(Path out) {
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        try {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, USED_PEAK.get() + " " + LIVE_PEAK.get() + " " + max + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            // best effort: the harness reports "n/a" without the file
        }
    }
}
