/**
 * Layer 1, the format (internal: not exported by the module): how a value becomes stored bytes and back, with no
 * application classes needed to tell what a file is.
 *
 * <p>Every file and stored value opens with a {@link io.keepsake.internal.format.FileHeader} naming its kind, format
 * versions and the ids of its codec, compression and cipher. A {@link io.keepsake.internal.format.Pipeline} turns a value
 * into a payload ({@code codec -> compress -> encrypt}) under such a header and back, and seals single values into
 * CRC32C-checked frames. Payload layouts, innermost first:
 *
 * <pre>
 * codec 0 (raw)     the value's own bytes
 * codec 1 (Smile)   Smile document: ":)\n" 0x05 header, then {"t": registered type name, "v": value}
 * compression 0     the codec bytes as they are
 * compression 1     u32 uncompressed length | LZ4 block
 * cipher 0          the compressed bytes as they are
 * cipher 1          u32 key id | 12-byte nonce (4-byte instance prefix, 8-byte counter) | ciphertext | 16-byte tag
 *                   with associated data "KSK1" | kind | codec id | compression id | cipher id (1) | u32 key id
 * value frame       32-byte header (kind VALUE) | u32 payload length | payload | u32 CRC32C of all before it
 * </pre>
 *
 * All integers are big-endian. Decoding only ever builds types registered in a
 * {@link io.keepsake.format.TypeRegistry}; {@link io.keepsake.internal.format.SmileCodec#toTree} reads any Smile payload as
 * a plain tree for tools.
 */
package io.keepsake.internal.format;
