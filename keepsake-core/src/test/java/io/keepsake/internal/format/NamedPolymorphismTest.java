package io.keepsake.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.keepsake.CodecException;
import io.keepsake.format.TypeRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field declared as an interface needs type information in the data. Class names are refused, but names are
 * fine: {@code @JsonTypeInfo(use = NAME)} with {@code @JsonSubTypes}, whose subtypes must still be registered.
 */
class NamedPolymorphismTest {
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle"),
                   @JsonSubTypes.Type(value = Square.class, name = "square")})
    sealed interface Shape permits Circle, Square {
    }

    record Circle(double radius) implements Shape {
    }

    record Square(double side) implements Shape {
    }

    record Drawing(List<Shape> shapes) {
    }

    @Test
    void namedSubtypesOfAnInterfaceFieldRoundTrip() {
        SmileCodec codec = new SmileCodec(TypeRegistry.builder()
                .register(Drawing.class, "drawing")
                .register(Circle.class, "circle")
                .register(Square.class, "square")
                .build());
        Drawing in = new Drawing(List.of(new Circle(1.5), new Square(2)));
        assertEquals(in, codec.decode(codec.encode(in)));
    }

    @Test
    void anUnregisteredNamedSubtypeIsStillRefused() {
        SmileCodec full = new SmileCodec(TypeRegistry.builder().register(Drawing.class, "drawing")
                .register(Circle.class, "circle").register(Square.class, "square").build());
        byte[] bytes = full.encode(new Drawing(List.of(new Square(2))));
        SmileCodec partial = new SmileCodec(TypeRegistry.builder().register(Drawing.class, "drawing")
                .register(Circle.class, "circle").build());
        assertThrows(CodecException.class, () -> partial.decode(bytes));
        assertThrows(CodecException.class, () -> partial.encode(new Drawing(List.of(new Square(2)))));
    }
}
