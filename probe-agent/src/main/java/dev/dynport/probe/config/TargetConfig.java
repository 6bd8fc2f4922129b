package dev.dynport.probe.config;

import dev.dynport.check.judge.CheckOptions;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * One monitored host.
 *
 * @param name the host name in events, metrics and logs; unique in the config
 * @param options what to judge, with the meaning of the check's {@code --profile}, {@code --port},
 *     {@code --exposed-state} and {@code --expect-listening}
 * @param charset the OEM code page of the host's console, for output that is not UTF-8 (the check's
 *     {@code --charset})
 * @param interval time between the starts of two probes of this target
 * @param jitter up to this much is added at random to each interval, so targets do not probe in lockstep
 * @param timeout the whole budget of one probe (connect, authenticate, run, read)
 */
public record TargetConfig(
        String name,
        TargetAccess access,
        CheckOptions options,
        Charset charset,
        Duration interval,
        Duration jitter,
        Duration timeout) {
}
