package dev.dynport.check.acquire;

import java.time.Duration;

/** A way to get a host's command outputs: a snapshot file, this Windows host, or a remote host over SSH. */
public interface SnapshotSource {
    /**
     * @param timeout the whole budget for this acquisition (connect, authenticate, run, read)
     */
    Snapshot acquire(Duration timeout) throws AcquisitionException;
}
