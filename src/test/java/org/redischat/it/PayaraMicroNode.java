package org.redischat.it;

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The WAR on a Payara Micro process of its own, on the given Redis: the nodes a test adds to the
 * one Arquillian manages (which the in-container tests need), or all of a test's nodes when they
 * run on a Redis of their own (a cluster, sentinels, a proxy).
 */
final class PayaraMicroNode extends TestNode {

    private PayaraMicroNode(Process process, URI base, File log) {
        super(process, base, log);
    }

    static PayaraMicroNode start(int port) throws Exception {
        return start(port, System.getProperty("test.redis.address"));
    }

    /** Starts a node on the given Redis; {@code options} are further JVM options, such as settings. */
    static PayaraMicroNode start(int port, String redisAddress, String... options) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Dredis.address=" + redisAddress));
        jvm.addAll(List.of(options));
        return start(port, java(), System.getProperty("payara.microJar"), jvm, true);
    }

    /**
     * Starts a node on the current platform's Payara Micro ({@code -Dpayara7.microJar}, Jakarta EE 11)
     * on a Java 21+ ({@link #modernJavaHome()}), on the given Redis.
     */
    static PayaraMicroNode startOnPayara7(int port, String redisAddress) throws Exception {
        String modern = java.nio.file.Path.of(modernJavaHome(), "bin", "java").toString();
        return start(port, modern, System.getProperty("payara7.microJar"), List.of("-Dredis.address=" + redisAddress), true);
    }

    /**
     * Starts a node with no Redis configured at all, logging JSON lines
     * (server-config/logging-json.properties); returns once its HTTP API is deployed.
     */
    static PayaraMicroNode startWithoutRedis(int port) throws Exception {
        return start(port, java(), System.getProperty("payara.microJar"), List.of(), false,
                "--logProperties", "server-config/logging-json.properties");
    }

    private static PayaraMicroNode start(int port, String java, String jar, List<String> jvm, boolean redis,
            String... microOptions) throws Exception {
        requireFree(port);
        File log = new File("target/payara-micro-node-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar,
                "--deploy", System.getProperty("it.war"), "--contextroot", "chat", "--port", String.valueOf(port),
                "--nohazelcast", "--prebootcommandfile", "server-config/pre-boot-commands.asadmin"));
        command.addAll(List.of(microOptions));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        URI base = base(port);
        try {
            if (redis) {
                Api.awaitReady(p, base, "Payara Micro node on port " + port, log);
            } else {
                Api.awaitDeployed(p, base, URI.create("http://127.0.0.1:" + port + "/health/ready"), log);
            }
        } catch (IllegalStateException | InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        return new PayaraMicroNode(p, base, log);
    }
}
