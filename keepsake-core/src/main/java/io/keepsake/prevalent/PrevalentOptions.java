package io.keepsake.prevalent;

import io.keepsake.Durability;
import io.keepsake.Ticker;
import io.keepsake.WorkerListener;
import io.keepsake.backup.BackupOptions;
import io.keepsake.format.Compression;
import io.keepsake.format.KeyProvider;
import io.keepsake.format.TypeRegistry;
import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings both builders share ({@link PrevalentBuilder}, {@link PrevalentValueBuilder}). Each setter checks its
 * argument at once and throws {@link IllegalArgumentException} or {@link IllegalStateException} with a message
 * saying what is wrong or what clashes.
 *
 * <p>Where data lives: {@link #directory(Path)} (journal in {@code DIR/journal}, snapshots in a file store at
 * {@code DIR/snapshots}); or {@link #journal(Journal)} plus {@link #snapshotStore(Store)} for other backends
 * (a directory and a snapshot store may also be combined); or {@link #inMemory()} for tests (nothing durable).
 *
 * @param <B> the concrete builder type
 */
public abstract class PrevalentOptions<B extends PrevalentOptions<B>> {
    final Settings settings = new Settings();

    PrevalentOptions() {
    }

    @SuppressWarnings("unchecked") // B is the concrete builder's own type (self-typed builder)
    private B self() {
        return (B) this;
    }

    /**
     * Keeps the journal in {@code dir/journal} and snapshots in {@code dir/snapshots}, creating them owner-only.
     *
     * @param dir the system's data directory; created at open if absent
     * @return this builder
     * @throws IllegalStateException if combined with {@link #journal(Journal)} or {@link #inMemory()}
     */
    public B directory(Path dir) {
        Objects.requireNonNull(dir, "directory");
        notInMemory("directory");
        if (settings.journal != null) {
            throw new IllegalStateException("directory cannot be combined with journal(...): the directory holds "
                    + "the journal");
        }
        settings.directory = dir;
        return self();
    }

    /**
     * Uses this journal. The caller opened it and closes it, after closing the system (the system forces it on
     * close but leaves it open). Needs a snapshot store too. No one else may append to it. If it is new and the
     * snapshot store already holds snapshots, open it with its first sequence after the newest snapshot.
     *
     * @param journal an open journal that only this system appends to
     * @return this builder
     * @throws IllegalStateException if combined with {@link #directory(Path)}, {@link #inMemory()}, or a setting of
     *                               the directory's journal ({@code durability}, {@code segmentSize}, {@code disk})
     */
    public B journal(Journal journal) {
        Objects.requireNonNull(journal, "journal");
        notInMemory("journal");
        if (settings.directory != null) {
            throw new IllegalStateException("journal(...) cannot be combined with directory: the directory "
                    + "already holds the journal");
        }
        fileJournalSettings("journal(...)", "the journal you pass keeps its own; set it on that journal's builder "
                + "(Journal.files(dir)...)");
        settings.journal = journal;
        return self();
    }

    /**
     * Keeps snapshots in this store (file, memory, PostgreSQL, S3, Redis). The caller opened it and closes it, after
     * closing the system: the system closes only what its builder opened.
     *
     * @param store an open store; snapshots are written under their own keys in it
     * @return this builder
     * @throws IllegalStateException if combined with {@link #inMemory()}
     */
    public B snapshotStore(Store store) {
        Objects.requireNonNull(store, "snapshotStore");
        notInMemory("snapshotStore");
        settings.snapshotStore = store;
        return self();
    }

    /**
     * Nothing durable: the journal and snapshots live in memory and vanish on close. Events are still encoded, so
     * an unregistered type fails exactly as it would on disk. For users' tests.
     *
     * @return this builder
     * @throws IllegalStateException if combined with {@link #directory(Path)}, {@link #journal(Journal)},
     *                               {@link #snapshotStore(Store)}, {@link #backup(Store, BackupOptions)} or a
     *                               setting of the directory's journal
     */
    public B inMemory() {
        if (settings.directory != null || settings.journal != null || settings.snapshotStore != null) {
            throw new IllegalStateException("inMemory() cannot be combined with directory, journal or "
                    + "snapshotStore");
        }
        if (settings.backupStore != null) {
            throw new IllegalStateException(BACKUP_IN_MEMORY);
        }
        fileJournalSettings("inMemory()", "nothing is written to files in memory");
        settings.inMemory = true;
        return self();
    }

    /**
     * Registers the classes stored in the journal and snapshots: the events (or commands), and every application
     * class the model and the events hold (an {@code Account} inside a {@code Bank}). This is the allow-list of
     * what may be decoded. Each class is registered under its {@link io.keepsake.format.TypeName @TypeName}, or
     * else its simple name (the model's own class is registered at open without being listed here).
     *
     * <p>A sealed interface registers every record (or enum) it permits, through nested sealed interfaces; with
     * {@link io.keepsake.Keepsake#prevalent(Object, Class, Transition)} it is also the event type, so a
     * {@code switch} over the events is exhaustive.
     *
     * <p>Registering a class again under the same name does nothing.
     *
     * @param types records, enums, POJOs, or sealed interfaces of records, to allow in the journal and snapshots
     * @return this builder
     * @throws IllegalArgumentException if a class cannot be decoded (abstract, inner, no creator), an interface is
     *                                  not sealed, a sealed interface permits a class that is not a record, or a
     *                                  name is already taken by another class
     */
    public B register(Class<?>... types) {
        Objects.requireNonNull(types, "types");
        for (Class<?> type : types) {
            Objects.requireNonNull(type, "register: a null class");
            for (Class<?> each : TypeNames.expand(type)) {
                register(each, TypeNames.nameOf(each));
            }
        }
        return self();
    }

    /**
     * Registers classes under their simple names.
     *
     * @param types the classes to register, as for {@link #register(Class[])}
     * @return this builder
     * @deprecated it registers every stored class, not only events; use {@link #register(Class[])}, which does the
     *             same and also reads {@link io.keepsake.format.TypeName @TypeName} and sealed interfaces
     */
    @Deprecated(since = "0.1.0")
    public B events(Class<?>... types) {
        return register(types);
    }

    /**
     * Registers a class under a permanent name written into the journal and snapshots. Registering it again under
     * the same name does nothing.
     *
     * @param type a record, enum or POJO that Jackson can construct
     * @param name its permanent name (the rules of {@link TypeRegistry.Builder#register(Class, String)})
     * @return this builder
     * @throws IllegalArgumentException if the class cannot be decoded, is registered under another name, or the
     *                                  name is malformed or taken
     */
    public B register(Class<?> type, String name) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (name.equals(settings.registered.get(type))) {
            return self();
        }
        settings.registry.register(type, name); // checks the name and that the type can be decoded
        settings.registered.put(type, name);
        return self();
    }

    /**
     * Whether {@code open()} checks that the state can be snapshotted (default on): that every class reachable
     * from the model's declared types and from the registered classes is registered, and that the recovered state
     * encodes. A missing registration then fails the open with a {@link io.keepsake.CodecException} listing every
     * class to register, instead of failing the first snapshot hours later. The check costs one snapshot's
     * encoding of the state (no writing) at each open: for a very large model, turn it off to open faster.
     *
     * @param check whether open runs the check
     * @return this builder
     */
    public B checkTypesAtOpen(boolean check) {
        settings.checkTypes = check;
        return self();
    }

    /**
     * Lets records written under an old name decode as {@code type}, which must be registered too (a rename).
     *
     * @param oldName the name older journals and snapshots hold
     * @param type    the class that name now decodes to
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed, built in or already taken (an alias whose type is
     *                                  never registered fails at {@code open()})
     */
    public B alias(String oldName, Class<?> type) {
        Objects.requireNonNull(type, "type");
        settings.registry.alias(oldName, type);
        return self();
    }

    /**
     * Compresses journal records and snapshot chunks (default {@link Compression#NONE}). Data written under another
     * setting still reads: each file records its compression.
     *
     * @param compression the compression for new records and chunks
     * @return this builder
     */
    public B compression(Compression compression) {
        settings.compression = Objects.requireNonNull(compression, "compression");
        return self();
    }

    /**
     * Encrypts journal records and snapshot chunks with AES-256-GCM under the provider's current key; data written
     * under an older key still reads as long as the provider still has that key (rotation).
     *
     * @param keys the keys to encrypt with and decrypt by key id
     * @return this builder
     */
    public B keys(KeyProvider keys) {
        settings.keys = Objects.requireNonNull(keys, "keys");
        return self();
    }

    /**
     * When an execute counts as done: SYNC (forced, the default), INTERVAL or NONE. Applies to the journal in
     * {@link #directory(Path)}.
     *
     * @param durability when an execute returns relative to the journal force
     * @return this builder
     * @throws IllegalStateException if combined with {@link #journal(Journal)} (set it on that journal's builder)
     *                               or {@link #inMemory()}, which would ignore it
     */
    public B durability(Durability durability) {
        Objects.requireNonNull(durability, "durability");
        onlyForFileJournal("durability(...)");
        settings.durability = durability;
        settings.durabilitySet = true;
        return self();
    }

    /**
     * The clock that stamps each event; its reading is journaled and given back on replay. Default: UTC.
     *
     * @param clock the wall clock read once per event
     * @return this builder
     */
    public B clock(Clock clock) {
        settings.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Takes a snapshot in the background after every {@code events} applied events.
     *
     * @param events how many events between two background snapshots
     * @return this builder
     * @throws IllegalArgumentException if {@code events} is not positive
     */
    public B snapshotEvery(long events) {
        if (events <= 0) {
            throw new IllegalArgumentException("snapshotEvery must be positive, was " + events);
        }
        settings.snapshotEvery = events;
        return self();
    }

    /**
     * Takes a snapshot in the background every {@code interval} of the {@link #ticker(Ticker)}'s time, counted from
     * open (if anything changed; a snapshot that outlasts the interval is followed by a full interval's rest).
     *
     * @param interval the time between background snapshots
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public B snapshotInterval(Duration interval) {
        Objects.requireNonNull(interval, "snapshotInterval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("snapshotInterval must be positive, was " + interval);
        }
        settings.snapshotInterval = interval;
        return self();
    }

    /**
     * The time source for background work ({@link #snapshotInterval(Duration)}); default {@link Ticker#system()}.
     * Tests pass a manual ticker and advance it instead of sleeping. Event times come from {@link #clock(Clock)}.
     *
     * @param ticker the monotonic time source of the snapshot schedule
     * @return this builder
     */
    public B ticker(Ticker ticker) {
        settings.ticker = Objects.requireNonNull(ticker, "ticker");
        return self();
    }

    /**
     * Adds a listener told of each failed background snapshot (the system keeps running and retries at the next
     * interval or after the next N events; the journal still holds every event). It runs on the snapshot thread,
     * after {@link PrevalentSystem#snapshotStatus()} was updated; it must be quick and must not call the system
     * (it would get an {@link IllegalStateException}). With {@link #backup(Store, BackupOptions)} it is also told of
     * each failed backup upload, on the backup's thread, with {@link PrevalentSystem#backupStatus()}. May be called
     * more than once.
     *
     * @param listener told of each failure with the updated snapshot (or backup) status
     * @return this builder
     */
    public B onBackgroundFailure(WorkerListener listener) {
        settings.listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * How many snapshots to keep (default 2); journal segments older than the oldest kept one are deleted.
     *
     * @param count the number of newest snapshots kept after each snapshot; recovery falls back to an older one if
     *              the newest is damaged
     * @return this builder
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public B keepSnapshots(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("keepSnapshots must be at least 1, was " + count);
        }
        settings.keepSnapshots = count;
        return self();
    }

    /**
     * Size at which a journal segment in {@link #directory(Path)} is rolled (default: the journal's default).
     *
     * @param bytes the segment size, at least 4096 bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 4096
     * @throws IllegalStateException if combined with {@link #journal(Journal)} or {@link #inMemory()}, which would
     *                               ignore it
     */
    public B segmentSize(long bytes) {
        if (bytes < 4096) {
            throw new IllegalArgumentException("segmentSize must be at least 4096 bytes, was " + bytes);
        }
        onlyForFileJournal("segmentSize(...)");
        settings.segmentSize = bytes;
        return self();
    }

    /**
     * Size of a snapshot chunk (default 4 MiB); each chunk is stored under its own key.
     *
     * @param bytes the largest chunk, at least 1024 bytes; smaller chunks suit stores with a small value limit
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1024
     */
    public B snapshotChunkSize(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("snapshotChunkSize must be at least 1024 bytes, was " + bytes);
        }
        settings.chunkSize = bytes;
        return self();
    }

    /**
     * The file system {@link #directory(Path)} goes through (default the local one); tests pass a fault-injecting
     * {@link Disk}.
     *
     * @param disk the file system for the journal and snapshots under the directory
     * @return this builder
     * @throws IllegalStateException if combined with {@link #journal(Journal)} or {@link #inMemory()}, which would
     *                               ignore it
     */
    public B disk(Disk disk) {
        Objects.requireNonNull(disk, "disk");
        onlyForFileJournal("disk(...)");
        settings.disk = disk;
        settings.diskSet = true;
        return self();
    }

    /**
     * Ships the system's journal continuously to {@code store} (see {@link io.keepsake.backup.Backup#follow}): the
     * system starts the backup after recovery, stops it on close before the journal (what is acknowledged then is
     * shipped once more), and shows it in {@link PrevalentSystem#backupStatus()}. Failed uploads are retried; each
     * goes to the {@code options}' listeners and to those of {@link #onBackgroundFailure(WorkerListener)}.
     *
     * <p>While a backup is configured, pruning after a snapshot keeps every journal segment the backup does not yet
     * hold: the source never deletes what the backup lacks (a backup that cannot upload lets the journal grow until
     * it catches up). The store is the caller's: the system never closes it.
     *
     * @param store   an open store the backup's segment objects go to, under {@link BackupOptions#prefix()}
     * @param options the backup's prefix, segment size, interval, retries, ticker and listeners
     * @return this builder
     * @throws IllegalStateException if combined with {@link #inMemory()} (nothing to back up) or set twice
     */
    public B backup(Store store, BackupOptions options) {
        Objects.requireNonNull(store, "backup store");
        Objects.requireNonNull(options, "backup options");
        if (settings.inMemory) {
            throw new IllegalStateException(BACKUP_IN_MEMORY);
        }
        if (settings.backupStore != null) {
            throw new IllegalStateException("backup(...) is already set: a system ships its journal to one backup");
        }
        settings.backupStore = store;
        settings.backupOptions = options;
        return self();
    }

    /** The default of {@link #maxAsyncInFlight(int)}. */
    public static final int DEFAULT_MAX_ASYNC_IN_FLIGHT = 4096;

    /**
     * How many {@code executeAsync} calls may be in flight at once (default {@value #DEFAULT_MAX_ASYNC_IN_FLIGHT}):
     * a call is in flight from the moment {@code executeAsync} accepts it until its future completes. At the bound,
     * {@code executeAsync} neither blocks nor queues: it returns a future already failed with
     * {@link io.keepsake.OverloadedException}, and nothing is journaled, so a non-blocking server can shed load or
     * retry later. Blocking {@code execute} calls are not counted (each holds its own thread). The bound also caps
     * the memory held by accepted calls (each keeps its command and encoded bytes until it completes).
     *
     * @param calls the most asynchronous calls in flight, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code calls} is below 1
     */
    public B maxAsyncInFlight(int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("maxAsyncInFlight must be at least 1, was " + calls);
        }
        settings.maxAsyncInFlight = calls;
        return self();
    }

    private static final String BACKUP_IN_MEMORY = "backup(...) cannot be combined with inMemory(): an in-memory "
            + "journal vanishes on close, so there is nothing durable to back up; use directory(...) or journal(...)";

    private void notInMemory(String what) {
        if (settings.inMemory) {
            throw new IllegalStateException(what + " cannot be combined with inMemory()");
        }
    }

    /** Refuses a setting of the journal in {@code directory} once a journal or inMemory() makes it moot. */
    private void onlyForFileJournal(String what) {
        if (settings.journal != null) {
            throw new IllegalStateException(what + " cannot be combined with journal(...): the journal you pass "
                    + "keeps its own; set it on that journal's builder (Journal.files(dir)...)");
        }
        if (settings.inMemory) {
            throw new IllegalStateException(what + " cannot be combined with inMemory(): nothing is written to "
                    + "files in memory");
        }
    }

    /** Refuses {@code what} (journal(...) or inMemory()) after a setting it would ignore. */
    private void fileJournalSettings(String what, String why) {
        String set = settings.durabilitySet ? "durability(...)" : settings.segmentSize > 0 ? "segmentSize(...)"
                : settings.diskSet ? "disk(...)" : null;
        if (set != null) {
            throw new IllegalStateException(set + " cannot be combined with " + what + ": " + why);
        }
    }

    /** Everything set so far; read by the engine at open. */
    static final class Settings {
        Path directory;
        Disk disk = Disk.local();
        Journal journal;
        Store snapshotStore;
        boolean inMemory;
        final TypeRegistry.Builder registry = TypeRegistry.builder();
        final Map<Class<?>, String> registered = new HashMap<>(); // each registered class with its name
        boolean checkTypes = true; // checkTypesAtOpen
        Compression compression = Compression.NONE;
        KeyProvider keys;
        Durability durability = Durability.SYNC;
        boolean durabilitySet; // durability(...) was called
        boolean diskSet; // disk(...) was called
        Clock clock = Clock.systemUTC();
        final List<WorkerListener> listeners = new ArrayList<>();
        long snapshotEvery;
        Duration snapshotInterval;
        int keepSnapshots = 2;
        long segmentSize;
        int chunkSize = 4 << 20;
        boolean shadowSnapshots; // PrevalentBuilder.shadowSnapshots(...): mutable models only
        Store backupStore; // backup(...): the caller's, never closed by the system
        BackupOptions backupOptions;
        int maxAsyncInFlight = DEFAULT_MAX_ASYNC_IN_FLIGHT; // executeAsync calls whose futures are not completed
        Ticker ticker = Ticker.system(); // snapshot intervals, the journal's INTERVAL forces, retries and backoff at open

        void requireWhere() {
            if (!inMemory && directory == null && journal == null) {
                throw new IllegalStateException("say where data lives: directory(...), journal(...) with "
                        + "snapshotStore(...), or inMemory()");
            }
            if (journal != null && snapshotStore == null) {
                throw new IllegalStateException("journal(...) needs snapshotStore(...) as well");
            }
        }
    }
}
