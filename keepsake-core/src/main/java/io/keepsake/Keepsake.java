package io.keepsake;

import io.keepsake.prevalent.Prevalent;
import io.keepsake.prevalent.PrevalentBuilder;
import io.keepsake.prevalent.PrevalentValue;
import io.keepsake.prevalent.PrevalentValueBuilder;
import io.keepsake.prevalent.Transition;
import io.keepsake.ref.DurableRef;
import io.keepsake.ref.RefBuilder;
import io.keepsake.ref.RegistryBuilder;
import io.keepsake.ref.StateRegistry;
import io.keepsake.store.Store;
import java.util.function.Supplier;

/**
 * The entry point of Keepsake: the one documented way to start each capability. Each static method starts a
 * builder:
 *
 * <pre>{@code
 * try (Prevalent<Bank> bank = Keepsake.prevalent(Bank::new)
 *         .directory(Path.of("data/bank"))
 *         .register(Deposit.class, Withdraw.class)  // the classes stored: the allow-list
 *         .open()) {
 *     long balance = bank.execute(new Deposit("alice", 100));  // journaled, forced, then applied
 *     long total = bank.query(Bank::total);
 * }
 * }</pre>
 *
 * <p><b>One entry point per concept.</b>
 * <ul>
 * <li>a prevalent system: {@link #prevalent(Supplier)} (mutable model) or {@link #prevalent(Object, Transition)}
 *     (immutable value; {@link #prevalent(Object, Class, Transition)} when the events are a sealed interface of
 *     records);</li>
 * <li>a durable reference: {@link #ref(Class)}; a state registry: {@link #registry(Store)};</li>
 * <li>a store: {@link Store#memory()} in memory, {@link io.keepsake.store.FileStore#at(java.nio.file.Path)} in a
 *     directory, {@link io.keepsake.store.Stores#open(String)} from a URI (configuration, other backends);</li>
 * <li>a bare journal: {@link io.keepsake.journal.Journal#files(java.nio.file.Path)};</li>
 * <li>what is stored: {@link io.keepsake.format.TypeRegistry#builder()}, {@link io.keepsake.format.Compression},
 *     {@link io.keepsake.format.KeyProvider#of(java.util.Map, int)}.</li>
 * </ul>
 * {@code DurableRef.builder}, {@code StateRegistry.builder} and the public builder constructors are deprecated
 * aliases of the methods here. Every exception Keepsake throws is a {@link KeepsakeException} in this package, and
 * {@link Durability} is here too.
 */
public final class Keepsake {
    private Keepsake() {
    }

    /**
     * Starts a mutable prevalent model changed by {@link io.keepsake.prevalent.Command} objects (Prevayler style):
     * each command is journaled, then applied; on restart the newest snapshot is loaded and the journal replayed.
     *
     * @param <S>          the model's type
     * @param initialState makes the empty model (used when there is no snapshot yet)
     * @return a builder; finish with {@link PrevalentBuilder#open()}
     * @see Prevalent
     */
    @SuppressWarnings("deprecation") // the public constructor is the deprecated alias of this method
    public static <S> PrevalentBuilder<S> prevalent(Supplier<S> initialState) {
        return new PrevalentBuilder<>(initialState);
    }

    /**
     * Starts an immutable prevalent value evolved by a pure function (prevayler-clj style): each event is applied
     * by {@code transition}, journaled, and published once durable.
     *
     * @param <S>        the state's (immutable) type
     * @param <E>        the type of the events the transition takes
     * @param initial    the state when there is no snapshot yet
     * @param transition {@code (state, event, time) -> Outcome(newState, result)}; deterministic, no side effects
     * @return a builder; finish with {@link PrevalentValueBuilder#open()}
     * @see PrevalentValue
     */
    @SuppressWarnings("deprecation") // the public constructor is the deprecated alias of this method
    public static <S, E> PrevalentValueBuilder<S, E> prevalent(S initial, Transition<S, E> transition) {
        return new PrevalentValueBuilder<>(initial, transition);
    }

