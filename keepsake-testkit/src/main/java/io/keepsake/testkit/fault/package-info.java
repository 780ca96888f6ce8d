/**
 * A fault-injecting {@link io.keepsake.io.Disk} for crash-safety tests.
 *
 * <p>{@link io.keepsake.testkit.fault.FaultyDisk} wraps the real disk under a test's temporary directory. It
 * models what survives a power cut (content as of the last file force, names as of the last directory force, and
 * optionally a seeded random subset of unforced pages, some torn), fails the Nth call of a chosen {@link io.keepsake.testkit.fault.DiskOp} once or from then on (optionally tearing
 * the failing write), counts calls and open handles, and has mutation modes that silently drop directory or file
 * forces, to prove a test would notice their removal. A typical test:
 *
 * <pre>{@code
 * FaultyDisk disk = FaultyDisk.over(dir, seed).unforcedPages(true);
 * Journal journal = Journal.files(dir.resolve("journal")).disk(disk).open();
 * long acked = journal.append(bytes);
 * disk.powerLoss();                       // the tree now holds only what was durable
 * journal.close();
 * try (Journal reopened = Journal.files(dir.resolve("journal")).open()) {
 *     // every acknowledged record is there
 * }
 * }</pre>
 */
package io.keepsake.testkit.fault;
