package io.keepsake.internal.concurrent;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Refuses calls from user code back into the engine or ref that is running it.
 *
 * <p>A command that calls {@code execute} on its own prevalent system would wait for the committer it runs on
 * (deadlock); a transition that does would journal the inner event before the outer one, so the live state would
 * differ from what replay produces; a SYNC ref's validator or watch that changes its own ref would nest a second
 * write inside the first. Each owner wraps the user code it runs in {@link #call} and checks {@link #check} at the
 * top of every operation that must not nest: the nested call gets an {@link IllegalStateException} that names the
 * owner, the operation and the kind of user code, and changes nothing.
 *
 * <p>Design: one thread-local stack, shared by all guards, of the guards whose user code the thread is running (user
 * code of one owner may legitimately call another). Entering and leaving push and pop; checking scans the stack,
 * which is nearly always empty or one deep.
 */
public final class ReentrancyGuard {
    private static final ThreadLocal<Frames> INSIDE = ThreadLocal.withInitial(Frames::new);

    private final String owner;

    /** @param owner what is guarded, for messages, such as {@code "prevalent system data/bank"} */
    public ReentrancyGuard(String owner) {
        this.owner = owner;
    }

    /**
     * Runs user code of this owner on the calling thread.
     *
     * @param role what the user code is, for messages, such as {@code "a command"} or {@code "a watch"}
     * @return what {@code userCode} returned
     */
    public <R> R call(String role, Supplier<R> userCode) {
        Frames frames = INSIDE.get();
        frames.push(this, role);
        try {
            return userCode.get();
        } finally {
            frames.pop();
        }
    }

    /** Like {@link #call} for user code that returns nothing. */
    public void run(String role, Runnable userCode) {
        Frames frames = INSIDE.get();
        frames.push(this, role);
        try {
            userCode.run();
        } finally {
            frames.pop();
        }
    }

    /**
     * @param operation what is being called, such as {@code "execute"}
     * @throws IllegalStateException if the calling thread is running user code of this owner
     */
    public void check(String operation) {
        String role = INSIDE.get().roleOf(this);
        if (role != null) {
            throw new IllegalStateException(owner + ": " + operation + " was called from inside " + role + " of the"
                    + " same " + owner.split(" ")[0] + "; user code must not call back into what runs it (it would"
                    + " deadlock or make the live state differ from replay). Return a value and act on it after the"
                    + " call returns instead.");
        }
    }

    /** @return whether the calling thread is running user code of this owner */
    public boolean inside() {
        return INSIDE.get().roleOf(this) != null;
    }

    /** The guards a thread is inside, innermost last. */
    private static final class Frames {
        private ReentrancyGuard[] guards = new ReentrancyGuard[4]; // confined to one thread
        private String[] roles = new String[4]; // confined to one thread
        private int depth; // confined to one thread

        void push(ReentrancyGuard guard, String role) {
            if (depth == guards.length) {
                guards = Arrays.copyOf(guards, depth * 2);
                roles = Arrays.copyOf(roles, depth * 2);
            }
            guards[depth] = guard;
            roles[depth] = role;
            depth++;
        }

        void pop() {
            depth--;
            guards[depth] = null;
            roles[depth] = null;
        }

        String roleOf(ReentrancyGuard guard) {
            for (int i = depth - 1; i >= 0; i--) {
                if (guards[i] == guard) {
                    return roles[i];
                }
            }
            return null;
        }
    }
}
