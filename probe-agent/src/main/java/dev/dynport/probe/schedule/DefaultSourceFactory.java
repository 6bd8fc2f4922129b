package dev.dynport.probe.schedule;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import java.util.function.Function;

/**
 * Snapshot targets read their file at every probe. SSH and local targets go through the check's transports,
 * given to the constructor so that the build can wire them where they exist.
 */
public final class DefaultSourceFactory implements SnapshotSourceFactory {
    private final Function<TargetAccess.Ssh, SnapshotSource> ssh;
    private final SnapshotSource local;

    public DefaultSourceFactory(Function<TargetAccess.Ssh, SnapshotSource> ssh, SnapshotSource local) {
        this.ssh = ssh;
        this.local = local;
    }

    /**
     * MERGE SEAM: the check's SSH transport ({@code dev.dynport.check.acquire}, SshTarget/SshCredentials/
     * HostKeyPolicy) is being built on another branch. Until it is wired here, every probe of an SSH target
     * fails with a clear UNKNOWN (a PROBE_FAILED event), never a port alert.
     */
    public static SnapshotSource sshUnavailable(TargetAccess.Ssh access) {
        return timeout -> {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "ssh transport not available in this build [" + access.user() + "@" + access.hostname() + ":"
                            + access.port() + "]");
        };
    }

    /**
     * MERGE SEAM: running the capture commands on this Windows host is the check's {@code --local} source; until
     * it is wired here a local target fails its probes with a clear UNKNOWN.
     */
    public static SnapshotSource localUnavailable() {
        return timeout -> {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "local probing not available in this build");
        };
    }

    public static DefaultSourceFactory withoutTransports() {
        return new DefaultSourceFactory(DefaultSourceFactory::sshUnavailable, localUnavailable());
    }

    @Override
    public SnapshotSource create(TargetConfig target) {
        TargetAccess a = target.access();
        if (a instanceof TargetAccess.SnapshotFile f) {
            return new SnapshotFileSource(f.file(), f.charset());
        }
        if (a instanceof TargetAccess.Ssh s) {
            return ssh.apply(s);
        }
        return local;
    }
}
