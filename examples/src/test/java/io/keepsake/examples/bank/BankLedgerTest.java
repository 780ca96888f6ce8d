package io.keepsake.examples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.prevalent.Prevalent;
import io.keepsake.RejectedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankLedgerTest {
    @TempDir
    Path dir;

    @Test
    void overdraftIsRefusedBeforeAnythingIsJournaled() {
        try (Prevalent<Bank> bank = BankLedger.open(dir)) {
            bank.execute(new Deposit("alice", 100));
            long before = bank.lastSequence();
            RejectedException refused = assertThrows(RejectedException.class,
                    () -> bank.execute(new Transfer("alice", "bob", 101)));
            assertTrue(refused.getMessage().contains("overdraft refused: account alice holds 100 cents"),
                    refused.getMessage());
            assertEquals(before, bank.lastSequence());
            assertEquals(100L, (long) bank.<Long>query(b -> b.balance("alice")));
            assertEquals(0L, (long) bank.<Long>query(b -> b.balance("bob")));
        }
    }

    @Test
    void transfersMoveMoneyAndSurviveReopen() {
        try (Prevalent<Bank> bank = BankLedger.open(dir)) {
            bank.execute(new Deposit("alice", 500));
            assertEquals(300L, bank.execute(new Transfer("alice", "bob", 200)));
            assertEquals(250L, bank.execute(new Withdraw("alice", 50)));
        }
        try (Prevalent<Bank> bank = BankLedger.open(dir)) {
            assertEquals(250L, (long) bank.<Long>query(b -> b.balance("alice")));
            assertEquals(200L, (long) bank.<Long>query(b -> b.balance("bob")));
            assertEquals(450L, (long) bank.<Long>query(b -> b.netDeposits));
            assertTrue(bank.query(Bank::conserved));
        }
    }

    @Test
    void demoConservesMoneyAcrossRunsAndRecoversTheLastSequence() {
        StringWriter first = new StringWriter();
        BankDemo.Result one = new BankDemo(new BankDemo.Options(dir, Duration.ofMillis(700), 4, 10),
                new PrintWriter(first)).run();
        assertTrue(one.conserved(), first.toString());
        assertTrue(one.executed() > 0, first.toString());
        StringWriter second = new StringWriter();
        BankDemo.Result two = new BankDemo(new BankDemo.Options(dir, Duration.ofMillis(300), 2, 10),
                new PrintWriter(second)).run();
        assertEquals(one.lastSequence(), two.recoveredSequence(), second.toString());
        assertTrue(two.conserved(), second.toString());
    }
}
