package dev.dynport.check.judge;

import dev.dynport.check.model.State;

/** What a rule found about one watched port in one address family, with its default state. */
public enum FindingCode {
    /** Inside a non-administered (Hyper-V/WinNAT) exclusion: nothing, Exchange included, can bind it. */
    SYSTEM_RESERVED(State.CRITICAL),
    /** A local endpoint on the port belongs to a process that is not an owner. */
    FOREIGN_HOLDER(State.CRITICAL),
    /**
     * tasklist shows no service names and the holder's image may be the owner's (POP3/IMAP4 front- and back-end
     * share images): whether it is foreign cannot be told.
     */
    OWNER_UNKNOWN(State.UNKNOWN),
    /** No owner listens although {@code --expect-listening} was given. */
    NOT_LISTENING(State.CRITICAL),
    /** A TIME_WAIT (PID 0) socket on the port: the allocator has been handing it out. */
    RECENT_EPHEMERAL_USE(State.WARNING),
    /** Inside the dynamic range with no exclusion: the allocator may hand it to any process. */
    EXPOSED(State.WARNING),
    /**
     * The evidence shows this host does not use the port (its back-end is off, or binds another ProxyTargetPort):
     * nothing that holds or blocks it matters, so it is listed, not judged.
     */
    NOT_IN_USE(State.OK),
    /** Covered by an administered exclusion. */
    PROTECTED(State.OK),
    /** Outside the dynamic range. */
    OUTSIDE_RANGE(State.OK);

    private final State defaultState;

    FindingCode(State defaultState) {
        this.defaultState = defaultState;
    }

    public State defaultState() {
        return defaultState;
    }
}
