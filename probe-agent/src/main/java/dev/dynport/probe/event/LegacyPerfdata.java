package dev.dynport.probe.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event's {@code perfdata}: since schema version 2 a JSON array of Nagios perfdata items, one per value,
 * each as {@code PerfDatum#nagiosItem} formats it. The legacy form (schema version 1, still in spools written before)
 * is one string, the items as the check printed them after {@code |}; it is split once here, when the record is read:
 * {@code 'label with spaces'=1;2;3 other=4} → {@code ['label with spaces'=1;2;3, other=4]}. Quoted labels may
 * contain spaces and {@code ''} (an escaped quote); items are separated by runs of whitespace outside quotes.
 */
final class LegacyPerfdata extends JsonDeserializer<List<String>> {
    @Override
    public List<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return split(p.getText());
        }
        List<String> items = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return ctxt.reportInputMismatch(List.class, "perfdata must be an array of strings or (legacy) a string");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return ctxt.reportInputMismatch(List.class, "perfdata items must be strings");
            }
            items.add(p.getText());
        }
        return items;
    }

    @Override
    public List<String> getNullValue(DeserializationContext ctxt) {
        return List.of();
    }

    static List<String> split(String perfdata) {
        List<String> items = new ArrayList<>();
        if (perfdata == null) {
            return items;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < perfdata.length(); i++) {
            char c = perfdata.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a quoted label toggles twice: stays quoted, both quotes kept
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    items.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            items.add(cur.toString());
        }
        return items;
    }
}
