package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.BundleFetch;
import io.kubestead.agent.airgap.Extractor;
import io.kubestead.agent.airgap.ExtractedBundle;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes the extracted air-gap bundle available at {@link ExtractedBundle#DEFAULT_DIR}: already there (a rerun, or a
 * master keeping its copy), extracted from the archive beside install.sh, or, on a joining node with no archive,
 * fetched from a master. Masters keep the extracted directory, which is what they serve to joining nodes.
 */
public final class BundlePhase implements Phase {
    /** install.sh exports where it found the air-gap archive. */
    public static final String ARCHIVE_ENV = "KUBESTEAD_AIRGAP_BUNDLE";

    private final Optional<Path> archive;
    private final Optional<Extractor> extractor;
    private final Optional<BundleFetch> fetch;

    public BundlePhase(Optional<Path> archive, Optional<Extractor> extractor, Optional<BundleFetch> fetch) {
        this.archive = archive;
        this.extractor = extractor;
        this.fetch = fetch;
    }

    /** The archive verifier and extractor: the bundle package's reader, trusting what the words say. */
    public static Optional<Extractor> extractor(io.kubestead.agent.spec.BundleTrust trust) {
        return Optional.of(new io.kubestead.agent.airgap.VerifiedExtractor(trust));
    }

    @Override
    public String id() {
        return "airgap/bundle";
    }

    @Override
    public String title() {
        return "Make the air-gap bundle available in " + ExtractedBundle.DEFAULT_DIR;
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists(ExtractedBundle.DEFAULT_DIR + "/" + ExtractedBundle.MANIFEST);
    }

    /**
     * A bundle to use must be there before the first phase changes the host: already extracted, an archive beside
     * install.sh (with the key that is to verify it), or masters to fetch it from.
     */
    @Override
    public void validate(PhaseContext ctx) {
        if (done(ctx)) {
            return;
        }
        if (archive.isPresent() && extractor.isPresent()) {
            if (!java.nio.file.Files.isRegularFile(archive.get())) {
                throw new SpecException("airgap: the air-gap bundle " + Shown.quoted(archive.get().toString())
                        + " is not a file; put kubestead-airgap-<version>-linux-<arch>.tar.zst beside install.sh and rerun");
            }
            extractor.get().checkTrust(archive.get());
            return;
        }
        if (archive.isEmpty() && fetch.isPresent()) {
            return;
        }
        throw missing();
    }

    private static SpecException missing() {
        return new SpecException("airgap: no air-gap bundle found; put kubestead-airgap-<version>-linux-<arch>.tar.zst"
                + " beside install.sh and rerun");
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        if (done(ctx)) {
            ctx.progress().info("air-gap bundle already extracted in " + ExtractedBundle.DEFAULT_DIR);
            return;
        }
        if (archive.isPresent() && extractor.isPresent()) {
            if (ctx.dryRun()) {
                ctx.progress().info("would verify and extract " + archive.get() + " into " + ExtractedBundle.DEFAULT_DIR);
                return;
            }
            extractor.get().extract(archive.get(), local(ctx), ctx.progress()::info,
                    ctx.progress().meter("verified and extracted", io.kubestead.agent.progress.Meter.Unit.BYTES));
            return;
        }
        if (archive.isEmpty() && fetch.isPresent()) {
            if (ctx.dryRun()) {
                ctx.progress().info("would fetch the air-gap bundle from a master into " + ExtractedBundle.DEFAULT_DIR);
                return;
            }
            fetch.get().fetch(local(ctx), ctx.progress()::info,
                    ctx.progress().meter("fetched", io.kubestead.agent.progress.Meter.Unit.BYTES));
            return;
        }
        throw missing();
    }

    /** The bundle directory on this machine's file system (a test's host lives under a root directory). */
    private static Path local(PhaseContext ctx) {
        return ctx.host() instanceof RootedHost r ? r.resolve(ExtractedBundle.DEFAULT_DIR) : Path.of(ExtractedBundle.DEFAULT_DIR);
    }
}
