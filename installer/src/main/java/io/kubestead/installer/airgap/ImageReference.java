package io.kubestead.installer.airgap;

import io.kubestead.agent.spec.SpecException;
import java.util.regex.Pattern;

/**
 * An image reference split for the registry API: registry host, repository, and tag or digest. A reference without a
 * registry is Docker Hub's (docker.io, "library/" for one-part names), as containerd and kubeadm read it.
 */
public record ImageReference(String full, String registry, String repository, String tag, String digest) {
    private static final Pattern REPO = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public static ImageReference parse(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new SpecException("empty image reference in the bundle manifest");
        }
        String rest = ref;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(ref, "digest must be sha256:<64 hex digits>");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(ref, "bad tag '" + tag + "'");
            }
        }
        if (tag == null && digest == null) {
            throw bad(ref, "give a tag or digest (a bundle pins what it carries; no implicit :latest)");
        }
        String registry = "docker.io";
        String repo = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                repo = rest.substring(slash + 1);
            }
        }
        if (registry.equals("docker.io") && !repo.contains("/")) {
            repo = "library/" + repo;
        }
        if (!REPO.matcher(repo).matches()) {
            throw bad(ref, "bad repository '" + repo + "'");
        }
        return new ImageReference(ref, registry, repo, tag, digest);
    }

    /** The host the registry API answers on (Docker Hub's API is not at docker.io). */
    public String apiHost() {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    /** What to ask the manifests endpoint for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The image's file in the bundle: images/<last repository part>.tar. */
    public String fileName() {
        return "images/" + repository.substring(repository.lastIndexOf('/') + 1) + ".tar";
    }

    private static SpecException bad(String ref, String why) {
        return new SpecException("image reference '" + ref + "': " + why);
    }
}
