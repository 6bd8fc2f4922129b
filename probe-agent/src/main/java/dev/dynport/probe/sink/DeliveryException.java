package dev.dynport.probe.sink;

/**
 * A delivery failed. {@code retryable} says whether trying again can help (5xx, 429, connection errors) or not
 * (4xx, bad config): the dispatcher backs off and retries the first and reports and skips the second.
 */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;
    private final boolean logged;

    public DeliveryException(boolean retryable, String message) {
        this(retryable, message, false);
    }

    /**
     * @param logged the sink has already logged the cause (once per cause, with the fix), so the worker logs the
     *     skip at FINE instead of once more per event
     */
    public DeliveryException(boolean retryable, String message, boolean logged) {
        super(message);
        this.retryable = retryable;
        this.logged = logged;
    }

    public DeliveryException(boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.logged = false;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean logged() {
        return logged;
    }
}
