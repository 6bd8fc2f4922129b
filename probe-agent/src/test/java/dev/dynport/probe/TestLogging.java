package dev.dynport.probe;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/**
 * Named by surefire's {@code java.util.logging.config.class}: reads {@code logging-test.properties}. A config class
 * rather than {@code java.util.logging.config.file}, because the agent leaves logging alone when an operator set the
 * latter ({@code LogSetup}), and the black-box tests must see the agent's own log lines.
 */
public final class TestLogging {
    public TestLogging() throws IOException {
        try (InputStream in = TestLogging.class.getResourceAsStream("/logging-test.properties")) {
            if (in == null) {
                throw new IOException("logging-test.properties is not on the test classpath");
            }
            LogManager.getLogManager().readConfiguration(in);
        }
    }
}
