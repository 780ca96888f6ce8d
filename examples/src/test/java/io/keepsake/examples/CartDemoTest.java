package io.keepsake.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.RejectedException;
import io.keepsake.examples.CartDemo.Cart;
import io.keepsake.examples.CartDemo.CartEvent;
import io.keepsake.prevalent.PrevalentValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CartDemoTest {
    @TempDir
    Path tmp;

    @Test
    void itemsSurviveARestart() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        CartDemo.run(tmp, "apple", out);
        CartDemo.run(tmp, "pear", out);
        assertEquals(new Cart(Map.of("apple", 1, "pear", 1, "plum", 1), false), CartDemo.run(tmp, "plum", out));
        assertTrue(text.toString().contains("cart: {apple=1, pear=1, plum=1} (plum x1)"), text.toString());
    }

    @Test
    void everyEventOfTheSealedInterfaceIsJournaledAndReplayed() {
        try (PrevalentValue<Cart, CartEvent> cart = CartDemo.open(tmp)) {
            cart.execute(new CartDemo.AddItem("apple", 2));
            cart.execute(new CartDemo.AddItem("pear", 1));
            cart.execute(new CartDemo.RemoveItem("pear"));
            assertEquals(1, cart.execute(new CartDemo.CheckOut()).result());
            assertThrows(RejectedException.class, () -> cart.execute(new CartDemo.AddItem("plum", 1)));
        }
        try (PrevalentValue<Cart, CartEvent> cart = CartDemo.open(tmp)) {
            assertEquals(new Cart(Map.of("apple", 2), true), cart.state());
            assertEquals(4, cart.lastSequence());
        }
    }
}
