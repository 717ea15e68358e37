package io.kubestead.agent.spec;

import java.util.Optional;

/** Asks the person at the terminal. Empty when there is no terminal, so that piped and CI runs never hang. */
@FunctionalInterface
public interface Prompter {
    Optional<String> ask(String question);

    Prompter NONE = q -> Optional.empty();
}
