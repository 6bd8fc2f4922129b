package dev.dynport.probe.sink;

import java.io.IOException;
import java.time.Clock;

/** Builds a sink from its validated settings (TLS material and secrets are already loaded). */
@FunctionalInterface
interface SinkBuilder {
    Sink build(Clock clock) throws IOException;
}
