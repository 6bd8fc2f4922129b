package dev.dynport.check.model;

import java.util.Objects;

/**
 * What {@code sc queryex NAME} told about one service: its state and process id (0 when not running), or the
 * Windows error code sc failed with (1060: no such service; 5: access denied).
 *
 * @param state null exactly when {@code errorCode} is not 0
 */
public record ServiceStatus(String service, int errorCode, ServiceRunState state, int pid) {
    public ServiceStatus {
        Objects.requireNonNull(service);
        if ((errorCode == 0) != (state != null)) {
            throw new IllegalArgumentException("a state exactly when sc succeeded");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("pid below 0 [" + pid + "]");
        }
    }

    public static ServiceStatus found(String service, ServiceRunState state, int pid) {
        return new ServiceStatus(service, 0, Objects.requireNonNull(state), pid);
    }

    public static ServiceStatus failed(String service, int errorCode) {
        return new ServiceStatus(service, errorCode, null, 0);
    }

    public boolean notInstalled() {
        return errorCode == ServiceConfig.ERROR_SERVICE_DOES_NOT_EXIST;
    }
}
