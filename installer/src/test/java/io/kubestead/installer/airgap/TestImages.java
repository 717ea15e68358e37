package io.kubestead.installer.airgap;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Pushes a tiny image (one layer with /hello.txt) to a registry with jib-core: no Docker needed. */
final class TestImages {
    private TestImages() {
    }

    static void push(String ref, Set<Platform> platforms, ImageFormat format, Path work) throws Exception {
        Path hello = Files.createDirectories(work).resolve("hello.txt");
        Files.writeString(hello, "hello from a kubestead test image\n");
        Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(hello, AbsoluteUnixPath.get("/hello.txt")).build())
                .setFormat(format)
                .setPlatforms(platforms)
                .setEntrypoint("/hello")
                .containerize(Containerizer.to(RegistryImage.named(ref)).setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("jib-cache"))
                        .setApplicationLayersCache(work.resolve("jib-app-cache")));
    }
}
