package io.kubestead.agent.console;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.ClusterNodes;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaLoader;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecJson;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.status.StatusCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The console as {@code kubestead console} runs it on a master: its certificate from the cluster CA, the password
 * hash on disk, the Cluster page from {@link StatusCollector} (the look {@code kubestead status} takes), and join
 * commands from {@link HostJoinOffers}.
 */
public final class ConsoleService {
    private ConsoleService() {
    }

    /**
     * Starts the console on {@code bind}. {@code apiServer} and {@code etcd} are where this master's API server and
     * etcd answer (empty: admin.conf's server; {@link StatusCollector#LOCAL_ETCD}).
     */
    public static ConsoleServer start(Host host, InetSocketAddress bind, Optional<URI> apiServer, URI etcd, Clock clock,
                                      SecureRandom random, PrintWriter log) throws IOException {
        InstallSpec spec = InstallSpecJson.read(host.readFile(InstallSpecJson.PATH).orElseThrow(() -> new SpecException(
                "no " + InstallSpecJson.PATH + " here: the console runs on the first master, which install set up")));
        CaPair ca = CaLoader.existing(host, CaKind.CA, clock.instant()).orElseThrow(() -> new SpecException(
                "no cluster CA on this host: the console runs on the first master"));
        ConsoleTls.Identity identity = ConsoleTls.serving(host, ca, names(host, spec), clock.instant(), random);
        ConsoleServer.Passwords passwords = () -> host.readFile(ConsolePaths.PASSWORD_HASH)
                .map(b -> PasswordHash.parse(b, ConsolePaths.PASSWORD_HASH));
        ClusterSource cluster = () -> StatusView.of(StatusCollector.onMaster(host, apiServer, etcd, clock).collect());
        return ConsoleServer.start(bind, ConsoleTls.context(identity, ca.cert(), random), passwords,
                new Sessions(Sessions.DEFAULTS, clock, random), new SignInLimiter(SignInLimiter.DEFAULTS, clock), cluster,
                new HostJoinOffers(host, new HostKubeadm(host), random, clock), clock, log);
    }

    /** The names the console's certificate carries: the stable API name, this node, the masters' addresses, loopback. */
    static List<String> names(Host host, InstallSpec spec) {
        LinkedHashSet<String> names = new LinkedHashSet<>(List.of(spec.apiName(), spec.nodeName(), spec.privateAddress()));
        spec.publicAddressValue().ifPresent(names::add);
        ClusterNodes.list(host, Kubeadm.ADMIN_KUBECONFIG, true).forEach(n -> names.add(n.address()));
        names.addAll(List.of("localhost", "127.0.0.1"));
        return new ArrayList<>(names);
    }
}
