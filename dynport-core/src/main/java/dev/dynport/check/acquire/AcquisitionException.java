package dev.dynport.check.acquire;

/**
 * Getting the outputs failed. The message is one line for the status line and never carries a secret.
 */
public final class AcquisitionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why acquisition failed; {@code network} failures are what {@code --unreachable-state} applies to. */
    public enum Failure {
        INPUT_UNREADABLE(false),
        UNSUPPORTED_PLATFORM(false),
        DNS(true),
        CONNECTION_REFUSED(true),
        TIMEOUT(true),
        NETWORK(true),
        AUTH_REJECTED(false),
        HOST_KEY_UNKNOWN(false),
        HOST_KEY_CHANGED(false),
        REMOTE_COMMAND_FAILED(false),
        OUTPUT_TRUNCATED(false);

        private final boolean network;

        Failure(boolean network) {
            this.network = network;
        }

        public boolean network() {
            return network;
        }
    }

    private final Failure failure;

    public AcquisitionException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public AcquisitionException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
