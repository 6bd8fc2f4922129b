package dev.dynport.probe.schedule;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.HostKeyPolicy;
import dev.dynport.check.acquire.LinuxLocalSource;
import dev.dynport.check.acquire.LocalCommandSource;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.acquire.SnapshotSource;
import dev.dynport.check.acquire.SshSource;
import dev.dynport.check.acquire.SshTarget;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.config.SshIdentities;
import dev.dynport.probe.config.TargetAccess;
import dev.dynport.probe.config.TargetConfig;

/**
 * The check library's sources, chosen as the check CLI chooses them: snapshot targets re-read their file at every
 * probe, local targets run the capture commands on this Windows host or read this Linux host's kernel
 * ({@code --local}), SSH targets use the check's SSH transport ({@code -H}, {@code --platform}) with the key and
 * password resolved at start.
 */
public final class DefaultSourceFactory implements SnapshotSourceFactory {
    private final String osName;

    /** @param osName {@code os.name}: local targets work on Windows and Linux */
    public DefaultSourceFactory(String osName) {
        this.osName = osName;
    }

    @Override
    public SnapshotSource create(TargetConfig target) {
        TargetAccess a = target.access();
        if (a instanceof TargetAccess.SnapshotFile f) {
            return new SnapshotFileSource(f.file(), target.charset());
        }
        if (a instanceof TargetAccess.Ssh s) {
            return ssh(target, s);
        }
        if (TargetAccess.linuxHost(osName)) {
            return new LinuxLocalSource();
        }
        // On anything but Windows and Linux this fails every probe with UNSUPPORTED_PLATFORM: a PROBE_FAILED.
        return new LocalCommandSource(target.charset(), osName);
    }

    private static SnapshotSource ssh(TargetConfig target, TargetAccess.Ssh s) {
        try {
            return new SshSource(new SshTarget(s.hostname(), s.port(), s.user()),
                    SshIdentities.credentials(s, "target " + target.name()),
                    new HostKeyPolicy(s.knownHosts(), s.acceptNewHostKey()), target.charset(), s.platform());
        } catch (ConfigException e) {
            // The key was checked at start; it changed since. Every probe says so until the agent is restarted.
            String message = e.getMessage();
            return timeout -> {
                throw new AcquisitionException(AcquisitionException.Failure.AUTH_REJECTED, message);
            };
        }
    }
}
