package io.keepsake.examples;

import io.keepsake.Keepsake;
import io.keepsake.RejectedException;
import io.keepsake.format.TypeName;
import io.keepsake.prevalent.Outcome;
import io.keepsake.prevalent.PrevalentValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable prevalent value whose events are the records of a sealed interface: passing {@code CartEvent.class}
 * registers every record it permits and makes the transition's {@code switch} exhaustive, so adding an event
 * record without handling it fails to compile. {@link TypeName} gives an event a permanent name, so the record can
 * be renamed later without breaking the journal. Each run adds an item; run it twice to see the cart survive.
 */
public final class CartDemo {
    /** What can happen to a cart. */
    public sealed interface CartEvent permits AddItem, RemoveItem, CheckOut {
    }

    /** Puts {@code quantity} of an item in the cart. */
    @TypeName("cart-add")
    public record AddItem(String item, int quantity) implements CartEvent {
    }

    /** Takes an item out of the cart entirely. */
    @TypeName("cart-remove")
    public record RemoveItem(String item) implements CartEvent {
    }

    /** Closes the cart: later changes are refused. */
    @TypeName("cart-checkout")
    public record CheckOut() implements CartEvent {
    }

    /** The state: quantities by item, and whether it was checked out. Immutable. */
    public record Cart(Map<String, Integer> items, boolean checkedOut) {
        /** An open, empty cart. */
        public static final Cart EMPTY = new Cart(Map.of(), false);
    }

    private CartDemo() {
    }

    /**
     * The pure transition: no {@code default} branch, the compiler checks that every event is handled.
     *
     * @throws RejectedException if the cart is checked out or the item is not in it; nothing is journaled
     */
    static Outcome<Cart> apply(Cart cart, CartEvent event, Instant time) {
        if (cart.checkedOut()) {
            throw new RejectedException("the cart is checked out; " + event + " is refused");
        }
        Map<String, Integer> items = new TreeMap<>(cart.items());
        return switch (event) {
            case AddItem add -> {
                int now = items.merge(add.item(), add.quantity(), Integer::sum);
                yield Outcome.of(new Cart(Map.copyOf(items), false), now);
            }
            case RemoveItem remove -> {
                if (items.remove(remove.item()) == null) {
                    throw new RejectedException(remove.item() + " is not in the cart");
                }
                yield Outcome.of(new Cart(Map.copyOf(items), false), 0);
            }
            case CheckOut checkOut -> Outcome.of(new Cart(cart.items(), true), items.size());
        };
    }

    /** @return the cart in {@code dir}, recovered from its newest snapshot and journal */
    public static PrevalentValue<Cart, CartEvent> open(Path dir) {
        return Keepsake.prevalent(Cart.EMPTY, CartEvent.class, CartDemo::apply).directory(dir).open();
    }

    /**
     * Opens the cart in {@code dir}, adds one {@code item}, and prints the cart.
     *
     * @return the cart after the addition
     */
    public static Cart run(Path dir, String item, PrintWriter out) {
        try (PrevalentValue<Cart, CartEvent> cart = open(dir)) {
            Outcome<Cart> after = cart.execute(new AddItem(item, 1));
            out.println("cart: " + new TreeMap<>(after.state().items()) + " (" + item + " x" + after.result() + ")");
            out.flush();
            return after.state();
        }
    }

    /** @param args the data directory (default {@code data/cart}) and an item (default {@code apple}) */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/cart");
        run(dir, args.length > 1 ? args[1] : "apple", new PrintWriter(System.out, true));
    }
}
