package dev.dynport.check.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Who and when, from a snapshot's {@code capture-info} section.
 *
 * @param host the host name as {@code hostname} printed it (the computer's DNS host name, no domain)
 * @param capturedAt the capture time, exact: the host printed local time with its UTC offset
 * @param hostOffset the host's UTC offset at capture, for messages that quote what the host printed
 * @param osVersion {@code major.minor.build.revision} as .NET reports it, e.g. {@code 10.0.17763.0}
 */
public record CaptureInfo(String host, Instant capturedAt, ZoneOffset hostOffset, String osVersion) {
    public CaptureInfo {
        Objects.requireNonNull(host);
        Objects.requireNonNull(capturedAt);
        Objects.requireNonNull(hostOffset);
        Objects.requireNonNull(osVersion);
    }
}
