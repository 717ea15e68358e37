package io.kubestead.agent.kubeadm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Multi-document YAML as kubeadm reads it ({@code ---} separated). Documents are ordered maps, so output is stable;
 * strings that YAML would read as booleans or numbers are quoted, because kubeadm decodes them into Go strings.
 */
public final class YamlDocuments {
    private final ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .stringQuotingChecker(new GoNumberQuoting())
            .build());

    /**
     * Go's YAML decoder (sigs.k8s.io/yaml) reads more plain scalars as numbers than SnakeYAML does: 1e5, 0x1f,
     * 1_000, .inf. A token or a hex key of that shape must be quoted, or kubeadm fails to decode it as a string.
     */
    static final class GoNumberQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final Pattern GO_NUMBER = Pattern.compile(
                "[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*)"
                + "|[-+]?(\\.[0-9_]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
                + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || GO_NUMBER.matcher(value).matches();
        }
    }

    /** Each document starts with {@code ---}. */
    public String write(List<Map<String, Object>> documents) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> doc : documents) {
            try {
                sb.append(mapper.writeValueAsString(doc));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    /** Parses every non-empty document; throws IllegalArgumentException if the text is not YAML maps. */
    public List<Map<String, Object>> read(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Object> it = mapper.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("a YAML document is not a mapping: " + doc);
                }
                docs.add(mapper.convertValue(doc, new TypeReference<LinkedHashMap<String, Object>>() { }));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return docs;
    }
}
