package io.kubestead.agent.console;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostLock;
import io.kubestead.agent.host.HostLockBusyException;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecJson;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Join commands made on this master exactly as {@code kubestead join-script} makes them, under the same host lock (so
 * a console request and a command on the terminal never issue at once).
 */
public final class HostJoinOffers implements JoinOffers {
    /** How long a request waits for the host lock before it is refused. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Host host;
    private final Kubeadm kubeadm;
    private final SecureRandom random;
    private final Clock clock;

    public HostJoinOffers(Host host, Kubeadm kubeadm, SecureRandom random, Clock clock) {
        this.host = host;
        this.kubeadm = kubeadm;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public JoinOffer issue(boolean master) {
        try (HostLock lock = HostLock.take(host, "console (join command)", clock.instant(), PATIENCE, holder -> { })) {
            InstallSpec spec = InstallSpecJson.read(host.readFile(InstallSpecJson.PATH).orElseThrow(() -> new Refused(
                    "no " + InstallSpecJson.PATH + " on this master: join commands are made on the first master")));
            if (master && !spec.ha()) {
                throw new Refused("this cluster was installed without 'ha', so it cannot take more masters yet; rerun"
                        + " 'kubestead install ha' (with the original words) on the first master first");
            }
            JoinCommands commands = new JoinScriptIssuer(host, kubeadm, random, clock).issue(spec, master);
            return new JoinOffer(master ? "master" : "worker", commands.command(master), commands.expires(master));
        } catch (HostLockBusyException e) {
            throw new Refused(e.getMessage());
        }
    }
}
