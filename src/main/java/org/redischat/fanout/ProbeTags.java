package org.redischat.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.redisnode.RedisNodes;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.cluster.ClusterSlotRange;
import org.redischat.redis.Slots;

/**
 * The hash tags of this node's probe channels: one in the slots of each Redis Cluster master, so a
 * probe travels on every subscription connection this node has (one per master); a single tag
 * otherwise (one Redis, or Sentinel).
 */
@ApplicationScoped
public class ProbeTags {

    @Inject
    RedissonClient redis;

    List<String> tags() {
        if (!redis.getConfig().isClusterConfig()) {
            return List.of("probe");
        }
        Map<ClusterSlotRange, Set<String>> slots = null;
        for (RedisClusterMaster master : redis.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
            slots = master.clusterSlots();
            break;
        }
        if (slots == null || slots.isEmpty()) {
            throw new IllegalStateException("Redis Cluster reported no slots");
        }
        return tags(slots);
    }

    /** One tag per master: the first {@code probe-N} whose slot lies in one of that master's ranges. */
    static List<String> tags(Map<ClusterSlotRange, Set<String>> slots) {
        Map<String, List<ClusterSlotRange>> byMaster = new java.util.LinkedHashMap<>();
        slots.forEach((range, addresses) -> byMaster
                .computeIfAbsent(String.join(",", new java.util.TreeSet<>(addresses)), a -> new ArrayList<>()).add(range));
        List<String> tags = new ArrayList<>();
        for (List<ClusterSlotRange> ranges : byMaster.values()) {
            for (int n = 0; ; n++) {
                int slot = Slots.of("probe-" + n);
                if (ranges.stream().anyMatch(r -> slot >= r.getStartSlot() && slot <= r.getEndSlot())) {
                    tags.add("probe-" + n);
                    break;
                }
            }
        }
        return tags;
    }
}
