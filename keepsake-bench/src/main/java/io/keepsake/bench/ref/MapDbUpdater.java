package io.keepsake.bench.ref;

import java.nio.file.Path;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.DBMaker;

/**
 * MapDB 3.1, the other embedded store people keep a small value in: a file database with transactions on (its
 * write-ahead log), one {@code Atomic.Long} set, then {@code commit()}. MapDB 3.1's commit syncs the log file, replays
 * it into the store file, syncs that too, and deletes the log (read from its {@code StoreWAL.commit}), so a returned
 * commit is durable without a further call.
 */
final class MapDbUpdater implements Updater {
    private final DB db;
    private final Atomic.Long value;
    private long counter;

    MapDbUpdater(Path dir) {
        db = DBMaker.fileDB(dir.resolve("map.db").toFile()).transactionEnable().make();
        value = db.atomicLong("counter").createOrOpen();
    }

    @Override
    public String system() {
        return "mapdb";
    }

    @Override
    public void update() {
        value.set(++counter);
        db.commit();
    }

    @Override
    public void close() {
        db.close();
    }
}
