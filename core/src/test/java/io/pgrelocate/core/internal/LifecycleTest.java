package io.pgrelocate.core.internal;

import io.pgrelocate.core.MigrationState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleTest {
    // guards the end by compare-and-set: of an engine ending COMPLETED and a shutdown ending FAILED at once,
    // exactly one ends the run, and the state is that one's
    @Test
    void ofManyThreadsEndingARunAtOnceExactlyOneWins() throws Exception {
        for (int round = 0; round < 50; round++) {
            Lifecycle lifecycle = new Lifecycle("m");
            lifecycle.move(MigrationState.CREATED, MigrationState.RUNNING);
            List<MigrationState> ends = List.of(MigrationState.COMPLETED, MigrationState.FAILED, MigrationState.STOPPED,
                    MigrationState.FAILED);
            CyclicBarrier start = new CyclicBarrier(ends.size());
            ConcurrentLinkedQueue<MigrationState> winners = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (MigrationState end : ends) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (lifecycle.end(end)) {
                        winners.add(end);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(winners).hasSize(1);
            assertThat(lifecycle.get()).isEqualTo(winners.peek());
        }
    }

    @Test
    void anEndedRunNeitherStopsNorEndsAgain() {
        Lifecycle lifecycle = new Lifecycle("m");
        assertThat(lifecycle.move(MigrationState.CREATED, MigrationState.RUNNING)).isTrue();
        assertThat(lifecycle.moveUnlessEnded(MigrationState.STOPPING)).isTrue();
        assertThat(lifecycle.moveUnlessEnded(MigrationState.STOPPING)).as("no change, nothing logged").isFalse();
        assertThat(lifecycle.end(MigrationState.FAILED)).isTrue();
        assertThat(lifecycle.moveUnlessEnded(MigrationState.STOPPING)).isFalse();
        assertThat(lifecycle.end(MigrationState.COMPLETED)).isFalse();
        assertThat(lifecycle.move(MigrationState.RUNNING, MigrationState.CUTTING_OVER)).isFalse();
        assertThat(lifecycle.get()).isEqualTo(MigrationState.FAILED);
        assertThatThrownBy(() -> lifecycle.end(MigrationState.RUNNING)).isInstanceOf(IllegalArgumentException.class);
    }
}
