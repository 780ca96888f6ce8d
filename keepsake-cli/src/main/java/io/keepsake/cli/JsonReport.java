package io.keepsake.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.keepsake.CorruptionException;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The {@code --json} output of {@code inspect} and {@code verify}: one JSON document on stdout,
 *
 * <pre>
 * {"target": "...", "kind": "prevalent directory", "ok": false, "result": { ...the core tool's result... }}
 * </pre>
 *
 * where {@code result} is the record the core tool returned ({@code JournalTools.Verification},
 * {@code SnapshotTools.DirectoryCheck} or {@code StoreCheck}), field for field, and every damage found is
 * {@code {"file": key or path, "offset": n, "message": "..."}}.
 */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("keepsake-cli").addSerializer(new CorruptionSerializer()));

    private JsonReport() {
    }

    static void print(PrintWriter out, String target, Target.Kind kind, boolean ok, Object result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("target", target);
        root.put("kind", kind.label);
        root.put("ok", ok);
        root.set("result", MAPPER.valueToTree(result));
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report always serializes", e);
        }
        out.flush();
    }

    /** A damage as its place and message, not as a Java exception with a stack trace. */
    private static final class CorruptionSerializer extends StdSerializer<CorruptionException> {
        private static final long serialVersionUID = 1L;

        CorruptionSerializer() {
            super(CorruptionException.class);
        }

        @Override
        public void serialize(CorruptionException e, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            json.writeStartObject();
            json.writeStringField("file", e.file());
            json.writeNumberField("offset", e.offset());
            json.writeStringField("message", e.getMessage());
            json.writeEndObject();
        }
    }
}
