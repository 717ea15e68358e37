package io.kubestead.agent.kubeadm.validate;

import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.ANY;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.BOOL;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.DURATION;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.INT;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.STRING;
import static io.kubestead.agent.kubeadm.validate.Shape.listOf;
import static io.kubestead.agent.kubeadm.validate.Shape.mapOf;
import static io.kubestead.agent.kubeadm.validate.Shape.obj;

import io.kubestead.agent.kubeadm.KubeadmApi;
import java.util.Map;

/**
 * Field schemas of the kubeadm kinds, written from the v1beta3 and v1beta4 Go types (cmd/kubeadm/app/apis/kubeadm,
 * kubeadm.md 3.3/3.4). Differences: v1beta4 has list-form extraArgs, extraEnvs, timeouts, dryRun,
 * imagePullSerial, dns/proxy.disabled, encryptionAlgorithm and validity periods, Reset and Upgrade kinds; v1beta3
 * has map-form extraArgs, apiServer.timeoutForControlPlane and discovery.timeout.
 */
final class KubeadmSchemas {
    private KubeadmSchemas() {
    }

    /** Kind name to schema for one API version. */
    static Map<String, Shape> kinds(KubeadmApi api) {
        boolean v4 = api == KubeadmApi.V1BETA4;
        Shape extraArgs = v4 ? listOf(obj("!name", STRING, "!value", STRING)) : mapOf(STRING);
        Shape strings = listOf(STRING);
        Shape hostPathMount = obj("!name", STRING, "!hostPath", STRING, "!mountPath", STRING, "readOnly", BOOL,
                "pathType", STRING);
        Shape envVar = obj("!name", STRING, "value", STRING, "valueFrom", ANY);

        Shape.Obj component = obj("extraArgs", extraArgs, "extraVolumes", listOf(hostPathMount));
        Shape.Obj apiServer = component.plus("certSANs", strings);
        Shape.Obj dns = obj("imageRepository", STRING, "imageTag", STRING);
        Shape.Obj localEtcd = obj("imageRepository", STRING, "imageTag", STRING, "dataDir", STRING,
                "extraArgs", extraArgs, "serverCertSANs", strings, "peerCertSANs", strings);
        Shape.Obj externalEtcd = obj("!endpoints", strings, "caFile", STRING, "certFile", STRING, "keyFile", STRING);
        Shape.Obj nodeRegistration = obj("name", STRING, "criSocket", STRING,
                "taints", listOf(obj("!key", STRING, "value", STRING, "!effect", STRING, "timeAdded", STRING)),
                "kubeletExtraArgs", extraArgs, "ignorePreflightErrors", strings, "imagePullPolicy", STRING);
        Shape apiEndpoint = obj("advertiseAddress", STRING, "bindPort", INT);
        Shape bootstrapToken = obj("!token", STRING, "description", STRING, "ttl", DURATION, "expires", STRING,
                "usages", strings, "groups", strings);
        Shape patches = obj("directory", STRING);
        Shape.Obj discovery = obj(
                "bootstrapToken", obj("!token", STRING, "apiServerEndpoint", STRING, "caCertHashes", strings,
                        "unsafeSkipCAVerification", BOOL),
                "file", obj("!kubeConfigPath", STRING),
                "tlsBootstrapToken", STRING);
        Shape timeouts = obj("controlPlaneComponentHealthCheck", DURATION, "kubeletHealthCheck", DURATION,
                "kubernetesAPICall", DURATION, "etcdAPICall", DURATION, "tlsBootstrap", DURATION,
                "discovery", DURATION, "upgradeManifests", DURATION);

        if (v4) {
            component = component.plus("extraEnvs", listOf(envVar));
            apiServer = apiServer.plus("extraEnvs", listOf(envVar));
            dns = dns.plus("disabled", BOOL);
            localEtcd = localEtcd.plus("extraEnvs", listOf(envVar));
            externalEtcd = externalEtcd.plus("httpEndpoints", strings); // 1.35+, checked by ConfigValidator
            nodeRegistration = nodeRegistration.plus("imagePullSerial", BOOL);
        } else {
            apiServer = apiServer.plus("timeoutForControlPlane", DURATION);
            discovery = discovery.plus("timeout", DURATION);
        }

        Shape.Obj init = obj("!apiVersion", STRING, "!kind", STRING, "bootstrapTokens", listOf(bootstrapToken),
                "nodeRegistration", nodeRegistration, "localAPIEndpoint", apiEndpoint, "certificateKey", STRING,
                "skipPhases", strings, "patches", patches);
        Shape.Obj cluster = obj("!apiVersion", STRING, "!kind", STRING,
                "etcd", obj("local", localEtcd, "external", externalEtcd),
                "networking", obj("serviceSubnet", STRING, "podSubnet", STRING, "dnsDomain", STRING),
                "kubernetesVersion", STRING, "controlPlaneEndpoint", STRING, "apiServer", apiServer,
                "controllerManager", component, "scheduler", component, "dns", dns, "certificatesDir", STRING,
                "imageRepository", STRING, "featureGates", mapOf(BOOL), "clusterName", STRING);
        Shape.Obj join = obj("!apiVersion", STRING, "!kind", STRING, "nodeRegistration", nodeRegistration,
                "caCertPath", STRING, "!discovery", discovery,
                "controlPlane", obj("localAPIEndpoint", apiEndpoint, "certificateKey", STRING),
                "skipPhases", strings, "patches", patches);
        if (!v4) {
            return Map.of("InitConfiguration", init, "ClusterConfiguration", cluster, "JoinConfiguration", join);
        }
        init = init.plus("dryRun", BOOL, "timeouts", timeouts);
        cluster = cluster.plus("proxy", obj("disabled", BOOL), "encryptionAlgorithm", STRING,
                "certificateValidityPeriod", DURATION, "caCertificateValidityPeriod", DURATION);
        join = join.plus("dryRun", BOOL, "timeouts", timeouts);
        Shape reset = obj("!apiVersion", STRING, "!kind", STRING, "cleanupTmpDir", BOOL, "certificatesDir", STRING,
                "criSocket", STRING, "dryRun", BOOL, "force", BOOL, "ignorePreflightErrors", strings,
                "skipPhases", strings, "unmountFlags", strings, "timeouts", timeouts);
        Shape upgrade = obj("!apiVersion", STRING, "!kind", STRING, "apply", ANY, "diff", ANY, "node", ANY,
                "plan", ANY, "timeouts", timeouts);
        return Map.of("InitConfiguration", init, "ClusterConfiguration", cluster, "JoinConfiguration", join,
                "ResetConfiguration", reset, "UpgradeConfiguration", upgrade);
    }
}
