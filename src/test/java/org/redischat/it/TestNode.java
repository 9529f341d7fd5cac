package org.redischat.it;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A chat node the test starts as a process of its own next to the Arquillian-managed one: the same
 * WAR on Payara Micro ({@link PayaraMicroNode}) or on WildFly ({@link WildFlyNode}). How it is started
 * differs; how it is reached, logged and stopped does not, and lives here.
 */
abstract class TestNode implements AutoCloseable {

    private final Process process;
    /** The application's base address, {@code http://127.0.0.1:<port>/chat/}. */
    final URI base;
    /** Everything the node printed. */
    final File log;

    TestNode(Process process, URI base, File log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    static URI base(int port) {
        return URI.create("http://127.0.0.1:" + port + "/chat/");
    }

    /**
     * Fails unless the port is free: a node left over from an earlier, interrupted run would answer in
     * place of the one about to start, with that run's WAR.
     */
    static void requireFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(port));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("port " + port + " is in use (a node left over from an earlier run?): " + e.getMessage());
        }
    }

    /** The JVM running the tests, so that a node runs on the same one. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The home of {@link #java()}, for launch scripts that want JAVA_HOME. */
    static String javaHome() {
        return Path.of(java()).getParent().getParent().toString();
    }

    /**
     * A Java 21+ home, for what needs one (Keycloak, Payara Micro 7): {@code -Dmodern.java.home}, else
     * the newest JDK under /usr/lib/jvm that is one.
     */
    static String modernJavaHome() throws java.io.IOException {
        String set = System.getProperty("modern.java.home");
        if (set != null && !set.isBlank()) {
            return set;
        }
        try (Stream<Path> jdks = java.nio.file.Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(d -> feature(d) >= 21).max(java.util.Comparator.comparingInt(TestNode::feature))
                    .map(Path::toString).orElseThrow(() -> new IllegalStateException(
                            "no Java 21 or later under /usr/lib/jvm (set -Dmodern.java.home)"));
        }
    }

    private static int feature(Path jdk) {
        try {
            for (String line : java.nio.file.Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String v = line.substring(14);
                    return Integer.parseInt(v.substring(0, v.indexOf(v.contains(".") ? '.' : '"')));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not a JDK
        }
        return 0;
    }

    /** The process the test started (for WildFly, the launch script; the server is its child). */
    long pid() {
        return process.pid();
    }

    /** SIGTERM without waiting: the node stops as an operator's stop would stop it. */
    void terminate() {
        all().forEach(ProcessHandle::destroy);
    }

    /** SIGKILL: the node gets no chance to say goodbye. */
    void kill() throws InterruptedException {
        List<ProcessHandle> all = all();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().join();
        }
    }

    /** Stops the node and waits for it, killing what is still running after 30 s. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> all = all();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                h.destroyForcibly();
            }
        }
    }

    private List<ProcessHandle> all() {
        return Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    }
}
