package dev.dynport.probe.schedule;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.LocalCommandSource;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;
import java.nio.charset.Charset;

/**
 * Sources from the check library: snapshot targets re-read their file at every probe, local targets run the
 * capture commands on this Windows host, SSH targets use the SSH transport given to the constructor.
 */
public final class DefaultSourceFactory implements SnapshotSourceFactory {
    /** Builds the SSH source of a target: its access and the charset of its console. */
    @FunctionalInterface
    public interface SshSources {
        SnapshotSource create(TargetAccess.Ssh access, Charset charset);
    }

    private final SshSources ssh;
    private final String osName;

    /** @param osName {@code os.name}: local targets only work on Windows */
    public DefaultSourceFactory(SshSources ssh, String osName) {
        this.ssh = ssh;
        this.osName = osName;
    }

    /**
     * MERGE SEAM: the check's SSH transport ({@code dev.dynport.check.acquire}, SshTarget/SshCredentials/
     * HostKeyPolicy) is being built on another branch. Until it is wired here, every probe of an SSH target
     * fails with a clear UNKNOWN (a PROBE_FAILED event), never a port alert.
     */
    public static SnapshotSource sshUnavailable(TargetAccess.Ssh access, Charset charset) {
        return timeout -> {
            throw new AcquisitionException(AcquisitionException.Failure.UNSUPPORTED_PLATFORM,
                    "ssh transport not available in this build [" + access.user() + "@" + access.hostname() + ":"
                            + access.port() + "]");
        };
    }

    public static DefaultSourceFactory withoutSsh(String osName) {
        return new DefaultSourceFactory(DefaultSourceFactory::sshUnavailable, osName);
    }

    @Override
    public SnapshotSource create(TargetConfig target) {
        TargetAccess a = target.access();
        if (a instanceof TargetAccess.SnapshotFile f) {
            return new SnapshotFileSource(f.file(), target.charset());
        }
        if (a instanceof TargetAccess.Ssh s) {
            return ssh.create(s, target.charset());
        }
        // On anything but Windows this fails every probe with UNSUPPORTED_PLATFORM: a PROBE_FAILED, not an alert.
        return new LocalCommandSource(target.charset(), osName);
    }
}
