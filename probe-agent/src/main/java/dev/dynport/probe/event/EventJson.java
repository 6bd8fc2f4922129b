package dev.dynport.probe.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import dev.dynport.check.model.State;
import java.time.Instant;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The wire and spool form of {@link Event}: JSON, snake_case fields, ISO-8601 UTC times. */
public final class EventJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("instant-iso8601")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .addModule(new SimpleModule("state-wire-names")
                    .addSerializer(State.class, new StateSerializer())
                    .addDeserializer(State.class, new StateDeserializer()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventJson() {
    }

    /** ISO-8601 text, not epoch numbers: readable in every receiver, without the jsr310 module. */
    private static final class InstantDeserializer extends FromStringDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        protected Instant _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            return Instant.parse(value);
        }
    }

    /** States by their {@link WireState} names ({@code HEALTHY} for OK), the one place the JSON form maps them. */
    private static final class StateSerializer extends StdSerializer<State> {
        private static final long serialVersionUID = 1L;

        StateSerializer() {
            super(State.class);
        }

        @Override
        public void serialize(State value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(WireState.name(value));
        }
    }

    private static final class StateDeserializer extends FromStringDeserializer<State> {
        private static final long serialVersionUID = 1L;

        StateDeserializer() {
            super(State.class);
        }

        @Override
        protected State _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            return WireState.parse(value);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Event event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(Event event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Event fromBytes(byte[] json) throws IOException {
        return MAPPER.readValue(json, Event.class);
    }
}
