package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.ok;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The version-dependent details, read back with openssl and from the kubeconfigs. */
class VersionRulesTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1.28.9 | O = system:masters, CN = kube-apiserver-kubelet-client | O = system:masters, CN = kube-etcd-healthcheck-client | O = system:masters, CN = kubernetes-admin | false | https://lb.example.test:6443",
        "1.29.0 | O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client | CN = kube-etcd-healthcheck-client | O = kubeadm:cluster-admins, CN = kubernetes-admin | true | https://lb.example.test:6443",
        "1.32.4 | O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client | CN = kube-etcd-healthcheck-client | O = kubeadm:cluster-admins, CN = kubernetes-admin | true | https://lb.example.test:6443",
        "1.33.0 | O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client | CN = kube-etcd-healthcheck-client | O = kubeadm:cluster-admins, CN = kubernetes-admin | true | https://10.0.0.11:6443",
        "1.36.1 | O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client | CN = kube-etcd-healthcheck-client | O = kubeadm:cluster-admins, CN = kubernetes-admin | true | https://10.0.0.11:6443",
        "1.37.0 | CN = kube-apiserver-kubelet-client | CN = kube-etcd-healthcheck-client | O = kubeadm:cluster-admins, CN = kubernetes-admin | true | https://10.0.0.11:6443",
    })
    void subjectsAndServersFollowTheVersion(String version, String kubeletClient, String healthcheck, String admin,
                                           boolean superAdmin, String kubeletServer) throws Exception {
        generate(root, request(version, KeyAlgorithm.ECDSA_P256));
        assertEquals("subject=" + kubeletClient + "\n", subject(pki(root).resolve("apiserver-kubelet-client.crt")));
        assertEquals("subject=" + healthcheck + "\n", subject(pki(root).resolve("etcd/healthcheck-client.crt")));
        assertEquals("subject=" + healthcheck.replace("kube-etcd-healthcheck-client", "kube-apiserver-etcd-client") + "\n",
                subject(pki(root).resolve("apiserver-etcd-client.crt")));
        Path etc = root.resolve("etc/kubernetes");
        assertEquals("subject=" + admin + "\n", subject(PkiTesting.clientCert(etc.resolve("admin.conf"), root.resolve("a.pem"))));
        assertEquals(superAdmin, Files.exists(etc.resolve("super-admin.conf")));
        if (superAdmin) {
            assertEquals("subject=O = system:masters, CN = kubernetes-super-admin\n",
                    subject(PkiTesting.clientCert(etc.resolve("super-admin.conf"), root.resolve("s.pem"))));
            assertEquals("https://lb.example.test:6443", server(etc.resolve("super-admin.conf")));
        }
        assertEquals("https://lb.example.test:6443", server(etc.resolve("admin.conf")));
        assertEquals("https://10.0.0.11:6443", server(etc.resolve("controller-manager.conf")));
        assertEquals("https://10.0.0.11:6443", server(etc.resolve("scheduler.conf")));
        assertEquals(kubeletServer, server(etc.resolve("kubelet.conf")));
        assertEquals("subject=O = system:nodes, CN = system:node:cp1\n",
                subject(PkiTesting.clientCert(etc.resolve("kubelet.conf"), root.resolve("k.pem"))));
        assertEquals("subject=CN = system:kube-controller-manager\n",
                subject(PkiTesting.clientCert(etc.resolve("controller-manager.conf"), root.resolve("c.pem"))));
        // kubectl reads the files as kubeconfigs: context and user as kubeadm names them
        String ctx = ok("kubectl", "--kubeconfig", etc.resolve("admin.conf").toString(), "config", "current-context");
        assertEquals("kubernetes-admin@kubernetes\n", ctx);
        // kubeadm's client-go writes "preferences: {}" up to 1.33 and leaves the empty field out from 1.34
        boolean preferences = !version.startsWith("1.36") && !version.startsWith("1.37");
        for (String conf : java.util.List.of("admin.conf", "kubelet.conf", "controller-manager.conf", "scheduler.conf")) {
            assertEquals(preferences, Files.readString(etc.resolve(conf)).contains("\npreferences: {}\n"), conf);
        }
    }

    private static String subject(Path crt) {
        return ok("openssl", "x509", "-noout", "-subject", "-in", crt.toString());
    }

    private static String server(Path kubeconfig) throws Exception {
        return Kubeconfig.parse(Files.readAllBytes(kubeconfig)).server();
    }
}
