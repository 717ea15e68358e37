package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kubernetes version an air-gap bundle holds, read from its signed manifest (or from the manifest of the
 * bundle already verified and extracted on this host), and where it was read: an air-gapped install or join
 * installs exactly that version, so it is known before the plan is made.
 */
public record BundleVersion(String version, String source) {

    /** Finds the bundle an air-gapped install or join would use; empty when there is none (yet) to read. */
    @FunctionalInterface
    public interface Lookup {
        Lookup NONE = (trust, dryRun) -> Optional.empty();

        /**
         * @param trust  the words' bundle trust: the signature is checked with it before the version is believed
         * @param dryRun the dry-run directory, whose tree stands for the host's file system
         */
        Optional<BundleVersion> find(BundleTrust trust, Optional<Path> dryRun);
    }

    /**
     * The version to install for {@code airgap}: the bundle's, which must be supported and agree with the word
     * kubernetes-version when one is given (a bare minor such as 1.33 agrees with any 1.33 patch); the word's (or
     * empty) when no bundle is there to read.
     */
    static Optional<KubernetesVersion> choose(Optional<String> word, Optional<KubernetesVersion> given,
                                              Optional<BundleVersion> bundle, SupportedVersions versions) {
        if (bundle.isEmpty()) {
            return given;
        }
        BundleVersion b = bundle.get();
        KubernetesVersion held;
        try {
            held = KubernetesVersion.parse(b.version());
        } catch (IllegalArgumentException e) {
            throw new SpecException("the air-gap bundle (" + b.source() + ") names Kubernetes " + Shown.quoted(b.version())
                    + ", which is not a version; use a bundle built by 'installer airgap build'");
        }
        if (!held.supported()) {
            throw new SpecException("the air-gap bundle (" + b.source() + ") holds Kubernetes " + held
                    + ", which this agent does not install (supported: " + versions.range() + "); use a bundle built for a"
                    + " supported version");
        }
        if (given.isPresent() && !agrees(word.orElseThrow(), given.get(), held)) {
            throw new SpecException("word " + Shown.quoted("kubernetes-version=" + word.orElseThrow()) + " asks for Kubernetes " + given.get()
                    + " but the air-gap bundle (" + b.source() + ") holds " + held + "; drop the word to install " + held
                    + ", or use the bundle built for " + given.get());
        }
        return Optional.of(held);
    }

    private static boolean agrees(String word, KubernetesVersion given, KubernetesVersion held) {
        boolean bareMinor = !word.strip().replaceFirst("^v", "").matches("\\d+\\.\\d+\\.\\d+");
        return bareMinor ? given.major() == held.major() && given.minor() == held.minor() : given.equals(held);
    }

    /** One line for the output and plan.txt: which version, and that the bundle chose it. */
    public static String describe(KubernetesVersion version, Optional<BundleVersion> bundle) {
        return bundle.map(b -> "Kubernetes " + version + ", the version of the air-gap bundle (" + b.source() + ")")
                .orElse("Kubernetes " + version + " (no air-gap bundle on this host yet to check it against)");
    }
}
