package io.keepsake.prevalent;

import io.keepsake.CorruptionException;
import io.keepsake.StorageException;
import io.keepsake.internal.format.Codec;
import io.keepsake.format.TypeRegistry;
import io.keepsake.internal.format.Pipeline;
import io.keepsake.internal.format.RegistrationAdvice;
import io.keepsake.internal.format.SmileCodec;
import io.keepsake.io.Disk;
import io.keepsake.journal.Journal;
import io.keepsake.store.FileStore;
import io.keepsake.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Opening a prevalent system: build the codec and pipeline, open the snapshot store and the journal, load the
 * newest intact snapshot (falling back to older ones), and replay the journal from the event after it, giving
 * each event its recorded time (made monotonic: never earlier than the event before it); then start the configured
 * backup of the journal.
 */
final class Opening {
    /** The codec's messages name the prevalent builder's methods: those are what the user has. */
    static final RegistrationAdvice ADVICE = new RegistrationAdvice() {
        @Override
        public String register(Class<?> type) {
            return "register it on the prevalent builder: .register(" + type.getSimpleName() + ".class), or "
                    + ".register(" + type.getSimpleName() + ".class, \"<permanent name>\")";
        }

        @Override
        public String alias() {
            return "register it, or add the old name with the prevalent builder's .alias(oldName, type)";
        }
    };

    private Opening() {
    }

    /** Replays one event onto a state. */
    interface Replayer {
        /** @return the state after the event (the same object for a mutable model) */
        Object apply(Object state, Object event, Instant time, long sequence);
    }

    /** The outcome of recovery. */
    record Recovered(EngineCore core, Object state, long sequence, Instant lastTime, long snapshotSequence) {
    }

    static Recovered open(PrevalentOptions.Settings settings, Class<?> stateType, Supplier<?> initial,
                          Replayer replayer) {
        settings.requireWhere();
        boolean jdk = stateType != null && stateType.getName().startsWith("java."); // built-in top-level types
        if (stateType != null && !jdk && !settings.registered.containsKey(stateType)) {
            String name = TypeNames.nameOf(stateType);
            settings.registry.register(stateType, name);
            settings.registered.put(stateType, name);
        }
        TypeRegistry registry = settings.registry.build();
        if (settings.checkTypes) {
            List<Class<?>> roots = new ArrayList<>();
            if (stateType != null && !jdk) {
                roots.add(stateType);
            }
            roots.addAll(registry.types().keySet());
            TypeCheck.declared(roots, registry); // before anything is opened
        }
        Pipeline.Builder pb = Pipeline.builder().codec(new SmileCodec(registry, ADVICE))
                .compression(settings.compression);
        if (settings.keys != null) {
            pb.encryption(settings.keys);
        }
        Pipeline pipeline = pb.build();
        Codec codec = pipeline.codec();
        Sealer sealer = new PipelineSealer(pipeline, settings.keys);
        StateCodec states = codec instanceof SmileCodec smile ? new SmileStateCodec(smile)
                : new BlockStateCodec(codec);
        Store store = null;
        Journal journal = null;
        try {
            if (settings.directory != null) {
                createDurably(settings.disk, settings.directory.resolve("journal"));
                createDurably(settings.disk, settings.directory.resolve("snapshots"));
            }
            store = openStore(settings);
            Snapshots snapshots = new Snapshots(store, sealer, settings.chunkSize, settings.ticker);
            List<Long> manifests = snapshots.sequences();
            journal = openJournal(settings, manifests.isEmpty() ? 1 : manifests.get(0) + 1);
            EngineCore core = new EngineCore(journal, store, snapshots, new EventFormat(codec, sealer), states,
                    settings);
            Snapshots.Outcome outcome = snapshots.loadNewest(journal.firstSequence(), states);
            Optional<Snapshots.Loaded> loaded = outcome.loaded();
            long seq = loaded.map(Snapshots.Loaded::sequence).orElse(0L);
            if (loaded.isEmpty() && journal.firstSequence() > 1) {
                int damaged = outcome.failures().size();
                CorruptionException e = new CorruptionException(store.describe(), 0, "no intact snapshot covers "
                        + "events before the journal's first record " + journal.firstSequence()
                        + (damaged == 0 ? "" : " (" + damaged + " damaged; each one's failure is attached as a "
                        + "suppressed exception)") + "; restore the snapshots or the journal from a backup");
                outcome.failures().forEach(e::addSuppressed);
                throw e;
            }
            if (journal.lastSequence() < seq) {
                throw new CorruptionException(store.describe(), 0, "snapshot covers event " + seq
                        + " but the journal ends at " + journal.lastSequence());
            }
            Object state = loaded.isPresent() ? loaded.get().state() : initial.get();
            Instant lastTime = loaded.map(Snapshots.Loaded::lastTime).orElse(Instant.MIN);
            try (ReplayDecoder replay = new ReplayDecoder(journal.read(seq + 1), core.events)) {
                while (replay.next()) {
                    if (replay.sequence() != seq + 1) {
                        throw new CorruptionException(replay.file(), replay.offset(), "expected event " + (seq + 1)
                                + ", found " + replay.sequence());
                    }
                    Instant time = replay.time().isBefore(lastTime) ? lastTime : replay.time();
                    state = replayer.apply(state, replay.event(), time, replay.sequence());
                    lastTime = time;
                    seq = replay.sequence();
                }
            }
            if (settings.checkTypes) {
                TypeCheck.encodable(state, states, codec);
            }
            core.follow(settings); // last: nothing after it can fail, so a started backup is always the engine's
            return new Recovered(core, state, seq, lastTime, loaded.map(Snapshots.Loaded::sequence).orElse(0L));
        } catch (RuntimeException | Error e) {
            if (settings.journal == null) { // close only what this builder opened
                closeQuietly(journal, e);
            }
            if (settings.snapshotStore == null) {
                closeQuietly(store, e);
            }
            throw e;
        }
    }

    /**
     * Creates a directory and its missing parents, forcing the parent of each one created, so that a power loss
     * right after the first acknowledged event cannot take the whole directory with it.
     */
    static void createDurably(Disk disk, Path dir) {
        java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !disk.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            disk.createDirectories(dir);
            for (Path created : missing) {
                disk.forceDirectory(created.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Store openStore(PrevalentOptions.Settings settings) {
        if (settings.snapshotStore != null) {
            return settings.snapshotStore;
        }
        if (settings.inMemory) {
            return Store.memory();
        }
        return FileStore.at(settings.directory.resolve("snapshots"), settings.disk);
    }

    private static Journal openJournal(PrevalentOptions.Settings settings, long firstSequence) {
        if (settings.journal != null) {
            return settings.journal;
        }
        if (settings.inMemory) {
            return new MemoryJournal();
        }
        var builder = Journal.files(settings.directory.resolve("journal")).durability(settings.durability)
                .firstSequence(firstSequence).disk(settings.disk).ticker(settings.ticker);
        if (settings.segmentSize > 0) {
            builder.segmentSize(settings.segmentSize);
        }
        return builder.open();
    }

    private static void closeQuietly(AutoCloseable c, Throwable primary) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                primary.addSuppressed(e);
            }
        }
    }
}
