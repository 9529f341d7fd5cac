package org.redischat.it;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Another Payara Micro process with the same WAR on the same Redis, started by the test itself
 * (Arquillian manages one container). Killed in {@link #close()}.
 */
final class SecondNode implements AutoCloseable {

    private final Process process;
    final URI base;

    private SecondNode(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    static SecondNode start(int port) throws Exception {
        return start(port, System.getProperty("test.redis.address"));
    }

    static SecondNode start(int port, String redisAddress) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = new File("target/second-node-" + port + ".log");
        Process p = new ProcessBuilder(List.of(java, "-Xmx384m",
                "-Dredis.address=" + redisAddress, "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("it.war"), "--contextroot", "chat", "--port", String.valueOf(port),
                "--nohazelcast"))
                .redirectErrorStream(true).redirectOutput(log).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/chat/");
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("second node died at boot; see " + log);
            }
            try {
                if (Api.post(base, "api/sessions", "{}").status() == 400) {
                    return new SecondNode(p, base);
                }
            } catch (IllegalStateException notYet) {
                // connection refused while booting
            }
            Thread.sleep(500);
        }
        p.destroyForcibly();
        throw new IllegalStateException("second node not ready in 180 s; see " + log);
    }

    /** SIGKILL: the node gets no chance to say goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
