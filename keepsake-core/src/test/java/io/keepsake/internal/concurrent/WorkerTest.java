package io.keepsake.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerTest {

    @Test
    void anErrorInTheLoopIsRecordedAndHandedToTheOwnerAndJoinReturns() {
        AtomicReference<Throwable> told = new AtomicReference<>();
        OutOfMemoryError error = new OutOfMemoryError("simulated");
        Worker worker = Worker.start("test-worker", () -> {
            throw error;
        }, told::set);
        worker.join();
        assertFalse(worker.isAlive());
        assertSame(error, worker.failure());
        assertSame(error, told.get());
    }

    @Test
    void aThrowingDeathHandlerIsSuppressedNotLost() {
        IllegalStateException inLoop = new IllegalStateException("loop");
        Worker worker = Worker.start("test-worker", () -> {
            throw inLoop;
        }, t -> {
            throw new AssertionError("handler");
        });
        worker.join();
        assertSame(inLoop, worker.failure());
        assertTrue(inLoop.getSuppressed().length == 1);
    }

    @Test
    void joinIgnoresInterruptsAndRestoresTheFlag() throws Exception {
        Object lock = new Object();
        boolean[] stop = {false};
        Worker worker = Worker.start("test-worker", () -> {
            synchronized (lock) {
                while (!stop[0]) {
                    lock.wait();
                }
            }
        }, t -> { });
        Thread.currentThread().interrupt();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                stop[0] = true;
                lock.notifyAll();
            }
        });
        stopper.start();
        try {
            worker.join();
            assertFalse(worker.isAlive());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theWorkerCannotJoinItself() {
        AtomicReference<Throwable> inside = new AtomicReference<>();
        AtomicReference<Worker> self = new AtomicReference<>();
        Object ready = new Object();
        Worker worker;
        synchronized (ready) {
            worker = Worker.start("test-worker", () -> {
                synchronized (ready) {
                    try {
                        self.get().join();
                    } catch (IllegalStateException e) {
                        inside.set(e);
                    }
                }
            }, t -> { });
            self.set(worker);
        }
        worker.join();
        assertTrue(inside.get() instanceof IllegalStateException);
        assertThrows(IllegalStateException.class, () -> {
            throw (RuntimeException) inside.get();
        });
    }
}