    /**
     * Starts an immutable prevalent value whose events are the records of a sealed interface: each permitted record
     * is registered (under its {@link io.keepsake.format.TypeName @TypeName}, else its simple name, through nested
     * sealed interfaces), and the transition takes the interface, so a {@code switch} over the events is
     * exhaustive and a new event that the transition does not handle fails to compile.
     *
     * <pre>{@code
     * sealed interface BankEvent permits Deposit, Withdraw {}
     * record Deposit(String account, long amount) implements BankEvent {}
     * record Withdraw(String account, long amount) implements BankEvent {}
     *
     * PrevalentValue<Balances, BankEvent> bank = Keepsake.prevalent(Balances.EMPTY, BankEvent.class,
     *         (state, event, time) -> switch (event) {
     *             case Deposit d -> Outcome.of(state.add(d.account(), d.amount()));
     *             case Withdraw w -> Outcome.of(state.add(w.account(), -w.amount()));
     *         }).directory(dir).open();
     * }</pre>
     *
     * @param <S>        the state's (immutable) type
     * @param <E>        the sealed event interface (or the single event record or enum)
     * @param initial    the state when there is no snapshot yet
     * @param eventType  a sealed interface of records (or a single record or enum): the type of every event
     * @param transition {@code (state, event, time) -> Outcome(newState, result)}; deterministic, no side effects
     * @return a builder with the event records registered; finish with {@link PrevalentValueBuilder#open()}
     * @throws IllegalArgumentException if {@code eventType} is neither a sealed interface, a record nor an enum, or
     *                                  the interface permits a class that is not a record (or enum, or sealed
     *                                  interface of them), or two records share a name
     * @see PrevalentValue
     */
    @SuppressWarnings("deprecation") // the public constructor is the deprecated alias of this method
    public static <S, E> PrevalentValueBuilder<S, E> prevalent(S initial, Class<E> eventType,
                                                               Transition<S, E> transition) {
        java.util.Objects.requireNonNull(eventType, "eventType");
        boolean sealedInterface = eventType.isInterface() && eventType.isSealed();
        if (!sealedInterface && !eventType.isRecord() && !eventType.isEnum()) {
            throw new IllegalArgumentException("event type " + eventType.getName() + " must be a sealed interface "
                    + "of records (or a record): " + (eventType.isInterface() ? "it is not sealed; declare it 'sealed interface "
                    + eventType.getSimpleName() + " permits ...'" : "it is a class; make it a record")
                    + ", or use prevalent(initial, transition) and register(...) the event classes");
        }
        return new PrevalentValueBuilder<>(initial, transition).register(eventType);
    }

    /**
     * Starts a durable reference: an {@code AtomicReference}-like cell whose value is written (compare-and-set on
     * the store's version) before each change returns; watches fire after the value is durable.
     *
     * @param <T>  the value's type
     * @param type the value's type (register it, or pass a {@code TypeRegistry}, on the builder)
     * @return a builder; set {@code store}, {@code key} and {@code initial}, then {@link RefBuilder#open()}
     * @see DurableRef
     */
    @SuppressWarnings("deprecation") // DurableRef.builder is the deprecated alias of this method
    public static <T> RefBuilder<T> ref(Class<T> type) {
        return DurableRef.builder(type);
    }

    /**
     * Starts a durable reference of a generic type, such as {@code Map<String, Long>} or {@code List<Item>}: no raw
     * types, and the stored value decodes to the full type (a map's values are {@code Long}s, a list's elements are
     * {@code Item}s).
     *
     * <pre>{@code
     * DurableRef<Map<String, Long>> counts = Keepsake.ref(new TypeRef<Map<String, Long>>() { })
     *         .store(store).key("counts").initial(Map.of()).open();
     * }</pre>
     *
     * @param <T>  the value's full generic type
     * @param type the value's type, captured by an anonymous {@link TypeRef}
     * @return a builder; set {@code store}, {@code key} and {@code initial}, then {@link RefBuilder#open()}
     * @see DurableRef
     */
    public static <T> RefBuilder<T> ref(TypeRef<T> type) {
        return DurableRef.builder(type);
    }

    /**
     * Starts a state registry: named durable values with defaults, saved together in one atomic snapshot by
     * {@link StateRegistry#saveAll()} and reverted together by {@link StateRegistry#reloadAll()}.
     *
     * @param store where the registry's save lives
     * @return a builder; finish with {@link RegistryBuilder#open()}
     */
    @SuppressWarnings("deprecation") // StateRegistry.builder is the deprecated alias of this method
    public static RegistryBuilder registry(Store store) {
        return StateRegistry.builder(store);
    }
}
