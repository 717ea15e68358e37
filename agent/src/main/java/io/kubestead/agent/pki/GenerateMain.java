package io.kubestead.agent.pki;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;

/**
 * Makes the whole PKI and kubeconfigs for one host under a directory, for bench/pki:
 * {@code GenerateMain ROOT [key-algorithm] [node-name] [advertise-address] [control-plane-endpoint] [version]}.
 */
public final class GenerateMain {
    private GenerateMain() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: GenerateMain ROOT [key-algorithm] [node-name] [advertise-address] [endpoint] [version]");
            System.exit(2);
        }
        PkiRequest req = PkiRequest.defaults(arg(args, 2, "node1"), arg(args, 3, "10.0.0.11"),
                        KubernetesVersion.parse(arg(args, 5, "1.33.0")))
                .withKeyAlgorithm(KeyAlgorithm.fromWord(arg(args, 1, "rsa-2048")))
                .withControlPlaneEndpoint(arg(args, 4, "10.0.0.10:6443"));
        RootedHost host = new RootedHost("local", Path.of(args[0]), new ProcessRunner(), new ActionLog());
        PkiResult result = Pki.create().ensure(host, req);
        System.out.println(result.changed().size() + " files written; " + result.caHash());
    }

    private static String arg(String[] args, int i, String dflt) {
        return args.length > i ? args[i] : dflt;
    }
}
