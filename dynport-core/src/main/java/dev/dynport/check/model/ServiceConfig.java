package dev.dynport.check.model;

import java.util.Objects;

/**
 * What {@code sc qc NAME} told about one service: its start type, or the Windows error code sc failed with
 * (1060: no such service; 5: access denied).
 *
 * @param startType null exactly when {@code errorCode} is not 0
 */
public record ServiceConfig(String service, int errorCode, ServiceStartType startType) {
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_SERVICE_DOES_NOT_EXIST = 1060;

    public ServiceConfig {
        Objects.requireNonNull(service);
        if ((errorCode == 0) != (startType != null)) {
            throw new IllegalArgumentException("a start type exactly when sc succeeded");
        }
    }

    public static ServiceConfig found(String service, ServiceStartType startType) {
        return new ServiceConfig(service, 0, Objects.requireNonNull(startType));
    }

    public static ServiceConfig failed(String service, int errorCode) {
        return new ServiceConfig(service, errorCode, null);
    }

    public boolean notInstalled() {
        return errorCode == ERROR_SERVICE_DOES_NOT_EXIST;
    }
}
