package dev.dynport.probe.health;

import dev.dynport.check.model.Family;

/** One SCOM-style unit monitor: a watched port of one target in one address family. */
public record MonitorKey(String host, int port, Family family) {
}
