package dev.kafkalearn;

import java.net.InetAddress;
import java.net.ServerSocket;

import dev.kafkalearn.settings.InvalidSetting;
import org.apache.camel.main.Main;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The management port taken by another program (8080 often is on a developer's machine): the start is refused with
 * one line naming MANAGEMENT_PORT (the jar prints it as "Not started: ..." and exits 1), before any route runs.
 */
class ManagementPortTakenTest {

    @Test
    void aTakenManagementPortRefusesTheStartWithOneLine() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            Main main = new Main();
            main.addOverrideProperty("management.enabled", "true");
            main.addOverrideProperty("management.host", "127.0.0.1");
            main.addOverrideProperty("management.port", String.valueOf(port));
            main.addOverrideProperty("camel.main.autoStartup", "false");
            Exception failure = assertThrows(Exception.class, main::start);
            InvalidSetting invalid = ObjectHelper.getException(InvalidSetting.class, failure);
            assertEquals("Invalid setting MANAGEMENT_PORT='" + port + "': expected a free port, and another program listens"
                         + " on " + port + " (stop it, or set MANAGEMENT_PORT to another port; 0 = any free one)",
                    invalid.getMessage());
            main.stop();
        }
    }
}
