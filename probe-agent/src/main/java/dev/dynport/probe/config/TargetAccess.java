package dev.dynport.probe.config;

import dev.dynport.check.judge.Freshness;
import dev.dynport.check.model.Platform;
import java.nio.file.Path;
import java.util.Locale;

/** How the agent reaches a target's command outputs. */
public sealed interface TargetAccess permits TargetAccess.Ssh, TargetAccess.Local, TargetAccess.SnapshotFile {

    /** The {@code type} word in the config. */
    String type();

    /**
     * Whether a {@code local} target on a host with this {@code os.name} reads the Linux kernel's facts (as the
     * check's {@code --local} does on Linux); the config validation and the source factory ask the same question.
     */
    static boolean linuxHost(String osName) {
        return osName != null && osName.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /**
     * A remote host over SSH, with the same options as {@code check_dynport -H}. Secrets are
     * {@link SecretRef}s, whose {@code toString} is masked, so this record can be logged.
     *
     * @param identityFile private key file; null for password authentication
     * @param passphrase the identity file's passphrase; null when the key is not encrypted
     * @param password password authentication; null when a key is used
     * @param knownHosts OpenSSH known_hosts file that the host key is checked against
     * @param acceptNewHostKey trust and record an unknown host key on first contact (never a changed one)
     * @param platform the host's OS as configured ({@code --platform}): Windows runs netsh, netstat and tasklist,
     *     Linux its own capture (sysctl files and {@code ss})
     */
    record Ssh(
            String hostname,
            int port,
            String user,
            Path identityFile,
            SecretRef passphrase,
            SecretRef password,
            Path knownHosts,
            boolean acceptNewHostKey,
            Platform platform) implements TargetAccess {
        @Override
        public String type() {
            return "ssh";
        }

        @Override
        public String toString() {
            return "ssh " + user + "@" + hostname + ":" + port
                    + (identityFile != null ? " identity_file=" + identityFile : "")
                    + (passphrase != null ? " passphrase=" + passphrase : "")
                    + (password != null ? " password=" + password : "")
                    + " known_hosts=" + knownHosts
                    + (acceptNewHostKey ? " accept_new_host_key" : "")
                    + (platform == Platform.WINDOWS ? "" : " platform=" + platform.label());
        }
    }

    /** The host the agent runs on: Windows, or Linux (see {@link #linuxHost}). */
    record Local() implements TargetAccess {
        @Override
        public String type() {
            return "local";
        }

        @Override
        public String toString() {
            return "local";
        }
    }

    /**
     * A saved snapshot file ({@code #@section NAME} markers), re-read at every probe: for replaying a capture,
     * for tests, and for hosts that push their capture to a share.
     *
     */
    record SnapshotFile(Path file, Freshness freshness) implements TargetAccess {
        /** A snapshot target without {@code max_age} or {@code expect_host}. */
        public SnapshotFile(Path file) {
            this(file, Freshness.NONE);
        }

        @Override
        public String type() {
            return "snapshot";
        }

        @Override
        public String toString() {
            return "snapshot " + file;
        }
    }
}
