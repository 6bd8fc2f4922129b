package dev.dynport.check.model;

/**
 * TCP connection state as printed by netstat. German Windows translates the words; a word that is not known
 * maps to {@link #OTHER} and the raw word is kept on the endpoint. Rules never depend on the word alone:
 * a listener is also recognised by a foreign address of {@code 0.0.0.0:0} / {@code [::]:0}.
 */
public enum TcpState {
    LISTENING,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED,
    DELETE_TCB,
    BOUND,
    OTHER
}
