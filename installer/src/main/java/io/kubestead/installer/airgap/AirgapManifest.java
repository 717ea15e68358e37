package io.kubestead.installer.airgap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A bundle build manifest under airgap/: what goes into an air-gap bundle. Read from YAML; every path is checked
 * to stay inside the staging directory, and every checksum must be pinned (64 hex digits) before anything downloads.
 * A binary comes from a url or, for a bundle built from local builds, a {@code file} (absolute path); an image from
 * its registry (a reference) or from a local OCI layout tar ({@code {ref, file, digest}}, the manifest digest pinned).
 */
public record AirgapManifest(
        String kubernetesVersion,
        String arch,
        String created,
        List<Binary> binaries,
        List<Image> images,
        Manifests manifests,
        String agent) {

    /** Default agent bundle directory (the installer module's build output). */
    public static final String DEFAULT_AGENT = "installer/target/dist";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ARCH = Pattern.compile("amd64|arm64");

    /**
     * A published file (url) or a local one (file): downloaded or copied, checked against sha256, then stored at path
     * or unpacked by extract.
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Binary(String name, String url, String file, String sha256, String path, String mode, List<Member> extract) {
        public Binary {
            extract = extract == null ? List.of() : List.copyOf(extract);
        }

        /** Where it comes from, for messages: the url or the local file. */
        public String source() {
            return url != null ? url : file;
        }

        /** The file mode, octal as written (e.g. "0755"); 0755 when absent. */
        public int modeBits() {
            return parseMode(mode, 0755, "binary " + name);
        }
    }

    /** One member of a release tarball: its name in the tarball and its path in the bundle. */
    public record Member(String member, String path, String mode) {
        public int modeBits() {
            return parseMode(mode, 0755, "member " + member);
        }
    }

    /**
     * One image: from its registry (written as a bare reference), or from a local OCI image-layout tar (file) whose
     * image manifest must have the pinned digest; the bundle names it ref either way.
     */
    public record Image(String ref, String file, String digest) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Image(@JsonProperty("ref") String ref, @JsonProperty("file") String file,
                     @JsonProperty("digest") String digest) {
            this.ref = ref;
            this.file = file;
            this.digest = digest;
        }

        /** A registry image written as a bare string in the list. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Image of(String ref) {
            return new Image(ref, null, null);
        }

        public boolean local() {
            return file != null;
        }
    }

    /** The rendered manifests; today the CNI (Flannel) for a pod CIDR. */
    public record Manifests(Flannel flannel) {
    }

    public record Flannel(String podCidr) {
    }

    public AirgapManifest {
        binaries = binaries == null ? List.of() : List.copyOf(binaries);
        images = images == null ? List.of() : List.copyOf(images);
        agent = agent == null || agent.isBlank() ? DEFAULT_AGENT : agent;
    }

    /** Reads and checks a manifest; a SpecException names the file and the bad field. */
    public static AirgapManifest load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        AirgapManifest m;
        try {
            // a manifest is a few KiB; a device or FIFO named by mistake is refused, not read
            m = yaml.readValue(io.kubestead.agent.spec.InputFile.read(file, 4 << 20), AirgapManifest.class);
        } catch (IOException e) {
            throw new SpecException("cannot read bundle manifest " + file + ": " + firstLine(e.getMessage()));
        }
        m.validate(file.toString());
        return m;
    }

    /** The image references, in order. */
    public List<String> imageRefs() {
        return images.stream().map(Image::ref).toList();
    }

    /** The fixed timestamp of the build (file mtimes inside image tars), from the manifest's created field. */
    public Instant createdInstant() {
        return Instant.parse(created);
    }

    void validate(String source) {
        require(kubernetesVersion != null && kubernetesVersion.matches("\\d+\\.\\d+\\.\\d+"), source,
                "kubernetesVersion must be like 1.33.4");
        require(arch != null && ARCH.matcher(arch).matches(), source, "arch must be amd64 or arm64");
        try {
            createdInstant();
        } catch (RuntimeException e) {
            throw new SpecException(source + ": created must be a UTC time such as 2026-01-01T00:00:00Z (it fixes the bundle's timestamps)");
        }
        Set<String> paths = new HashSet<>();
        for (Binary b : binaries) {
            require(b.name() != null, source, "every binary needs a name");
            require((b.url() == null) != (b.file() == null), source,
                    "binary " + b.name() + ": give either url (a download) or file (a local file)");
            require(b.url() == null || b.url().startsWith("https://") || b.url().startsWith("http://"), source,
                    "binary " + b.name() + ": url must be http(s)");
            require(b.file() == null || Path.of(b.file()).isAbsolute(), source,
                    "binary " + b.name() + ": file must be an absolute path, not '" + b.file() + "'");
            require(b.sha256() != null && SHA256.matcher(b.sha256()).matches(), source, "binary " + b.name()
                    + ": checksum not pinned (sha256 '" + b.sha256() + "'): put the published SHA-256 (64 hex digits) in the manifest");
            require((b.path() == null) != b.extract().isEmpty(), source,
                    "binary " + b.name() + ": give either path (a single file) or extract (members of a tarball)");
            if (b.path() != null) {
                checkPath(b.path(), source, paths);
                b.modeBits();
            }
            for (Member mem : b.extract()) {
                require(mem.member() != null && mem.path() != null, source, "binary " + b.name() + ": every extract entry needs member and path");
                checkPath(mem.path(), source, paths);
                mem.modeBits();
            }
        }
        Set<String> refs = new HashSet<>();
        for (Image image : images) {
            require(image != null && image.ref() != null, source, "every image needs a reference (ref)");
            ImageReference r = ImageReference.parse(image.ref());
            require(refs.add(r.fileName()), source, "image " + image.ref() + " has the same file name as another image");
            if (image.local()) {
                require(Path.of(image.file()).isAbsolute(), source,
                        "image " + image.ref() + ": file must be an absolute path, not '" + image.file() + "'");
                require(image.digest() != null && image.digest().startsWith("sha256:")
                                && SHA256.matcher(image.digest().substring("sha256:".length())).matches(), source,
                        "image " + image.ref() + ": digest not pinned ('" + image.digest()
                                + "'): put the image manifest's sha256:<64 hex digits> in the manifest");
            } else {
                require(image.digest() == null, source, "image " + image.ref()
                        + ": a digest goes with a local file; pin a registry image as name:tag@sha256:...");
            }
        }
    }

    private static void checkPath(String p, String source, Set<String> seen) {
        require(StagingPaths.isSafe(p), source, "path '" + p + "' must be relative, without '..' or empty parts");
        require(seen.add(p), source, "path '" + p + "' appears twice");
    }

    static int parseMode(String mode, int dflt, String what) {
        if (mode == null) {
            return dflt;
        }
        if (!mode.matches("0?[0-7]{3}")) {
            throw new SpecException(what + ": mode '" + mode + "' must be octal such as \"0755\" (quoted)");
        }
        return Integer.parseInt(mode, 8);
    }

    private static void require(boolean ok, String source, String message) {
        if (!ok) {
            throw new SpecException(source + ": " + message);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
