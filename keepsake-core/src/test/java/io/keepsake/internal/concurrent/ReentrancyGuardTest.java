package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReentrancyGuardTest {
    private final ReentrancyGuard system = new ReentrancyGuard("prevalent system data/bank");
    private final ReentrancyGuard ref = new ReentrancyGuard("ref settings");

    @Test
    void aCallBackIntoTheSameOwnerIsRefusedWithAMessageNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> system.run("a command", () -> system.check("execute")));
        assertTrue(e.getMessage().contains("prevalent system data/bank"), e.getMessage());
        assertTrue(e.getMessage().contains("execute"), e.getMessage());
        assertTrue(e.getMessage().contains("a command"), e.getMessage());
    }

    @Test
    void userCodeOfOneOwnerMayCallAnother() {
        assertDoesNotThrow(() -> system.run("a command", () -> ref.check("set")));
        assertEquals(3, (int) system.call("a command", () -> ref.call("a watch", () -> {
            assertThrows(IllegalStateException.class, () -> system.check("execute"));
            assertThrows(IllegalStateException.class, () -> ref.check("set"));
            return 3;
        })));
    }

    @Test
    void leavingUserCodeEvenByThrowingClearsTheGuard() {
        assertThrows(ArithmeticException.class, () -> system.run("a command", () -> {
            throw new ArithmeticException();
        }));
        assertFalse(system.inside());
        assertDoesNotThrow(() -> system.check("execute"));
    }

    @Test
    void anotherThreadIsNotInside() throws Exception {
        boolean[] otherInside = {true};
        system.run("a command", () -> {
            Thread t = new Thread(() -> otherInside[0] = system.inside());
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(otherInside[0]);
    }
}
