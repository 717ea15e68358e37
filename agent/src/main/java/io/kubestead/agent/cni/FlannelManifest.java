package io.kubestead.agent.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The pod network: Flannel in VXLAN mode. Small (two images, no CRDs or operator), so the air-gap bundle carries
 * all of it and it comes up without reaching anything outside the cluster.
 */
public final class FlannelManifest {
    public static final String PATH = "/etc/kubestead/cni/flannel.yaml";
    public static final String FLANNEL_IMAGE = "docker.io/flannel/flannel:v0.26.1";
    public static final String CNI_PLUGIN_IMAGE = "docker.io/flannel/flannel-cni-plugin:v1.6.0-flannel1";

    private FlannelManifest() {
    }

    /** The manifest for a pod CIDR, with images from the given registry prefix (empty: the public ones). */
    public static String render(String podCidr, String flannelImage, String cniPluginImage) {
        String template;
        try (InputStream in = FlannelManifest.class.getResourceAsStream("flannel.yaml")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template.replace("${POD_CIDR}", podCidr)
                .replace("${FLANNEL_IMAGE}", flannelImage)
                .replace("${CNI_PLUGIN_IMAGE}", cniPluginImage);
    }
}
