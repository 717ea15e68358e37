package io.kubestead.agent.spec;

/**
 * One word the user may give after a command, in Replicated's style: a bare word ({@code ha}), a key=value word
 * ({@code load-balancer-address=lb:6443}), or a word whose value is optional ({@code dry-run[=DIR]}).
 */
public record WordDef(String name, Kind kind, String valueHint, String help) {

    public enum Kind { FLAG, VALUE, OPTIONAL_VALUE }

    public static WordDef flag(String name, String help) {
        return new WordDef(name, Kind.FLAG, "", help);
    }

    public static WordDef value(String name, String hint, String help) {
        return new WordDef(name, Kind.VALUE, hint, help);
    }

    public static WordDef optionalValue(String name, String hint, String help) {
        return new WordDef(name, Kind.OPTIONAL_VALUE, hint, help);
    }

    /** How the word is written in help: {@code ha}, {@code node-name=NAME}, {@code dry-run[=DIR]}. */
    public String usage() {
        return switch (kind) {
            case FLAG -> name;
            case VALUE -> name + "=" + valueHint;
            case OPTIONAL_VALUE -> name + "[=" + valueHint + "]";
        };
    }
}
