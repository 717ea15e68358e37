package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class HashingWriterTest {

    @Test
    void hashesAndWritesChunksInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageDigest sha = BundleWriter.sha256();
        byte[] all = TestBundles.random(HashingWriter.CHUNK * 10 + 5, 3);
        try (HashingWriter pipe = new HashingWriter()) {
            for (int off = 0; off < all.length; off += HashingWriter.CHUNK) {
                byte[] chunk = pipe.take();
                int n = Math.min(chunk.length, all.length - off);
                System.arraycopy(all, off, chunk, 0, n);
                pipe.submit(chunk, n, out, sha);
            }
            pipe.finishFile(out);
        }
        assertArrayEquals(all, out.toByteArray());
        assertEquals(TestBundles.sha256(all), java.util.HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void aWriteFailureOnTheWorkerReachesTheReaderAndCloseDoesNotHang() throws Exception {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        HashingWriter pipe = new HashingWriter();
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 20; i++) {
                pipe.submit(pipe.take(), 10, full, BundleWriter.sha256());
            }
            pipe.finishFile(full);
        });
        assertEquals("No space left on device", e.getMessage());
        pipe.close();
        pipe.close();
    }
}
