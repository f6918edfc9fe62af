package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU time a process's JIT compiler threads (C1, C2) have used so far, in milliseconds, from Linux's
 * /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat (utime + stime, in clock ticks of 10 ms); NaN where there is no /proc. Taken before and
 * after a measured window, it shows whether a row was measured compiled or still compiling.
 * <p>
 * The JVM stops compiler threads it no longer needs (UseDynamicNumberOfCompilerThreads), and a stopped thread's
 * CPU leaves /proc with it: each thread's last reading is kept, so that the total never goes back (a smoke-test
 * round reported -250 ms for a window in which a C1 thread ended). What a thread used between the last reading and
 * its end is not seen.
 */
final class CompilerCpu {

    private static final double MS_PER_TICK = 10;

    /** Per process, per compiler thread (its task id): its ticks at the last reading. */
    private static final Map<Long, Map<String, Long>> SEEN = new ConcurrentHashMap<>();

    private CompilerCpu() {
    }

    /** One warm-up pass (index from 0). */
    interface Pass {
        void run(int index) throws Exception;
    }

    /** The passes a warm-up ran (each one's compiler CPU, ms) and the reading at the end of the last, ms. */
    record Warmed(List<Double> passMs, double readingMs) {
        int passes() {
            return passMs.size();
        }
    }

    /**
     * The benchmark's one rule for warming a JVM until its JIT has settled: at least minPasses, then more until one in
     * which the process's compiler threads used less than settledMs of CPU, at most maxPasses. The measured window
     * starts at the returned reading.
     */
    static Warmed untilSettled(long pid, int minPasses, int maxPasses, double settledMs, Pass pass) throws Exception {
        List<Double> passMs = new ArrayList<>();
        double before = millis(pid);
        double inPass;
        do {
            pass.run(passMs.size());
            double now = millis(pid);
            inPass = now - before;
            before = now;
            passMs.add(inPass);
        } while (passMs.size() < maxPasses && (passMs.size() < minPasses || !(inPass < settledMs)));
        return new Warmed(passMs, before);
    }

    static double millis(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Double.NaN;
        }
        Map<String, Long> seen = SEEN.computeIfAbsent(pid, p -> new ConcurrentHashMap<>());
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                long ticks = compilerTicks(thread);
                if (ticks > 0) {
                    seen.merge(thread.getFileName().toString(), ticks, Math::max);
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return seen.values().stream().mapToLong(Long::longValue).sum() * MS_PER_TICK;
    }

    /** The thread's utime + stime if it is a compiler thread ("C1 CompilerThre", "C2 CompilerThre": 15 characters). */
    private static long compilerTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
                return 0;
            }
            // after "(name) ": state is field 3 of stat, utime field 14, stime field 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended meanwhile
        }
    }
}
