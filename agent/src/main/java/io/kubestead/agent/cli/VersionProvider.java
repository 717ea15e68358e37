package io.kubestead.agent.cli;

import io.kubestead.agent.spec.SupportedVersions;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = KubesteadCommand.class.getPackage().getImplementationVersion();
        SupportedVersions k = new SupportedVersions();
        return new String[] {"kubestead " + (v == null ? "dev" : v),
            "Kubernetes " + k.range() + " (default " + k.defaultVersion() + ")"};
    }
}
