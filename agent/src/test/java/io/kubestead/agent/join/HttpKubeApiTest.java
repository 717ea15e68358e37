package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpKubeApiTest {
    static final String TOKEN = "abcdef.0123456789abcdef";
    @TempDir
    Path tmp;
    FakeApiServer server;
    String ca;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = new TestPki(tmp.resolve("pki"));
        server = new FakeApiServer(pki, TOKEN);
        ca = Files.readString(pki.caFile());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theLeaseLockWorksOverHttpsWithABearerToken() {
        HttpKubeApi api = new HttpKubeApi(server.uri(), ca, TOKEN, Duration.ofSeconds(5));
        assertTrue(api.get(LeaseLock.PATH).isEmpty());
        LeaseLock a = new LeaseLock(api, Clock.systemUTC());
        assertTrue(a.tryAcquire("cp-2", Duration.ofSeconds(30)).acquired());
        ClusterLock.Attempt b = new LeaseLock(api, Clock.systemUTC()).tryAcquire("cp-3", Duration.ofSeconds(30));
        assertFalse(b.acquired());
        assertEquals("cp-2", b.holder().orElseThrow().identity());
        a.renew("cp-2");
        a.release("cp-2");
        assertTrue(new LeaseLock(api, Clock.systemUTC()).tryAcquire("cp-3", Duration.ofSeconds(30)).acquired());
    }

    @Test
    void conflictsAndRefusalsCarryTheStatusAndTheServersMessage() {
        HttpKubeApi api = new HttpKubeApi(server.uri(), ca, TOKEN, Duration.ofSeconds(5));
        new LeaseLock(api, Clock.systemUTC()).tryAcquire("cp-2", Duration.ofSeconds(30));
        var lease = api.get(LeaseLock.PATH).orElseThrow();
        KubeApiException dup = assertThrows(KubeApiException.class, () -> api.create(LeaseLock.COLLECTION, lease));
        assertTrue(dup.conflict());
        api.update(LeaseLock.PATH, lease.deepCopy());
        KubeApiException stale = assertThrows(KubeApiException.class, () -> api.update(LeaseLock.PATH, lease));
        assertTrue(stale.conflict(), stale.getMessage());

        HttpKubeApi wrongToken = new HttpKubeApi(server.uri(), ca, "zzzzzz.0123456789abcdef", Duration.ofSeconds(5));
        KubeApiException denied = assertThrows(KubeApiException.class, () -> wrongToken.get(LeaseLock.PATH));
        assertEquals(401, denied.status());
        assertEquals("GET " + LeaseLock.PATH + ": HTTP 401: Unauthorized", denied.getMessage());
        assertFalse(denied.getMessage().contains("zzzzzz"), "the token never appears in messages");
    }

    @Test
    void refusesAServerNotSignedByTheClusterCa() throws Exception {
        String otherCa = Files.readString(new TestPki(tmp.resolve("other")).caFile());
        HttpKubeApi api = new HttpKubeApi(server.uri(), otherCa, TOKEN, Duration.ofSeconds(5));
        KubeApiException e = assertThrows(KubeApiException.class, () -> api.get(LeaseLock.PATH));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("cannot reach the API server"), e.getMessage());
    }
}
