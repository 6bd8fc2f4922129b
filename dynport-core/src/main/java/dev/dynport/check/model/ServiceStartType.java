package dev.dynport.check.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * A service's start type as {@code sc qc} prints it: the number (language-independent) and the constant name
 * beside it, e.g. {@code START_TYPE : 3   DEMAND_START}.
 */
public enum ServiceStartType {
    BOOT(0, "BOOT_START"),
    SYSTEM(1, "SYSTEM_START"),
    AUTOMATIC(2, "AUTO_START"),
    MANUAL(3, "DEMAND_START"),
    DISABLED(4, "DISABLED");

    private final int code;
    private final String symbol;

    ServiceStartType(int code, String symbol) {
        this.code = code;
        this.symbol = symbol;
    }

    public int code() {
        return code;
    }

    /** The constant name sc.exe prints after the number. */
    public String symbol() {
        return symbol;
    }

    public static Optional<ServiceStartType> byCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }
}
