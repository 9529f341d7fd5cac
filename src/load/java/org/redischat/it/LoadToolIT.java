package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redischat.load.LoadTool;

/**
 * The load tool of docs/BENCHMARKS.md runs clean across two nodes: every expected delivery made,
 * nothing lost, twice or out of order. Compiled and run with the {@code load} profile only.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LoadToolIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void theLoadToolRunsCleanAcrossTwoNodes() throws Exception {
        try (PayaraMicroNode nodeB = PayaraMicroNode.start(Integer.getInteger("it.port2", 18081))) {
            var result = new LoadTool(Map.of("nodes", url + "," + nodeB.base, "users", "20",
                    "rooms", "2", "senders", "4", "rate", "20", "seconds", "3")).fanout();
            assertTrue(result.delivered() > 0);
            assertEquals(result.expected(), result.delivered());
            assertTrue(result.clean(), result.toString());
        }
    }
}
