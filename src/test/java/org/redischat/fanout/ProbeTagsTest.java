package org.redischat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.redischat.redis.Slots;
import org.redisson.cluster.ClusterSlotRange;

class ProbeTagsTest {

    @Test
    void oneProbeTagFallsInTheSlotsOfEachMaster() {
        Map<ClusterSlotRange, Set<String>> slots = new LinkedHashMap<>();
        slots.put(new ClusterSlotRange(0, 5460), Set.of("a:1", "a:2"));
        slots.put(new ClusterSlotRange(5461, 10922), Set.of("b:1", "b:2"));
        slots.put(new ClusterSlotRange(10923, 16000), Set.of("c:1", "c:2"));
        slots.put(new ClusterSlotRange(16001, 16383), Set.of("a:2", "a:1")); // a second range of the first master
        List<String> tags = ProbeTags.tags(slots);
        assertEquals(3, tags.size(), "one per master, not per range");
        assertTrue(Slots.of(tags.get(0)) <= 5460 || Slots.of(tags.get(0)) >= 16001);
        assertTrue(Slots.of(tags.get(1)) >= 5461 && Slots.of(tags.get(1)) <= 10922);
        assertTrue(Slots.of(tags.get(2)) >= 10923 && Slots.of(tags.get(2)) <= 16000);
    }
}
