package io.kubestead.agent.console;

/** Makes fresh join commands, as {@code kubestead join-script} does. */
@FunctionalInterface
public interface JoinOffers {
    /** A fresh command for a new master or worker; throws {@link Refused} when this cluster cannot take that role. */
    JoinOffer issue(boolean master);

    /** The command to run on the new host, and when its token (for a master, its certificate key) stops working. */
    record JoinOffer(String role, String command, java.time.Instant expires) {
    }

    /** A request the cluster cannot satisfy as it is (a master for a cluster installed without ha); the message says why. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
