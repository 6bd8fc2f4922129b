package dev.dynport.probe.sink;

/**
 * A delivery failed. {@code retryable} says whether trying again can help (5xx, 429, connection errors) or not
 * (4xx, bad config): the dispatcher backs off and retries the first and reports and skips the second.
 */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public DeliveryException(boolean retryable, String message) {
        super(message);
        this.retryable = retryable;
    }

    public DeliveryException(boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
