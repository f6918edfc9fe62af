package dev.kafkalearn.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports that nothing takes by chance before they are bound. A port from {@code new ServerSocket(0)} comes from
 * the kernel's ephemeral range, the same range every outgoing connection on the machine draws its local port from, so
 * it can be taken between being chosen and being bound. Ports below that range are only ever taken by an explicit
 * bind: we pick one at random there and check that it binds now. A port is handed out once per JVM: two picks in a
 * row (a broker's listener and its controller) once drew the same free port.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int highest = ephemeralRangeStart() - 1;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (port >= 27_017 && port <= 27_019) {
                continue; // MongoDB's and the local MongoDB-wire server's usual ports
            }
            if (bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + LOWEST + " and " + highest));
    }

    private static boolean bindable(int port) {
        try (ServerSocket wildcard = new ServerSocket()) {
            wildcard.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux: ip_local_port_range; 32768 elsewhere). */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(LOWEST + 1000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

}
