package org.redischat.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The same WAR on WildFly (its MicroProfile configuration), next to the Payara Micro nodes on the
 * same Redis, started by the test itself from the distribution the build unpacks into
 * {@code target/}. Its server folder is a fresh copy per start; the WAR is deployed as
 * {@code chat.war}, so it answers under {@code /chat/} like the other nodes. Stopped in
 * {@link #close()}.
 */
final class WildFlyNode extends TestNode {

    /** WildFly's own HTTP port; every port of the server is moved by the same offset. */
    private static final int DEFAULT_HTTP_PORT = 8080;
    private static final int DEFAULT_MANAGEMENT_PORT = 9990;

    /** Where WildFly serves MicroProfile Health: its management interface, not the application's port. */
    final URI management;

    private WildFlyNode(Process process, URI base, URI management, File log) {
        super(process, base, log);
        this.management = management;
    }

    static WildFlyNode start(int port, String redisAddress) throws Exception {
        return start(port, redisAddress, false);
    }

    /**
     * Starts a node; with {@code jsonLogs}, its configuration is first changed offline by
     * server-config/wildfly-json-logging.cli (run by jboss-cli inside an embedded server).
     */
    static WildFlyNode start(int port, String redisAddress, boolean jsonLogs, String... properties) throws Exception {
        requireFree(port);
        Path home = Path.of(System.getProperty("wildfly.home"));
        Path server = Path.of("target", "wildfly-node-" + port).toAbsolutePath();
        deleteTree(server);
        copyTree(home.resolve("standalone"), server);
        if (jsonLogs) {
            configure(home, server, Path.of("server-config", "wildfly-json-logging.cli"));
        }
        Files.copy(Path.of(System.getProperty("it.war")), server.resolve("deployments/chat.war"),
                StandardCopyOption.REPLACE_EXISTING);
        int offset = port - DEFAULT_HTTP_PORT;
        File log = new File("target/wildfly-node-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-microprofile.xml",
                "-Djboss.server.base.dir=" + server,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1",
                "-Dredis.address=" + redisAddress)
                .redirectErrorStream(true).redirectOutput(log);
        builder.command().addAll(List.of(properties));
        // in the background with signals relayed, so that stopping the script stops the server
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().put("JAVA_HOME", javaHome());
        Process p = builder.start();
        URI base = base(port);
        URI management = URI.create("http://127.0.0.1:" + (DEFAULT_MANAGEMENT_PORT + offset) + "/");
        WildFlyNode node = new WildFlyNode(p, base, management, log);
        try {
            Api.awaitReady(p, base, "WildFly", log);
        } catch (IllegalStateException | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Runs a jboss-cli script against this node's copy of the configuration, offline. */
    private static void configure(Path home, Path server, Path script) throws Exception {
        Path batch = server.resolve("configure.cli");
        List<String> lines = new java.util.ArrayList<>();
        lines.add("embed-server --server-config=standalone-microprofile.xml --std-out=discard");
        lines.addAll(Files.readAllLines(script).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
        lines.add("stop-embedded-server");
        Files.write(batch, lines);
        File log = new File("target/wildfly-configure.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + batch)
                .redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + server);
        builder.environment().put("JAVA_HOME", javaHome());
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jboss-cli " + script + " failed; see " + log);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
