package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.spec.JoinSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** set-endpoint on a node other than the one where install was rerun: its balancer, hosts entry and kubeconfigs. */
public final class EndpointPlan {
    private EndpointPlan() {
    }

    /**
     * @param endpoint the endpoint words, parsed as join words (only the endpoint fields are used)
     * @param localMaster this node's name when it is a master
     * @param host the host the plan will run on (the VIP's interface is asked there, leftovers are found there)
     */
    public static Plan create(JoinSpec endpoint, Optional<String> localMaster, Host host) {
        LbSettings lb = JoinPlan.balancer(endpoint, localMaster.isPresent(), host);
        List<Master> masters = new ArrayList<>();
        for (String ip : endpoint.masterAddresses()) {
            masters.add(localMaster.isPresent() && ip.equals(endpoint.privateAddress())
                    ? new Master(localMaster.get(), ip) : Master.fromAddress(ip));
        }
        List<Phase> phases = new ArrayList<>();
        if (localMaster.isPresent()) {
            List<String> sans = new ArrayList<>(List.of(endpoint.endpoint().host()));
            if (endpoint.endpointAddress() != null) {
                sans.add(endpoint.endpointAddress());
            }
            phases.add(new ApiServerSansPhase(sans));
        }
        List<Master> sorted = masters.stream().sorted().toList();
        BalancerFile record = new BalancerFile(endpoint.balancer(), endpoint.clusterName(), endpoint.endpoint().host(),
                localMaster);
        // kubelet already runs static pods here: no bootstrap HAProxy, the manifest is written directly
        phases.add(new LbPreparePhase(lb, sorted, localMaster, record, false));
        phases.addAll(LbPhases.after(host, lb, sorted, localMaster, record, false));
        LbPhases.sync(record).ifPresent(phases::add);
        phases.add(new KubeconfigServerPhase(endpoint.endpoint(), endpoint.privateAddress()));
        return new Plan("set-endpoint", phases);
    }
}
