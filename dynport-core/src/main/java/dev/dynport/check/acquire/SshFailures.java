package dev.dynport.check.acquire;

import dev.dynport.check.util.Text;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import dev.dynport.check.acquire.AcquisitionException.Failure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what went wrong on the way into one named failure with a one-line message that starts with the
 * target, e.g. {@code ssh [monitor@exch01:22]: connection refused}. Messages carry key types, fingerprints,
 * paths, user and host names: never a password, passphrase or key material.
 */
final class SshFailures {
    private static final int MAX_DETAIL = 240;
    private static final Pattern SERVER_METHODS = Pattern.compile("for methods '([^']*)'");

    private SshFailures() {
    }

    /** The phases of one acquisition, named in timeout messages. */
    enum Phase {
        CONNECT("connecting (name lookup, TCP, key exchange)"),
        AUTH("authenticating"),
        EXEC("starting the remote command"),
        READ("reading the output");

        private final String doing;

        Phase(String doing) {
            this.doing = doing;
        }

        String doing() {
            return doing;
        }
    }

    static AcquisitionException fail(SshTarget target, Failure failure, String what) {
        return new AcquisitionException(failure, "ssh [" + target + "]: " + oneLine(what));
    }

    static AcquisitionException classify(SshTarget target, JSchException e, Phase phase, HostKeyVerifier verifier,
                                         SshCredentials credentials) {
        if (e instanceof JSchHostKeyException) {
            return hostKey(target, verifier);
        }
        Throwable root = rootCause(e);
        if (root instanceof UnknownHostException) {
            return fail(target, Failure.DNS, "host name [" + target.host() + "] not found (DNS)");
        }
        if (root instanceof ConnectException) {
            return fail(target, Failure.CONNECTION_REFUSED, "connection refused (is sshd running on port "
                    + target.port() + "?)");
        }
        if (root instanceof NoRouteToHostException) {
            return fail(target, Failure.NETWORK, "no route to host");
        }
        if (root instanceof SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("timeout")) {
            return fail(target, Failure.TIMEOUT, "timed out while " + phase.doing());
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel")) {
            Matcher m = SERVER_METHODS.matcher(msg);
            String server = m.find() ? "; server accepts: " + m.group(1) : "";
            return fail(target, Failure.AUTH_REJECTED, "authentication rejected for user [" + target.user()
                    + "] (tried " + credentials.describeMethods() + server + ")");
        }
        if (e instanceof JSchAlgoNegoFailException) {
            return fail(target, Failure.NETWORK, "no algorithm in common with the server: " + msg);
        }
        if (phase == Phase.EXEC) {
            return fail(target, Failure.REMOTE_COMMAND_FAILED, "server refused to run the command: " + msg);
        }
        return fail(target, Failure.NETWORK, "connection failed while " + phase.doing() + ": " + describe(root));
    }

    private static AcquisitionException hostKey(SshTarget target, HostKeyVerifier v) {
        byte[] key = v.presented();
        String presented = key == null ? "a host key" : HostKeys.type(key) + " key " + HostKeys.fingerprint(key);
        String name = target.knownHostsName();
        String file = "[" + v.path() + "]";
        switch (v.verdict()) {
            case CHANGED:
                return fail(target, Failure.HOST_KEY_CHANGED, "HOST KEY CHANGED, not connecting: server sent "
                        + presented + ", which differs from the key for " + name + " in " + file);
            case OTHER_TYPE_KNOWN:
                return fail(target, Failure.HOST_KEY_CHANGED, "host key mismatch, not connecting: server sent "
                        + presented + ", but " + file + " holds only keys of other types for " + name);
            case REVOKED:
                return fail(target, Failure.HOST_KEY_CHANGED, "host key is marked @revoked in " + file
                        + ", not connecting: " + presented);
            case WRITE_FAILED:
                return fail(target, Failure.HOST_KEY_UNKNOWN, "cannot add " + presented + " for " + name + " to "
                        + file + ": " + v.writeError());
            default:
                return fail(target, Failure.HOST_KEY_UNKNOWN, "host key not known: server sent " + presented
                        + ", not in " + file + " for " + name
                        + "; compare it with the host's (ssh-keygen -lf on its host key), then add it or use"
                        + " --accept-new-host-key");
        }
    }

    static Throwable rootCause(Throwable t) {
        Throwable r = t;
        for (int i = 0; i < 10 && r.getCause() != null && r.getCause() != r; i++) {
            r = r.getCause();
        }
        return r;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Control characters and line breaks to spaces, runs of blanks collapsed, cut to a status-line size. */
    static String oneLine(String s) {
        String flat = s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").replaceAll(" {2,}", " ").strip();
        return Text.clip(flat, MAX_DETAIL);
    }

    /** The first non-blank lines of what the remote side printed, decoded like a snapshot section. */
    static String firstLines(byte[] text, Charset oemFallback, int lines) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text)).toString();
        } catch (CharacterCodingException e) {
            decoded = new String(text, oemFallback);
        }
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String line : decoded.split("\r?\n|\r")) {
            if (line.isBlank()) {
                continue;
            }
            out.append(out.length() == 0 ? "" : " / ").append(line.strip());
            if (++n == lines) {
                break;
            }
        }
        return out.toString();
    }
}
