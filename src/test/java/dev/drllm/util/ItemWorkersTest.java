package dev.drllm.util;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class ItemWorkersTest {
    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();

    private static AutoCloseable resource() {
        return () -> {};
    }

    @Test
    void everyItemRunsOnceOnItsThreads() {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        ItemWorkers.run(TEN, 3, "t", ItemWorkersTest::resource, (r, i) -> {
            runs.incrementAndGet();
            seen.add(i);
        });
        assertEquals(10, runs.get());
        assertEquals(Set.copyOf(TEN), seen);
    }

    @Test
    void stopClaimsNothingFurther() {
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        ItemWorkers.run(TEN, 3, "t", ItemWorkersTest::resource, (r, i) -> done.add(i),
                i -> i >= 5 ? ItemWorkers.Next.STOP : ItemWorkers.Next.GO);
        assertEquals(Set.of(0, 1, 2, 3, 4), Set.copyOf(done));
    }

    /** WAIT holds the claim until an item in flight finishes; item 1 must not start before item 0 is done. */
    @Test
    void waitHoldsTheClaimUntilAnItemInFlightFinishes() {
        Set<Integer> finished = ConcurrentHashMap.newKeySet();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ItemWorkers.run(List.of(0, 1, 2), 3, "t", ItemWorkersTest::resource, (r, i) -> {
            events.add("start " + i);
            if (i == 0) sleep(200);
            events.add("end " + i);
            finished.add(i);
        }, i -> i == 0 || finished.contains(0) ? ItemWorkers.Next.GO : ItemWorkers.Next.WAIT));
        assertEquals(List.of("start 0", "end 0"), events.subList(0, 2), events.toString());
        assertEquals(6, events.size());
    }

    /** A gate that always waits cannot deadlock: with nothing in flight the item goes, one at a time. */
    @Test
    void waitWithNothingInFlightGoes() {
        AtomicInteger inFlight = new AtomicInteger(), most = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ItemWorkers.run(TEN, 4, "t", ItemWorkersTest::resource, (r, i) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sleep(5);
            inFlight.decrementAndGet();
        }, i -> ItemWorkers.Next.WAIT));
        assertEquals(1, most.get());
    }

    /** A failure wakes the threads held by the gate, claims nothing further, and is rethrown. */
    @Test
    void failureReleasesWaitersAndIsRethrown() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ItemWorkers.run(TEN, 3, "t", ItemWorkersTest::resource, (r, i) -> {
                    runs.incrementAndGet();
                    started.countDown();
                    sleep(100);
                    throw new IllegalStateException("item " + i + " broke");
                }, i -> i == 0 ? ItemWorkers.Next.GO : ItemWorkers.Next.WAIT)));
        assertEquals("item 0 broke", e.getMessage());
        assertEquals(1, runs.get());
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
