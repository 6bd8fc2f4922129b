package dev.dynport.probe.ops;

import java.util.List;

/** Anything that contributes samples to {@code /metrics}: the scheduler, the spool, the dispatcher. */
public interface MetricSource {
    List<Metric> metrics();
}
