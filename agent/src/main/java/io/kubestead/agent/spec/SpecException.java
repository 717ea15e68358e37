package io.kubestead.agent.spec;

/**
 * Bad input from the user: a word, a value or a file they named. The CLI prints the message as one line on
 * stderr and exits 2. Messages name the input and say what would be valid.
 */
public class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }
}
