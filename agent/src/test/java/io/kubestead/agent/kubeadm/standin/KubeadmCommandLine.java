package io.kubestead.agent.kubeadm.standin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeadm command line checked against the documented flags: the subcommand (e.g. {@code init phase
 * upload-certs}), flags by name with their values, positional arguments. {@link #parse} collects every problem
 * in kubeadm's own wording (unknown flag, missing value, mixing --config with other flags).
 */
public record KubeadmCommandLine(List<String> argv, String command, Map<String, List<String>> flags,
                                 List<String> positionals, List<String> errors) {

    public static boolean isKubeadm(List<String> argv) {
        String p = argv.get(0);
        return p.equals("kubeadm") || p.endsWith("/kubeadm");
    }

    public static KubeadmCommandLine parse(List<String> argv) {
        List<String> args = argv.subList(1, argv.size());
        String command = null;
        int start = 0;
        for (int n = Math.min(4, args.size()); n >= 1 && command == null; n--) {
            List<String> words = args.subList(0, n);
            if (words.stream().noneMatch(w -> w.startsWith("-")) && KubeadmFlags.COMMANDS.containsKey(String.join(" ", words))) {
                command = String.join(" ", words);
                start = n;
            }
        }
        Map<String, List<String>> flags = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (command == null) {
            errors.add("unknown command \"" + String.join(" ", args) + "\" for \"kubeadm\" (known: "
                    + KubeadmFlags.commandNames() + ")");
            return new KubeadmCommandLine(argv, "", flags, positionals, errors);
        }
        KubeadmFlags.Spec spec = KubeadmFlags.COMMANDS.get(command);
        for (int i = start; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            boolean isLong = a.startsWith("--");
            String body = a.substring(isLong ? 2 : 1);
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                value = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            String name = isLong ? body : KubeadmFlags.SHORT.get(body);
            Boolean takesValue = name == null ? null : KubeadmFlags.takesValue(spec, name);
            if (takesValue == null) {
                errors.add("unknown " + (isLong ? "flag: --" : "shorthand flag: -") + body + " (kubeadm " + command + ")");
                continue;
            }
            if (takesValue && value == null) {
                if (i + 1 >= args.size()) {
                    errors.add("flag needs an argument: --" + name);
                    continue;
                }
                value = args.get(++i);
            } else if (!takesValue && value != null && !value.matches("true|false")) {
                errors.add("invalid argument \"" + value + "\" for \"--" + name + "\" flag: not a boolean");
            }
            flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value == null ? "true" : value);
        }
        if (spec.maxPositionals() == 0 && !positionals.isEmpty()) {
            errors.add("unknown command \"" + String.join(" ", positionals) + "\" for \"kubeadm " + command + "\"");
        } else if (positionals.size() > spec.maxPositionals()) {
            errors.add("kubeadm " + command + " takes at most " + spec.maxPositionals() + " argument(s), got "
                    + positionals.size());
        }
        if (spec.configMixingRule() && flags.containsKey("config")) {
            List<String> mixed = flags.keySet().stream().filter(f -> !KubeadmFlags.allowedWithConfig(f)).toList();
            if (!mixed.isEmpty()) {
                errors.add("can not mix '--config' with arguments " + mixed);
            }
        }
        return new KubeadmCommandLine(argv, command, flags, positionals, errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public boolean has(String flag) {
        return flags.containsKey(flag) && !flags.get(flag).contains("false");
    }

    /** The last value of a flag, or null. */
    public String value(String flag) {
        List<String> v = flags.get(flag);
        return v == null ? null : v.get(v.size() - 1);
    }
}
