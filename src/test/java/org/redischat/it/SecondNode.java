package org.redischat.it;

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Another Payara Micro process with the same WAR on the same Redis, started by the test itself
 * (Arquillian manages one container). Killed in {@link #close()}.
 */
final class SecondNode implements AutoCloseable {

    private final Process process;
    final URI base;

    private SecondNode(Process process, URI base, File log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    static SecondNode start(int port) throws Exception {
        return start(port, System.getProperty("test.redis.address"));
    }

    /** Starts a node on the given Redis; {@code options} are further JVM options, such as settings. */
    static SecondNode start(int port, String redisAddress, String... options) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Dredis.address=" + redisAddress));
        jvm.addAll(List.of(options));
        return start(port, jvm, true);
    }

    /**
     * Starts a node with no Redis configured at all, logging JSON lines
     * (server-config/logging-json.properties); returns once its HTTP API is deployed.
     */
    static SecondNode startWithoutRedis(int port) throws Exception {
        return start(port, List.of(), false, "--logProperties", "server-config/logging-json.properties");
    }

    final File log;

    private static SecondNode start(int port, List<String> jvm, boolean redis, String... microOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = new File("target/second-node-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        command.addAll(jvm);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("it.war"), "--contextroot", "chat", "--port", String.valueOf(port),
                "--nohazelcast", "--prebootcommandfile", "server-config/pre-boot-commands.asadmin"));
        command.addAll(List.of(microOptions));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/chat/");
        try {
            if (redis) {
                Api.awaitReady(p, base, "second node", log);
            } else {
                Api.awaitDeployed(p, base, URI.create("http://127.0.0.1:" + port + "/health/ready"), log);
            }
        } catch (IllegalStateException | InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        return new SecondNode(p, base, log);
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM without waiting: the node stops as an operator's stop would stop it. */
    void terminate() {
        process.destroy();
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
