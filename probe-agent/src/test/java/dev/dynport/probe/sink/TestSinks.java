package dev.dynport.probe.sink;

import dev.dynport.probe.config.FieldReader;
import dev.dynport.probe.config.ConfigException;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Builds one sink from its JSON config, exactly as the pipeline does. */
final class TestSinks {
    static final Clock CLOCK = Clock.fixed(TestEvents.T0, ZoneOffset.UTC);

    private TestSinks() {
    }

    /** @param sinkJson one sink object, single quotes allowed for readability */
    static Sink build(String sinkJson, Map<String, String> env) throws ConfigException, IOException {
        return build(sinkJson, env, CLOCK);
    }

    static Sink build(String sinkJson, Map<String, String> env, Clock clock) throws ConfigException, IOException {
        FieldReader r = new FieldReader(env);
        List<SinkFactory.Spec> specs = SinkFactory.read(r, DeliveryPipelineTest.json("[" + sinkJson + "]"), "Linux");
        r.throwIfAny();
        return specs.get(0).builder().build(clock);
    }

    static String configError(String sinkJson, Map<String, String> env) {
        FieldReader r = new FieldReader(env);
        SinkFactory.read(r, DeliveryPipelineTest.json("[" + sinkJson + "]"), "Linux");
        try {
            r.throwIfAny();
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
