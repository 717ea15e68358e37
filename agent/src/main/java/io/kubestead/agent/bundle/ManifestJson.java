package io.kubestead.agent.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * manifest.json read into plain values (Map, List, String, BigDecimal, Boolean, null) with Jackson's streaming
 * parser. Not databind's tree: setting up an ObjectMapper costs about 0.1 s of every {@code bundle verify}, for a
 * document this small. Jackson does all the tokenising; this only stacks the tokens, refusing duplicate keys,
 * nesting deeper than {@link #MAX_DEPTH}, more than {@link #MAX_VALUES} values, strings longer than
 * {@link #MAX_STRING} and anything after the top-level value. The limits bound the memory of what is built (a few
 * tens of MiB) before a word of it is checked: an unsigned manifest of 8 MiB of "{}" would otherwise be 3 million maps.
 */
final class ManifestJson {
    static final int MAX_DEPTH = 8;
    /** Four per file (the object and its three fields): room for 100,000 files. */
    static final int MAX_VALUES = 400_000;
    /** A path is at most 4096 characters; nothing in a manifest is longer. */
    static final int MAX_STRING = 16 << 10;

    private ManifestJson() {
    }

    /** The top-level value, or null for an empty document. */
    static Object read(byte[] json) throws IOException {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING).build()).build();
        try (JsonParser p = factory.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Object value = value(p, new int[1]);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the top-level value");
            }
            return value;
        }
    }

    /** The value starting at the parser's current token; {@code count[0]} counts the values read so far. */
    private static Object value(JsonParser p, int[] count) throws IOException {
        if (++count[0] > MAX_VALUES) {
            throw new JsonParseException(p, "more than " + MAX_VALUES + " values");
        }
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    p.nextToken();
                    object.put(key, value(p, count));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p, count));
                }
                return array;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected " + p.currentToken());
        }
    }

    /** The long a JSON number stands for exactly (1, 1.0, 1e3), or null if it is none (1.5, 2^63, not a number). */
    static Long exactLong(Object v) {
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }
}
