package io.keepsake.internal.format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Smile-encoded value read as a plain Jackson tree, for tools that inspect data without the application's
 * classes (see {@link SmileCodec#toTree(byte[])}).
 *
 * @param typeName the registered (or built-in) name the value was written under
 * @param value    the value as a tree: objects, arrays, text, numbers, booleans, binary, null
 */
public record SmileTree(String typeName, JsonNode value) {
}
