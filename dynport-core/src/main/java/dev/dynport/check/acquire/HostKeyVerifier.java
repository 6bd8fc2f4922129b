package dev.dynport.check.acquire;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host key decision, given to JSch as its {@link HostKeyRepository} (JSch runs with
 * {@code StrictHostKeyChecking=yes}, so anything but {@link #OK} ends the connection before authentication).
 * It remembers what the server presented and why it was refused, so the failure message can name the key
 * type and fingerprint. It never lets JSch rewrite the file; a first-seen key under {@code acceptNew} is
 * appended as one line, like OpenSSH's accept-new.
 */
final class HostKeyVerifier implements HostKeyRepository {
    /** The outcome of the last check, for the failure message. */
    enum Verdict { NOT_CHECKED, KNOWN, ADDED, UNKNOWN, CHANGED, OTHER_TYPE_KNOWN, REVOKED, WRITE_FAILED }

    private final KnownHostsFile file;
    private final boolean acceptNew;
    private volatile Verdict verdict = Verdict.NOT_CHECKED;
    private volatile byte[] presented;
    private volatile String writeError = "";

    HostKeyVerifier(KnownHostsFile file, boolean acceptNew) {
        this.file = file;
        this.acceptNew = acceptNew;
    }

    /** @param given what JSch looks up: {@code host} or {@code [host]:port}; OpenSSH lower-cases host names */
    @Override
    public int check(String given, byte[] key) {
        String name = given.toLowerCase(Locale.ROOT);
        presented = key.clone();
        List<KnownHostsFile.Entry> entries = file.matching(name);
        String type = HostKeys.type(key);
        boolean otherKeyOfType = false;
        for (KnownHostsFile.Entry e : entries) {
            if (KnownHostsFile.sameKey(e, key) && e.revoked()) {
                verdict = Verdict.REVOKED;
                return CHANGED;
            }
        }
        for (KnownHostsFile.Entry e : entries) {
            if (e.revoked()) {
                continue;
            }
            if (KnownHostsFile.sameKey(e, key)) {
                verdict = Verdict.KNOWN;
                return OK;
            }
            otherKeyOfType |= e.type().equals(type);
        }
        if (otherKeyOfType) {
            verdict = Verdict.CHANGED;
            return CHANGED;
        }
        if (entries.stream().anyMatch(e -> !e.revoked())) {
            // Known under another key type only: the server no longer offers the recorded type. OpenSSH
            // warns here; we refuse, because accepting would trust a key nobody compared.
            verdict = Verdict.OTHER_TYPE_KNOWN;
            return CHANGED;
        }
        if (!acceptNew) {
            verdict = Verdict.UNKNOWN;
            return NOT_INCLUDED;
        }
        try {
            append(file.path(), HostKeys.knownHostsLine(name, key));
        } catch (IOException e) {
            writeError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            verdict = Verdict.WRITE_FAILED;
            return NOT_INCLUDED;
        }
        verdict = Verdict.ADDED;
        return OK;
    }

    private static void append(Path path, String line) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            // two checks accepting the same host at once must not interleave their lines
            FileLock lock = ch.lock();
            long size = ch.size();
            String prefix = "";
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                prefix = last.get(0) == '\n' ? "" : "\n";
            }
            ch.position(size);
            OutputStream out = Channels.newOutputStream(ch);
            out.write((prefix + line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ch.force(true);
            lock.release();
        }
    }

    Verdict verdict() {
        return verdict;
    }

    /** The key the server presented, or null before key exchange finished. */
    byte[] presented() {
        byte[] p = presented;
        return p == null ? null : p.clone();
    }

    String writeError() {
        return writeError;
    }

    Path path() {
        return file.path();
    }

    /** JSch asks for the known keys to prefer their algorithms in key exchange. */
    @Override
    public HostKey[] getHostKey(String given, String type) {
        if (given == null) {
            return new HostKey[0];
        }
        String name = given.toLowerCase(Locale.ROOT);
        List<HostKey> keys = new ArrayList<>();
        for (KnownHostsFile.Entry e : file.matching(name)) {
            if (e.revoked() || (type != null && !type.equals(e.type()))) {
                continue;
            }
            try {
                keys.add(new HostKey(name, e.blob()));
            } catch (JSchException unsupported) {
                // a key type JSch does not know cannot be negotiated either
            }
        }
        return keys.toArray(new HostKey[0]);
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    /** Never called with StrictHostKeyChecking=yes; writing is done in {@link #check} only. */
    @Override
    public void add(HostKey hostkey, UserInfo ui) {
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.path().toString();
    }
}
