package dev.dynport.check.acquire;

import java.util.List;
import java.util.Optional;

/**
 * What the transport may authenticate with: private keys (with their passphrases) and a password. Secrets
 * are held as bytes, copied in and out, and never appear in {@link #toString()}.
 */
public final class SshCredentials {
    /** One private key file as read; {@code name} is the path, used in messages. */
    public static final class Identity {
        private final String name;
        private final String keyType;
        private final byte[] privateKey;
        private final byte[] passphrase;

        /**
         * @param keyType the SSH key type for messages, e.g. {@code ssh-ed25519}
         * @param passphrase null when the key is not encrypted
         */
        public Identity(String name, String keyType, byte[] privateKey, byte[] passphrase) {
            this.name = name;
            this.keyType = keyType;
            this.privateKey = privateKey.clone();
            this.passphrase = passphrase == null ? null : passphrase.clone();
        }

        public String name() {
            return name;
        }

        public String keyType() {
            return keyType;
        }

        byte[] privateKey() {
            return privateKey.clone();
        }

        byte[] passphrase() {
            return passphrase == null ? null : passphrase.clone();
        }

        @Override
        public String toString() {
            return "Identity[" + name + ", " + keyType + (passphrase == null ? "" : ", passphrase=<masked>") + "]";
        }
    }

    private final List<Identity> identities;
    private final byte[] password;

    /** @param password null when no password is to be tried */
    public SshCredentials(List<Identity> identities, byte[] password) {
        this.identities = List.copyOf(identities);
        this.password = password == null ? null : password.clone();
        if (this.identities.isEmpty() && this.password == null) {
            throw new IllegalArgumentException("no identity and no password");
        }
    }

    public List<Identity> identities() {
        return identities;
    }

    public boolean hasPassword() {
        return password != null;
    }

    Optional<byte[]> password() {
        return Optional.ofNullable(password).map(byte[]::clone);
    }

    /** The methods in the order they are tried, for the client config and the auth-rejected message. */
    String preferredMethods() {
        StringBuilder m = new StringBuilder();
        if (!identities.isEmpty()) {
            m.append("publickey");
        }
        if (password != null) {
            m.append(m.length() == 0 ? "" : ",").append("password,keyboard-interactive");
        }
        return m.toString();
    }

    /** Human description of what was tried, e.g. {@code publickey [/k/id_ed25519] (ssh-ed25519), password}. */
    String describeMethods() {
        StringBuilder m = new StringBuilder();
        for (Identity id : identities) {
            m.append(m.length() == 0 ? "" : ", ").append("publickey [").append(id.name()).append("] (")
                    .append(id.keyType()).append(')');
        }
        if (password != null) {
            m.append(m.length() == 0 ? "" : ", ").append("password, keyboard-interactive");
        }
        return m.toString();
    }

    @Override
    public String toString() {
        return "SshCredentials[identities=" + identities + ", password=" + (password == null ? "none" : "<masked>") + "]";
    }
}
