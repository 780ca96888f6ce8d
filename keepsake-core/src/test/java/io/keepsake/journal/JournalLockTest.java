package io.keepsake.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepsake.ChildJvm;
import io.keepsake.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalLockTest {
    @TempDir
    Path dir;

    private Journal open() {
        return Journal.files(dir).segmentSize(8192).open();
    }

    @Test
    void secondOpenInTheSameJvmFailsClearlyAndTheFirstKeepsWorking() throws IOException {
        try (Journal first = open()) {
            first.append(new byte[] {1});
            StorageException refused = assertThrows(StorageException.class, this::open);
            assertTrue(refused.getMessage().contains("is already open by another process or Journal instance"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains(dir.toString()), refused.getMessage());
            // another spelling of the same directory is the same journal
            Path other = dir.resolve(".").resolve("sub").resolve("..");
            Files.createDirectory(dir.resolve("sub"));
            assertThrows(StorageException.class, () -> Journal.files(other).open());
            // the refused opens did not drop the first journal's lock or disturb its files
            assertEquals(2, first.append(new byte[] {2}));
            assertEquals(2, SegmentedFileJournalTest.readAll(first, 1).size());
            assertEquals(ProcessHandle.current().pid() + "\n",
                    Files.readString(dir.resolve(JournalLock.NAME), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void reopenAfterCloseWorks() {
        open().close();
        try (Journal again = open()) {
            assertEquals(1, again.append(new byte[] {1}));
        }
        try (Journal third = open()) {
            assertEquals(2, third.append(new byte[] {2}));
        }
    }

    @Test
    @SuppressWarnings("try") // the open journal is needed only for the lock file it holds
    void lockFileIsOwnerOnlyAndNotASegment() throws IOException {
        try (Journal journal = open()) {
            Path lock = dir.resolve(JournalLock.NAME);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(lock));
            assertEquals(-1, RecordFormat.baseOf(lock));
        }
    }

    @Test
    void toolsReadAJournalThatIsOpen() {
        try (Journal journal = open()) {
            journal.append(new byte[] {1});
            JournalTools.Verification verification = JournalTools.verify(dir, new PrintWriter(new StringWriter()));
            assertTrue(verification.ok());
            assertEquals(1, verification.lastSequence());
        }
    }

    @Test
    void secondProcessIsRefusedWhileTheFirstHoldsTheLockAndOpensAfterClose() throws Exception {
        try (Journal journal = open()) {
            journal.append(new byte[] {1});
            Child refused = runChild();
            assertEquals(1, refused.exit, refused.output);
            assertTrue(refused.output.contains("is already open by another process or Journal instance"),
                    refused.output);
            assertTrue(refused.output.contains("process " + ProcessHandle.current().pid()), refused.output);
        }
        Child opened = runChild();
        assertEquals(0, opened.exit, opened.output);
        assertTrue(opened.output.contains("opened, last sequence 1"), opened.output);
    }

    private record Child(int exit, String output) {
    }

    private Child runChild() throws Exception {
        Process process = new ProcessBuilder(List.of(ChildJvm.java(), "-cp", ChildJvm.classPath(),
                SecondOpener.class.getName(), dir.toString())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish: " + output);
        }
        return new Child(process.exitValue(), output);
    }

    /** Run in a second JVM: opens the journal in args[0]; exit 0 if it opened, 1 if refused, 2 otherwise. */
    static final class SecondOpener {
        public static void main(String[] args) {
            try (Journal journal = Journal.files(Path.of(args[0])).open()) {
                System.out.println("opened, last sequence " + journal.lastSequence());
                System.exit(0);
            } catch (StorageException e) {
                System.out.println("refused: " + e.getMessage());
                System.exit(1);
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                System.exit(2);
            }
        }
    }
}
