package io.pgrelocate.replication.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

// guards the cleanup after a kill -9: spill directories of gone processes go, a live process's never do
class StaleSpillsTest {
    @TempDir
    Path tmp;

    @Test
    void removesTheDirectoryOfAProcessThatIsGoneWithItsFiles() throws Exception {
        Path dir = spill(gonePid(), true);
        Files.writeString(dir.resolve("value-1.txt"), "left behind");
        assertThat(StaleSpills.sweep(tmp)).isEqualTo(1);
        assertThat(dir).doesNotExist();
    }

    @Test
    void keepsTheDirectoriesOfThisProcessAndOfALiveOne() throws Exception {
        SpillFiles own = new SpillFiles(tmp);
        Path mine = own.directory();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Path theirs = spill(sleeper.pid(), true);
            assertThat(StaleSpills.sweep(tmp)).isZero();
            assertThat(mine).isDirectory();
            assertThat(theirs).isDirectory();
        } finally {
            sleeper.destroyForcibly();
            own.close();
        }
        assertThat(mine).as("the owner's close removes it").doesNotExist();
    }

    @Test
    void keepsADirectoryWhoseLockIsHeldThoughItsPidIsNotSeen() throws Exception {
        // a process in another PID namespace sharing the directory: its PID is gone here, its lock is not
        Path dir = spill(gonePid(), true);
        try (FileChannel ch = FileChannel.open(dir.resolve(StaleSpills.LOCK), StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            assertThat(StaleSpills.sweep(tmp)).isZero();
        }
        assertThat(dir).isDirectory();
    }

    @Test
    void removesADirectoryWithoutLockOnlyOnceItIsOld() throws Exception {
        Path young = spill(gonePid(), false);
        Path old = spill(gonePid(), false);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        assertThat(StaleSpills.sweep(tmp)).isEqualTo(1);
        assertThat(young).as("its owner may be making it").isDirectory();
        assertThat(old).doesNotExist();
    }

    @Test
    void leavesNamesWithoutAPidAlone() throws Exception {
        Path other = Files.createDirectory(tmp.resolve(StaleSpills.PREFIX + "1234567"));
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS)));
        assertThat(StaleSpills.sweep(tmp)).isZero();
        assertThat(other).isDirectory();
        assertThat(StaleSpills.pid(StaleSpills.PREFIX + "42-987")).hasValue(42);
    }

    private Path spill(long pid, boolean withLock) throws IOException {
        Path dir = Files.createTempDirectory(tmp, StaleSpills.PREFIX + pid + "-");
        if (withLock) {
            Files.createFile(dir.resolve(StaleSpills.LOCK));
        }
        return dir;
    }

    /** The PID of a process that ran and ended. */
    private static long gonePid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
