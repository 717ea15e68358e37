package io.kubestead.agent.kubeadm.validate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allowed shape of a YAML value: an object with known fields (some required), a list, a string-keyed map or a
 * scalar. {@link #check} lists every violation with its field path, so a test sees all mistakes at once.
 */
public sealed interface Shape permits Shape.Obj, Shape.ListOf, Shape.MapOf, Shape.Scalar {

    /** Go's time.Duration text: 24h, 1h30m, 5m0s, 300ms. */
    Pattern GO_DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|0");

    void check(Object value, String path, List<String> errors);

    record Obj(Map<String, Shape> fields, Set<String> required) implements Shape {
        @Override
        public void check(Object value, String path, List<String> errors) {
            if (!(value instanceof Map<?, ?> map)) {
                errors.add(path + ": expected an object, got " + Scalar.describe(value));
                return;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                Shape shape = fields.get(key);
                if (shape == null) {
                    errors.add("unknown field \"" + join(path, key) + "\"");
                } else if (e.getValue() != null) {
                    shape.check(e.getValue(), join(path, key), errors);
                }
            }
            for (String r : required) {
                if (map.get(r) == null) {
                    errors.add("missing required field \"" + join(path, r) + "\"");
                }
            }
        }

        /** The same object with more fields, e.g. a version's additions. */
        public Obj plus(Object... nameShapePairs) {
            Obj more = obj(nameShapePairs);
            Map<String, Shape> f = new LinkedHashMap<>(fields);
            f.putAll(more.fields);
            Set<String> r = new LinkedHashSet<>(required);
            r.addAll(more.required);
            return new Obj(f, r);
        }

        /** The same object without some fields, e.g. a version's removals. */
        public Obj minus(String... names) {
            Map<String, Shape> f = new LinkedHashMap<>(fields);
            Set<String> r = new LinkedHashSet<>(required);
            for (String n : names) {
                f.remove(n);
                r.remove(n);
            }
            return new Obj(f, r);
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    record ListOf(Shape item) implements Shape {
        @Override
        public void check(Object value, String path, List<String> errors) {
            if (!(value instanceof List<?> list)) {
                errors.add(path + ": expected a list, got " + Scalar.describe(value));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    errors.add(path + "[" + i + "]: null item");
                } else {
                    item.check(list.get(i), path + "[" + i + "]", errors);
                }
            }
        }
    }

    record MapOf(Shape value) implements Shape {
        @Override
        public void check(Object v, String path, List<String> errors) {
            if (!(v instanceof Map<?, ?> map)) {
                errors.add(path + ": expected a map, got " + Scalar.describe(v));
                return;
            }
            map.forEach((k, val) -> {
                if (val == null) {
                    errors.add(path + "." + k + ": null value");
                } else {
                    value.check(val, path + "." + k, errors);
                }
            });
        }
    }

    enum Scalar implements Shape {
        STRING, BOOL, INT, DURATION, ANY;

        @Override
        public void check(Object value, String path, List<String> errors) {
            boolean ok = switch (this) {
                case STRING -> value instanceof String;
                case BOOL -> value instanceof Boolean;
                case INT -> value instanceof Integer || value instanceof Long;
                case DURATION -> value instanceof String s && GO_DURATION.matcher(s).matches();
                case ANY -> true;
            };
            if (!ok) {
                errors.add(path + ": expected " + name().toLowerCase(java.util.Locale.ROOT)
                        + (this == DURATION ? " such as 24h0m0s" : "") + ", got " + describe(value));
            }
        }

        static String describe(Object value) {
            if (value instanceof Map<?, ?>) {
                return "a map";
            }
            if (value instanceof List<?>) {
                return "a list";
            }
            String type = value == null ? "null" : value instanceof String ? "string" : value instanceof Boolean
                    ? "bool" : value instanceof Number ? "number" : value.getClass().getSimpleName();
            return type + " " + (value instanceof String ? "\"" + value + "\"" : String.valueOf(value));
        }
    }

    /** An object from name/shape pairs; a name starting with {@code !} is required. */
    static Obj obj(Object... nameShapePairs) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        for (int i = 0; i < nameShapePairs.length; i += 2) {
            String name = (String) nameShapePairs[i];
            if (name.startsWith("!")) {
                name = name.substring(1);
                required.add(name);
            }
            fields.put(name, (Shape) nameShapePairs[i + 1]);
        }
        return new Obj(fields, required);
    }

    static ListOf listOf(Shape item) {
        return new ListOf(item);
    }

    static MapOf mapOf(Shape value) {
        return new MapOf(value);
    }
}
