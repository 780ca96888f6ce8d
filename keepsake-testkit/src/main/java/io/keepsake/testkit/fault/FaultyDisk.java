package io.keepsake.testkit.fault;

import io.keepsake.io.Disk;
import io.keepsake.io.DiskFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A {@link Disk} for tests: the real local disk under one root directory, plus a model of what survives a power
 * cut, plus injected I/O failures.
 *
 * <p><b>Power loss.</b> What a file force makes durable follows fdatasync and fsync (details in the model's
 * note): {@code force(false)} makes the written pages and a grown size durable, {@code force(true)} also a shrink;
 * every directory's entries as of its last {@link #forceDirectory} are durable. {@link #powerLoss()} closes every
 * open handle and rewrites the real tree under the root to a state that could be found after the cut: a file whose
 * creation was not made durable disappears; a rename not made durable reverts (the old name, and whatever the
 * target name held, come back); a delete not made durable is undone. By default every file then holds exactly its
 * durable content. With {@link #unforcedPages(boolean)}, as on a real disk, a seeded random subset of the 4 KiB
 * pages written since a file's last force reaches the disk anyway, in or out of order, some torn at a 512-byte
 * sector boundary (inside a preallocated file too), and an unforced size change may or may not. Afterwards this
 * disk refuses every call; reopen on {@link Disk#local()} or a new FaultyDisk. Everything under the root when the
 * disk is created counts as durable. Because the model alone decides what survives, forces do not reach the real
 * disk unless {@link #realForces(boolean)} asks for it (keeps crash tests fast). The seed is part of what
 * {@link #powerLoss()} returns and of {@link #toString()}: a test that puts either in its failure message can be
 * replayed.
 *
 * <p><b>Mutation modes.</b> {@link #ignoreDirectoryForce(boolean)} makes {@code forceDirectory}, and
 * {@link #ignoreFileForce(boolean)} makes {@code DiskFile.force}, return success having done nothing, as if the
 * call were removed from the code under test.
 *
 * <p><b>Failures.</b> {@link #failOnce} and {@link #failFrom} make the Nth call of one {@link DiskOp} kind (or of
 * {@link DiskOp#ANY} kind), counted from when the rule is added, throw an {@link IOException}; with
 * {@link #tornWrites(boolean)} a failing write first writes a random part of its bytes.
 *
 * <p>Concurrency: every call, including the real I/O, runs under this object's monitor, so a power cut is atomic
 * with respect to the component's calls; a cut scheduled by {@link #powerLossBefore} runs in the thread whose call
 * triggers it, under the same monitor. Seeded: the same seed and the same calls give the same outcome.
 */
public final class FaultyDisk implements Disk {
    private final Path root;
    private final long seed;
    private final Disk real = Disk.local();
    /** Guarded by this. */
    private final PowerLossModel model;
    /** Seeded choices for torn writes and surviving unforced pages; guarded by this. */
    private final Random random;
    /** Call counts and failure rules; guarded by this. */
    private final FaultRules faults = new FaultRules();
    /** Open handles in opening order; guarded by this. */
    private final Set<FaultyFile> open = new LinkedHashSet<>();
    /** Options; guarded by this. */
    private boolean ignoreDirectoryForce;
    private boolean ignoreFileForce;
    private boolean unforcedPages;
    private boolean tornWrites;
    private boolean realForces;
    /** Whether power was cut; guarded by this. */
    private boolean off;
    /** What the power cut left, once off; guarded by this. */
    private String survived;
    /** The kind of call before which a scheduled power cut happens, or null; guarded by this. */
    private DiskOp cutKind;
    /** Calls of {@link #cutKind} still to pass before the cut; guarded by this. */
    private long cutCountdown;

    private FaultyDisk(Path root, long seed) throws IOException {
        this.root = root;
        this.seed = seed;
        this.random = new Random(seed);
        this.model = new PowerLossModel(root);
    }

    /**
     * Creates a faulty disk over an existing directory; everything in it now counts as durable.
     *
     * @param root the only directory the disk may touch (paths outside it are rejected)
     * @param seed drives torn writes and which unforced pages survive a power cut
     */
    public static FaultyDisk over(Path root, long seed) {
        Path r = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(r)) {
            throw new IllegalArgumentException("not a directory: " + r);
        }
        try {
            return new FaultyDisk(r, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + r, e);
        }
    }

    /** @return the seed this disk was created with */
    public long seed() {
        return seed;
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /** Makes {@code forceDirectory} a silent no-op that the model does not count as a force (mutation check). */
    public synchronized FaultyDisk ignoreDirectoryForce(boolean ignore) {
        this.ignoreDirectoryForce = ignore;
        return this;
    }

    /** Makes {@code DiskFile.force} a silent no-op that the model does not count as a force (mutation check). */
    public synchronized FaultyDisk ignoreFileForce(boolean ignore) {
        this.ignoreFileForce = ignore;
        return this;
    }

    /**
     * Makes a power cut keep, per file, a seeded random subset of the pages written since the file's last force
     * (none, a prefix in write order, or any subset), some torn at a sector boundary, and makes unforced size
     * changes survive or not at random. Off by default: only durable content survives.
     */
    public synchronized FaultyDisk unforcedPages(boolean keep) {
        this.unforcedPages = keep;
        return this;
    }

    /**
     * The former name of {@link #unforcedPages(boolean)}, which now also keeps pages inside a file's durable
     * length, out of order.
     *
     * @deprecated use {@link #unforcedPages(boolean)}
     */
    @Deprecated
    public FaultyDisk unforcedTails(boolean keep) {
        return unforcedPages(keep);
    }

    /** Makes an injected write failure write a seeded random part of its bytes before throwing. */
    public synchronized FaultyDisk tornWrites(boolean torn) {
        this.tornWrites = torn;
        return this;
    }

    /** Makes forces also reach the real disk (off by default: the model decides what survives a power cut). */
    public synchronized FaultyDisk realForces(boolean real) {
        this.realForces = real;
        return this;
    }

    /**
     * Schedules a power cut just before the {@code n}th call (1-based, counted from now) of {@code kind}, made by
     * whatever thread makes it: that call and every later one fail as after {@link #powerLoss()}. With
     * {@link DiskOp#FORCE} the cut lands after a write and before the force that would have made it durable. See
     * {@link #isPoweredOff()} and {@link #powerLossReport()}.
     */
    public synchronized FaultyDisk powerLossBefore(DiskOp kind, long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n starts at 1, got " + n);
        }
        this.cutKind = Objects.requireNonNull(kind, "kind");
        this.cutCountdown = n;
        return this;
    }

    /** Fails only the {@code n}th call (1-based, counted from now) of {@code kind}; later calls succeed. */
    public synchronized FaultyDisk failOnce(DiskOp kind, long n) {
        return arm(kind, n, false);
    }

    /** Fails the {@code n}th call (1-based, counted from now) of {@code kind} and every later one. */
    public synchronized FaultyDisk failFrom(DiskOp kind, long n) {
        return arm(kind, n, true);
    }

    /** Removes every failure rule. */
    public synchronized FaultyDisk heal() {
        faults.clear();
        return this;
    }

    private FaultyDisk arm(DiskOp kind, long n, boolean fromThenOn) {
        faults.arm(Objects.requireNonNull(kind, "kind"), n, fromThenOn);
        return this;
    }

    /** @return how many calls of {@code kind} were made (failed ones included); {@link DiskOp#ANY} sums all */
    public synchronized long count(DiskOp kind) {
        return faults.count(kind);
    }

    /** @return how many failures were injected */
    public synchronized long injectedFailures() {
        return faults.injected();
    }

    /** @return how many handles are open (not yet closed) */
    public synchronized int openHandles() {
        return open.size();
    }

    /** @return the paths the open handles were opened as, in opening order (for leak messages) */
    public synchronized List<Path> openHandlePaths() {
        return open.stream().map(FaultyFile::openedAs).toList();
    }

    /** @return whether {@link #powerLoss()} was called */
    public synchronized boolean isPoweredOff() {
        return off;
    }

    /**
     * Cuts the power: closes every handle, rewrites the tree to what would survive, and refuses every later call.
     *
     * @return a short description of what survived, starting with the seed, for assertion messages
     */
    public synchronized String powerLoss() {
        if (off) {
            throw new IllegalStateException("power is already off");
        }
        return cut();
    }

    /** @return what the power cut left (as {@link #powerLoss()} returns it), or null while the power is on */
    public synchronized String powerLossReport() {
        return survived;
    }

    private String cut() {
        off = true;
        for (FaultyFile f : open) {
            f.cut();
        }
        open.clear();
        try {
            survived = "seed " + seed + ": " + model.rebuild(unforcedPages ? random : null);
            return survived;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + root + " to its durable state", e);
        }
    }

    @Override
    public synchronized DiskFile open(Path file, boolean create) throws IOException {
        Path p = under(file);
        before(DiskOp.OPEN, p);
        boolean existed = Files.isRegularFile(p);
        DiskFile f = real.open(p, create);
        return track(new FaultyFile(this, f, existed ? model.inodeOf(p) : model.created(p), p, true));
    }

    @Override
    public synchronized DiskFile openRead(Path file) throws IOException {
        Path p = under(file);
        before(DiskOp.OPEN, p);
        DiskFile f = real.openRead(p);
        return track(new FaultyFile(this, f, model.inodeOf(p), p, false));
    }

    private FaultyFile track(FaultyFile f) {
        open.add(f);
        return f;
    }

    @Override
    public synchronized boolean exists(Path path) {
        return real.exists(under(path));
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        Path p = under(dir);
        before(DiskOp.CREATE_DIRECTORIES, p);
        real.createDirectories(p);
    }

    @Override
    public synchronized void move(Path source, Path target) throws IOException {
        Path s = under(source);
        Path t = under(target);
        before(DiskOp.MOVE, s);
        real.move(s, t);
        model.moved(s, t);
    }

    @Override
    public synchronized boolean delete(Path file) throws IOException {
        Path p = under(file);
        before(DiskOp.DELETE, p);
        boolean existed = real.delete(p);
        model.deleted(p);
        return existed;
    }

    @Override
    public synchronized List<Path> list(Path dir) throws IOException {
        Path p = under(dir);
        before(DiskOp.LIST, p);
        return real.list(p);
    }

    @Override
    public synchronized void forceDirectory(Path dir) throws IOException {
        Path p = under(dir);
        before(DiskOp.FORCE_DIRECTORY, p);
        if (ignoreDirectoryForce) {
            return;
        }
        if (realForces) {
            real.forceDirectory(p);
        }
        model.directoryForced(p);
    }

    /** Counts a call and throws if the disk is off or a rule says this call fails. Caller holds the lock. */
    void before(DiskOp kind, Path path) throws IOException {
        if (fails(kind, path)) {
            throw new IOException("injected " + kind + " failure (call " + count(kind) + " of that kind): " + path);
        }
    }

    /**
     * Counts a write; caller holds the lock.
     *
     * @return -1 to go ahead, or how many bytes to write before throwing (a torn write)
     * @throws IOException if the write fails outright
     */
    int beforeWrite(Path path, int length) throws IOException {
        if (!fails(DiskOp.WRITE, path)) {
            return -1;
        }
        if (tornWrites) {
            return length == 0 ? 0 : random.nextInt(length);
        }
        throw new IOException("injected WRITE failure (call " + count(DiskOp.WRITE) + " of that kind): " + path);
    }

    private boolean fails(DiskOp kind, Path path) throws IOException {
        if (!off && cutKind != null && cutKind.matches(kind) && --cutCountdown == 0) {
            cut();
        }
        if (off) {
            throw new IOException("power is off: " + kind + " " + path);
        }
        return faults.call(kind);
    }

    /** @return whether file forces are ignored (mutation mode). Caller holds the lock. */
    boolean ignoresFileForce() {
        return ignoreFileForce;
    }

    /** @return whether forces should reach the real disk. Caller holds the lock. */
    boolean realForces() {
        return realForces;
    }

    /** A handle was closed by its owner. Caller holds the lock. */
    void closed(FaultyFile f) {
        open.remove(f);
    }

    private Path under(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path outside the FaultyDisk root " + root + ": " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        return "FaultyDisk[" + root + ", seed " + seed + "]";
    }
}
