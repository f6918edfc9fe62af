package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Before each row: the disk work the rows before it left behind is done first, so the row does not pay for it. A row
 * writing into the broker (the source rows, about 170 MB a round at N = 100 000) leaves dirty pages the kernel writes
 * back about 30 s later (vm.dirty_expire_centisecs), and the topics it deleted stay on disk as {@code *-delete}
 * directories until the broker removes them ({@code log.segment.delete.delay.ms}, 60 s by default): both landed in
 * the rows after it. So: wait (bounded) until the broker removed its deleted topics, then {@code sync}, and log both.
 */
final class QuietDisk {

    private static final long DELETIONS_TIMEOUT_MS = 30_000;
    private static final long SYNC_TIMEOUT_S = 60;

    /** The broker's log directory (its *-delete directories are awaited), or null when the broker is not ours. */
    private final Path brokerLogDir;

    QuietDisk(Path brokerLogDir) {
        this.brokerLogDir = brokerLogDir;
    }

    /** Waits for the broker's pending deletions, then syncs; logs what it waited for. */
    void settle(String row) throws IOException, InterruptedException {
        long started = System.nanoTime();
        int pending = pendingDeletions();
        while (pendingDeletions() > 0
                && System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(DELETIONS_TIMEOUT_MS)) {
            Thread.sleep(100);
        }
        long deleted = System.nanoTime();
        long dirtyBefore = dirtyKb();
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        boolean synced = sync.waitFor(SYNC_TIMEOUT_S, TimeUnit.SECONDS);
        Benchmark.log("%s: disk settled: %d deleted topic(s) of the broker removed in %.1f s (%d left); sync %s in "
                        + "%.1f s, Dirty+Writeback %,d kB before, %,d kB after", row, pending,
                (deleted - started) / 1e9, pendingDeletions(), synced ? "done" : "NOT done",
                (System.nanoTime() - deleted) / 1e9, dirtyBefore, dirtyKb());
    }

    private int pendingDeletions() throws IOException {
        if (brokerLogDir == null) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(brokerLogDir)) {
            return (int) dirs.filter(d -> d.getFileName().toString().endsWith("-delete")).count();
        }
    }

    /** Dirty + Writeback of /proc/meminfo: file data not yet on disk, machine-wide; -1 where there is none. */
    static long dirtyKb() {
        try {
            long kb = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("Dirty:") || line.startsWith("Writeback:")) {
                    kb += Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return kb;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
