package io.kubestead.agent.console;

import com.sun.net.httpserver.HttpExchange;
import io.kubestead.agent.http.LimitedServer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Sign-in with the client certificate of admin.conf (or super-admin.conf). The TLS handshake has already verified the
 * chain against the cluster CA, the only trust the console's context has; here the subject must be kubeadm's admin
 * identity, so other certificates from the same CA (kubelets, the API server's client certificates) sign nobody in.
 */
final class AdminCertificate {
    /** kubeadm's admin users and the groups that make them cluster administrators. */
    static final Set<String> USERS = Set.of("kubernetes-admin", "kubernetes-super-admin");
    static final Set<String> GROUPS = Set.of("kubeadm:cluster-admins", "system:masters");

    private AdminCertificate() {
    }

    /** The admin user of the connection's verified client certificate, if it presented one. */
    static Optional<String> identity(HttpExchange ex) {
        return LimitedServer.tlsSession(ex).flatMap(s -> {
            try {
                Certificate[] chain = s.getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? admin(leaf) : Optional.empty();
            } catch (SSLPeerUnverifiedException e) {
                return Optional.empty();
            }
        });
    }

    static Optional<String> admin(X509Certificate leaf) {
        try {
            List<Rdn> rdns = new LdapName(leaf.getSubjectX500Principal().getName()).getRdns();
            List<String> cn = rdns.stream().filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).toList();
            boolean admins = rdns.stream().anyMatch(r -> r.getType().equalsIgnoreCase("O") && GROUPS.contains(r.getValue().toString()));
            boolean clientUse = leaf.getExtendedKeyUsage() != null && leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2");
            return cn.size() == 1 && USERS.contains(cn.get(0)) && admins && clientUse ? Optional.of(cn.get(0)) : Optional.empty();
        } catch (InvalidNameException | java.security.cert.CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
