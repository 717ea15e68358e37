package io.kubestead.installer.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class RuntimeModulesTest {

    private static Path jarOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void aLibraryNeedingAModuleTheRuntimeLacksFailsNamingIt() throws Exception {
        Path picocli = jarOf(picocli.CommandLine.class);
        Path bcprov = jarOf(BouncyCastleProvider.class);
        RuntimeModules modules = new RuntimeModules();
        var e = assertThrows(IllegalStateException.class,
                () -> modules.check(picocli, List.of(bcprov), Set.of("java.base")));
        assertTrue(e.getMessage().contains("java.naming"), e.getMessage());
        assertTrue(e.getMessage().contains("runtime.modules in installer/pom.xml"), e.getMessage());
        Set<String> needed = modules.check(picocli, List.of(bcprov), Set.of("java.base", "java.naming", "java.logging"));
        assertTrue(needed.contains("java.naming"), needed.toString());
        assertTrue(needed.stream().noneMatch(RuntimeModules.OPTIONAL_FOR_LIBRARIES::contains), needed.toString());
        assertEquals(Set.of("java.base"), modules.required(List.of(picocli)));
    }
}
