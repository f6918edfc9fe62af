package dev.kafkalearn.settings;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The management server's port (health, metrics), checked before anything starts: taken by another program, it is one
 * line naming MANAGEMENT_PORT and the start is refused, instead of the HTTP server's stack trace and a pipeline running
 * on without health or metrics (which its probes would take for dead). Bean {@code managementPort} in
 * application.properties, created before camel-main starts that server.
 */
public class ManagementPortCheck {

    /**
     * Objects: camel-main hands a number or a boolean as such and anything else as text; a port that is no number is
     * left to {@link SettingsCheck}'s one message about it.
     */
    public ManagementPortCheck(Object enabled, Object host, Object portValue) {
        int port;
        try {
            port = Integer.parseInt(String.valueOf(portValue).trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (!Boolean.parseBoolean(String.valueOf(enabled).trim()) || port <= 0 || port > 65535) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(String.valueOf(host), port));
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new InvalidSetting("MANAGEMENT_PORT", String.valueOf(port), "a free port, and another program"
                        + " listens on " + port + " (stop it, or set MANAGEMENT_PORT to another port; 0 = any free one)");
            }
            throw new InvalidSetting("MANAGEMENT_HOST", String.valueOf(host), "an address of this machine to listen on ("
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidSetting("MANAGEMENT_PORT", String.valueOf(port), "a port to listen on (" + e.getMessage() + ")");
        }
    }
}
