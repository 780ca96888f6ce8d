package io.keepsake.format;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permanent name a class is written under, for registrations that take no explicit name: the prevalent
 * builders' {@code register(Class...)}, a sealed event interface's permitted records, and the model's own class.
 * Without it such a class is registered under its simple name, which changes when the class is renamed; with it
 * the class can be renamed or moved freely and old journals and snapshots still decode.
 *
 * <pre>{@code
 * @TypeName("deposit")
 * record Deposit(String account, long amount) implements BankEvent {}
 * }</pre>
 *
 * <p>The name must follow {@link TypeRegistry.Builder#register(Class, String)}'s rules. An explicit name given to
 * {@code register(type, name)} wins over the annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeName {

    /**
     * The name the annotated class is registered and written under.
     *
     * @return the permanent name, written into journals and snapshots in place of the class name
     */
    String value();
}
