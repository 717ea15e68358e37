package io.kubestead.agent.lb;

import java.util.HexFormat;
import java.util.List;

/**
 * keepalived (VRRP) for {@code vip=IP}: every master runs one instance, all in state BACKUP with nopreempt, so the
 * VIP stays where it is until its holder fails. A master holds the VIP only while its own API server answers
 * /readyz (the tracked script has no weight, so a failing check puts the instance in FAULT and releases the VIP).
 * Peers are unicast, so it works on networks that drop multicast. A lone master has no peer to name: keepalived
 * refuses unicast without peers (a unicast keyword with an empty peer list is a deprecated fallback to multicast that
 * {@code keepalived -t} rejects, and {@code unicast_fault_no_peer} would put the instance in FAULT, without the VIP), so
 * its file has no unicast keyword and its adverts go to the VRRP multicast group, where nobody needs them; the file is
 * rewritten with unicast peers as soon as a second master exists. Runs as the host's keepalived service, not as a
 * static pod, because the VIP must exist before kubelet can pull or start anything.
 */
public record KeepalivedConfig(Vip vip, List<Master> masters, String localMaster, String clusterName) {
    static final String CURL = "/usr/bin/curl";

    public KeepalivedConfig {
        masters = masters.stream().sorted().toList();
        if (masters.stream().noneMatch(m -> m.name().equals(localMaster))) {
            throw new IllegalArgumentException("local master " + localMaster + " is not among " + masters);
        }
        for (Master m : masters) {
            if (m.ipv6() != vip.ipv6()) {
                throw new io.kubestead.agent.spec.SpecException("vip=" + vip.address() + " and master " + m.name()
                        + " (" + m.address() + ") are of different IP families; VRRP peers must match the VIP's");
            }
        }
    }

    public String render() {
        Master self = masters.stream().filter(m -> m.name().equals(localMaster)).findFirst().orElseThrow();
        int index = masters.indexOf(self);
        StringBuilder b = new StringBuilder();
        b.append("# Kubestead API virtual IP. Generated; rewritten whenever the masters change.\n");
        b.append("global_defs {\n");
        b.append("    router_id kubestead-").append(self.name()).append('\n');
        b.append("    enable_script_security\n");
        b.append("    script_user root\n");
        b.append("}\n\n");
        b.append("vrrp_script kubestead_apiserver {\n");
        b.append("    script \"").append(CURL).append(" -sfk --max-time 2 -o /dev/null https://")
                .append(self.endpoint()).append("/readyz\"\n");
        b.append("    interval 2\n");
        b.append("    timeout 3\n");
        b.append("    fall 2\n");
        b.append("    rise 2\n");
        b.append("}\n\n");
        b.append("vrrp_instance kubestead_api {\n");
        b.append("    state BACKUP\n");
        b.append("    interface ").append(vip.networkInterface()).append('\n');
        b.append("    virtual_router_id ").append(vip.routerId()).append('\n');
        // Distinct priorities break ties deterministically; nopreempt keeps the VIP where it is after a recovery.
        b.append("    priority ").append(150 - index).append('\n');
        b.append("    advert_int 1\n");
        b.append("    nopreempt\n");
        if (masters.size() > 1) {
            b.append("    unicast_src_ip ").append(self.address()).append('\n');
            b.append("    unicast_peer {\n");
            for (Master m : masters) {
                if (m != self) {
                    b.append("        ").append(m.address()).append('\n');
                }
            }
            b.append("    }\n");
        }
        if (!vip.ipv6()) {
            // VRRPv2 PASS is clear text: it only keeps two clusters with the same router id apart, it is no secret.
            b.append("    authentication {\n");
            b.append("        auth_type PASS\n");
            b.append("        auth_pass ").append(authPass()).append('\n');
            b.append("    }\n");
        }
        b.append("    virtual_ipaddress {\n");
        b.append("        ").append(vip.address()).append(vip.ipv6() ? "/128" : "/32")
                .append(" dev ").append(vip.networkInterface()).append('\n');
        b.append("    }\n");
        b.append("    track_script {\n");
        b.append("        kubestead_apiserver\n");
        b.append("    }\n");
        b.append("}\n");
        return b.toString();
    }

    String authPass() {
        return HexFormat.of().formatHex(Vip.sha256("kubestead-vrrp:" + clusterName)).substring(0, 8);
    }
}
