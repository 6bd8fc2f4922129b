package dev.dynport.check.cli;

/** A bad argument; the message is one line that names the bad value in brackets. Exit 3 (UNKNOWN). */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
