package dev.dynport.check.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version both faces print for {@code -V}, filtered into {@code version.properties} at build time. */
public final class Version {
    private Version() {
    }

    public static String current() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
