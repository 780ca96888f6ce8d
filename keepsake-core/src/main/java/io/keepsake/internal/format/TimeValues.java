package io.keepsake.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * java.time values as their ISO-8601 text ({@code toString()} and {@code parse}), a stable, readable encoding that
 * needs no extra Jackson module. Other java.time types are refused by Jackson with a clear error at encode time.
 */
final class TimeValues extends SimpleModule {
    private static final long serialVersionUID = 1L;

    TimeValues() {
        super("keepsake-time");
        add(Instant.class, Instant::parse);
        add(LocalDate.class, LocalDate::parse);
        add(LocalDateTime.class, LocalDateTime::parse);
        add(LocalTime.class, LocalTime::parse);
        add(OffsetDateTime.class, OffsetDateTime::parse);
        add(ZonedDateTime.class, ZonedDateTime::parse);
        add(Duration.class, Duration::parse);
    }

    private <T> void add(Class<T> type, Function<String, T> parse) {
        addSerializer(type, new AsText<>(type));
        addDeserializer(type, new FromText<>(type, parse));
    }

    private static final class AsText<T> extends StdScalarSerializer<T> {
        private static final long serialVersionUID = 1L;

        AsText(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class FromText<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Function<String, T> parse;

        FromText(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        @SuppressWarnings("unchecked") // handleUnexpectedToken returns a value of handledType(), which is T
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p);
            }
            String text = p.getText();
            try {
                return parse.apply(text);
            } catch (DateTimeParseException e) {
                return (T) ctxt.handleWeirdStringValue(handledType(), text, "not ISO-8601: %s", e.getMessage());
            }
        }
    }
}
