package io.keepsake.prevalent;

import io.keepsake.internal.format.Codec;
import io.keepsake.internal.format.FileHeader;
import io.keepsake.format.KeyProvider;
import io.keepsake.internal.format.Pipeline;

/**
 * A {@link Sealer} over the format {@link Pipeline}: the bytes it seals are already codec output, so they pass
 * the pipeline's raw codec (id 0) and are then compressed and encrypted. The header handed out and recorded
 * still names the real codec (the one that made the bytes); sealing and opening both bind the cipher to the raw
 * codec id, so the two always agree.
 */
final class PipelineSealer implements Sealer {
    private final Pipeline pipeline;
    private final KeyProvider keys; // null without encryption

    PipelineSealer(Pipeline pipeline, KeyProvider keys) {
        this.pipeline = pipeline;
        this.keys = keys;
    }

    @Override
    public FileHeader header(io.keepsake.internal.format.FileKind kind, long base) {
        return pipeline.header(kind, base);
    }

    @Override
    public byte[] seal(byte[] raw, FileHeader header) {
        return pipeline.encode(raw, raw(header));
    }

    @Override
    public byte[] open(byte[] sealed, FileHeader header, String file, long offset) {
        if (header.cipherId() == Pipeline.AES_GCM) {
            int keyId = header.keyId();
            if (keys == null) {
                throw new MissingKeyException(file + " at offset " + offset + ": encrypted with AES-256-GCM under "
                        + "key id " + keyId + ", but no KeyProvider is configured; pass one holding key id " + keyId
                        + " to keys(...)");
            }
            if (keys.key(keyId).isEmpty()) {
                throw new MissingKeyException(file + " at offset " + offset + ": encrypted under key id " + keyId
                        + ", which the KeyProvider does not have (" + keys + "); add that key to it");
            }
        }
        return pipeline.unwrap(sealed, raw(header), file, offset);
    }

    @Override
    public boolean opensUnchanged(FileHeader header) {
        return header.cipherId() == 0 && header.compressionId() == 0;
    }

    private static FileHeader raw(FileHeader h) {
        return new FileHeader(h.kind(), h.writeVersion(), h.readVersion(), Codec.raw().id(), h.compressionId(),
                h.cipherId(), h.keyId(), h.base());
    }
}
