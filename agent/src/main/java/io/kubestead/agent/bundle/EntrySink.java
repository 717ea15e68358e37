package io.kubestead.agent.bundle;

import java.io.IOException;
import java.io.OutputStream;

/** Where the reader puts verified entries: nowhere (verify) or a staging directory (extract). */
interface EntrySink {
    /** The signed manifest (parsed, and its bytes) and its signature (null when unsigned), before any file. */
    void manifest(BundleManifest manifest, byte[] json, byte[] signature) throws IOException;

    void directory(String path) throws IOException;

    /** A stream for the next file's bytes; nothing is visible under the path until {@link #commit}. */
    OutputStream open(String path) throws IOException;

    /** The file whose stream was just closed matched the manifest: put it in place with this mode. */
    void commit(String path, int mode) throws IOException;

    /** Every entry checked out: make the result visible. */
    void finish() throws IOException;

    /** Something was refused: remove everything written so far. */
    void abort();

    EntrySink DISCARD = new EntrySink() {
        @Override
        public void manifest(BundleManifest manifest, byte[] json, byte[] signature) {
        }

        @Override
        public void directory(String path) {
        }

        @Override
        public OutputStream open(String path) {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void commit(String path, int mode) {
        }

        @Override
        public void finish() {
        }

        @Override
        public void abort() {
        }
    };
}
