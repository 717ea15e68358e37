package io.kubestead.agent.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * manifest.json of an air-gap bundle. {@link #toJson()} is canonical (keys sorted, no whitespace), because the
 * signature covers its exact bytes and the build must be reproducible. Files are sorted by path and unique.
 */
public record BundleManifest(int format, String kubernetesVersion, String arch, String created, List<FileEntry> files,
        List<ImageEntry> images) {

    public static final int FORMAT = 1;
    /**
     * About 60,000 files (a real bundle lists under a hundred). Read whole and parsed before anything else, so it
     * bounds the reader's memory: with {@link ManifestJson}'s value limit, well under 128 MiB of heap.
     */
    public static final int MAX_BYTES = 8 << 20;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    /** One file of the bundle. */
    public record FileEntry(String path, long size, String sha256) {
        public FileEntry {
            String p = BundlePaths.problem(path);
            if (p != null) {
                throw new BundleException("manifest file " + BundlePaths.quote(String.valueOf(path)) + ": " + p);
            }
            String top = path.substring(0, path.indexOf('/') < 0 ? path.length() : path.indexOf('/'));
            if (BundlePaths.RESERVED.contains(top.toLowerCase(Locale.ROOT))) {
                throw new BundleException("manifest file '" + path + "': the name '" + top + "' is reserved");
            }
            if (size < 0) {
                throw new BundleException("manifest file '" + path + "': negative size " + size);
            }
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new BundleException("manifest file '" + path + "': sha256 is not 64 lowercase hex digits");
            }
        }
    }

    /** A container image: its full reference and the OCI layout tar holding it. */
    public record ImageEntry(String ref, String path) {
        public ImageEntry {
            if (ref == null || ref.isBlank() || ref.length() > 512) {
                throw new BundleException("manifest image: empty or overlong reference");
            }
            if (BundlePaths.problem(path) != null) {
                throw new BundleException("manifest image " + ref + ": bad path " + BundlePaths.quote(String.valueOf(path)));
            }
        }
    }

    public BundleManifest {
        if (format != FORMAT) {
            throw new BundleException("manifest format " + format + " is not supported (this agent reads format " + FORMAT + ")");
        }
        requireWord("kubernetesVersion", kubernetesVersion);
        requireWord("arch", arch);
        try {
            Instant.parse(String.valueOf(created));
        } catch (DateTimeParseException e) {
            throw new BundleException("manifest created '" + created + "' is not an instant like 2026-01-01T00:00:00Z");
        }
        files = List.copyOf(files);
        images = List.copyOf(images);
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i - 1).path().compareTo(files.get(i).path()) >= 0) {
                throw new BundleException("manifest files are not sorted and unique at '" + files.get(i).path() + "'");
            }
        }
        refuseConflicts(files);
        Set<String> paths = new HashSet<>();
        files.forEach(f -> paths.add(f.path()));
        for (ImageEntry image : images) {
            if (!paths.contains(image.path())) {
                throw new BundleException("manifest image " + image.ref() + ": '" + image.path() + "' is not a listed file");
            }
        }
    }

    /**
     * Paths that cannot all be files in one tree: a file that is also another's directory ('bin' and 'bin/kubeadm'),
     * or two paths that differ only in letter case (one file on a case-insensitive file system). Refused here, when
     * the manifest is read, so verify and extract refuse the same bundles with the same message before any byte.
     */
    private static void refuseConflicts(List<FileEntry> files) {
        Map<String, String> byFolded = new HashMap<>();
        Map<String, String> directories = new HashMap<>();
        for (FileEntry f : files) {
            String p = f.path();
            String other = byFolded.putIfAbsent(p.toLowerCase(Locale.ROOT), p);
            if (other != null) {
                throw new BundleException("manifest files '" + other + "' and '" + p + "' differ only in letter case");
            }
            for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
                directories.putIfAbsent(p.substring(0, i).toLowerCase(Locale.ROOT), p);
            }
        }
        for (FileEntry f : files) {
            String inside = directories.get(f.path().toLowerCase(Locale.ROOT));
            if (inside != null) {
                throw new BundleException("manifest file '" + f.path() + "' is also a directory of '" + inside + "'");
            }
        }
    }

    private static void requireWord(String key, String value) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new BundleException("manifest " + key + " '" + value + "' is missing or not a plain word");
        }
    }

    /** The time every tar entry carries (the build input's, not the clock's). */
    public Instant createdInstant() {
        return Instant.parse(created);
    }

    /** Sum of the files' sizes: the total of the progress callback. */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** The canonical bytes: UTF-8, keys sorted, no whitespace. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("arch", arch);
            g.writeStringField("created", created);
            g.writeArrayFieldStart("files");
            for (FileEntry f : files) {
                g.writeStartObject();
                g.writeStringField("path", f.path());
                g.writeStringField("sha256", f.sha256());
                g.writeNumberField("size", f.size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("format", format);
            g.writeArrayFieldStart("images");
            for (ImageEntry i : images) {
                g.writeStartObject();
                g.writeStringField("path", i.path());
                g.writeStringField("ref", i.ref());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("kubernetesVersion", kubernetesVersion);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Parses manifest.json, refusing anything over {@link #MAX_BYTES} or not valid as a manifest. */
    public static BundleManifest parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new BundleException("manifest.json is larger than " + MAX_BYTES + " bytes");
        }
        Object root;
        try {
            root = ManifestJson.read(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BundleException("manifest.json is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BundleException("manifest.json cannot be read: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> object)) {
            throw new BundleException("manifest.json is not a JSON object");
        }
        List<FileEntry> files = new ArrayList<>();
        for (Map<?, ?> f : objects(object, "files")) {
            files.add(new FileEntry(text(f, "path"), number(f, "size"), text(f, "sha256")));
        }
        List<ImageEntry> images = new ArrayList<>();
        for (Map<?, ?> i : objects(object, "images")) {
            images.add(new ImageEntry(text(i, "ref"), text(i, "path")));
        }
        long format = number(object, "format");
        return new BundleManifest(format == FORMAT ? FORMAT : -1, text(object, "kubernetesVersion"), text(object, "arch"),
                text(object, "created"), files, images);
    }

    /** The array under {@code key}; an element that is not an object counts as one without any keys. */
    private static List<Map<?, ?>> objects(Map<?, ?> node, String key) {
        if (!(node.get(key) instanceof List<?> a)) {
            throw new BundleException("manifest.json: '" + key + "' is missing or not an array");
        }
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : a) {
            out.add(o instanceof Map<?, ?> m ? m : Map.of());
        }
        return out;
    }

    private static String text(Map<?, ?> node, String key) {
        if (!(node.get(key) instanceof String v)) {
            throw new BundleException("manifest.json: '" + key + "' is missing or not a string");
        }
        return v;
    }

    private static long number(Map<?, ?> node, String key) {
        Long v = ManifestJson.exactLong(node.get(key));
        if (v == null) {
            throw new BundleException("manifest.json: '" + key + "' is missing or not an integer");
        }
        return v;
    }
}
