/**
 * What a user chooses about the stored format: which application types may be stored and under which permanent
 * names ({@link io.keepsake.format.TypeRegistry}), how data is compressed ({@link io.keepsake.format.Compression})
 * and which keys encrypt it ({@link io.keepsake.format.KeyProvider}). The byte layouts themselves (headers, frames,
 * codecs, checksums) are internal and documented in ARCHITECTURE.md.
 */
package io.keepsake.format;
