package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Only registered types are ever built, whatever the bytes say. */
class RegistrySecurityTest {
    static final AtomicBoolean GADGET_LOADED = new AtomicBoolean();

    /** Stands for a deserialization gadget: loading it is the attack. */
    static final class Gadget {
        static {
            GADGET_LOADED.set(true);
        }

        String command;
    }

    record Carrier(Object payload) {
    }

    record Annotated(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object payload) {
    }

    record NestedStranger(Stranger inner) {
    }

    record Stranger(String name) {
    }

    record WithThread(Thread thread) {
    }

    /** A POJO that can refer to itself through another. */
    static final class Node {
        Node next;
    }

    record Keyed(java.util.Map<Stranger, String> byStranger) {
    }

    private static final ObjectMapper SMILE = SmileMappers.trees();

    private static byte[] craft(String type, ObjectNode value) throws Exception {
        ObjectNode root = SMILE.createObjectNode();
        root.put("t", type);
        root.set("v", value);
        return SMILE.writeValueAsBytes(root);
    }

    @Test
    void aClassNameInTheDataIsNeverLoaded() throws Exception {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(Carrier.class, "carrier").build());
        ObjectNode value = SMILE.createObjectNode();
        value.putArray("payload").add(Gadget.class.getName()).addObject().put("command", "rm -rf /");
        Object decoded = codec.decode(craft("carrier", value));
        assertFalse(GADGET_LOADED.get(), "the gadget class was loaded");
        assertTrue(((Carrier) decoded).payload() instanceof java.util.List<?>);
    }

    @Test
    void classNameTypeIdsAreRefusedOnEncodeAndDecode() throws Exception {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(Annotated.class, "annotated").build());
        assertThrows(CodecException.class, () -> codec.encode(new Annotated("x")));
        ObjectNode value = SMILE.createObjectNode();
        value.putArray("payload").add(Gadget.class.getName()).addObject().put("command", "x");
        byte[] crafted = craft("annotated", value);
        assertThrows(CodecException.class, () -> codec.decode(crafted));
        assertFalse(GADGET_LOADED.get(), "the gadget class was loaded");
    }

    @Test
    void anUnregisteredNestedTypeIsRefusedOnDecode() throws Exception {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(NestedStranger.class, "ns").build());
        ObjectNode value = SMILE.createObjectNode();
        value.putObject("inner").put("name", "x");
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(craft("ns", value)));
        assertTrue(e.getMessage().contains(Stranger.class.getName()), e.getMessage());
    }

    @Test
    void anUnserializableFieldIsACodecExceptionOnEncode() {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(WithThread.class, "wt").build());
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(new WithThread(Thread.currentThread())));
        assertTrue(e.getMessage().contains("wt"), e.getMessage());
    }

    @Test
    void aCyclicGraphIsACodecExceptionNotAStackOverflow() {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(Node.class, "node").build());
        Node a = new Node();
        Node b = new Node();
        a.next = b;
        b.next = a;
        assertThrows(CodecException.class, () -> codec.encode(a));
    }

    @Test
    void anUnregisteredMapKeyTypeIsRefused() throws Exception {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder().register(Keyed.class, "keyed").build());
        assertThrows(CodecException.class,
                () -> codec.encode(new Keyed(java.util.Map.of(new Stranger("s"), "v"))));
        ObjectNode value = SMILE.createObjectNode();
        value.putObject("byStranger").put("Stranger[name=s]", "v");
        assertThrows(CodecException.class, () -> codec.decode(craft("keyed", value)));
    }
}
