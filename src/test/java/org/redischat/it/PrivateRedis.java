package org.redischat.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import redis.embedded.core.ExecutableProvider;

/**
 * A redis-server of the test's own (the binary inside the embedded-redis jar) on a free port, with
 * the append-only file fsynced on every write, so the test may kill it with SIGKILL and start it
 * again on the same data. It never touches the shared Redis.
 */
final class PrivateRedis implements AutoCloseable {

    private final File binary;
    private final Path dir;
    final int port;
    private Process process;

    private PrivateRedis(File binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    static PrivateRedis start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrivateRedis r = new PrivateRedis(ExecutableProvider.newJarResourceProvider().get(),
                Files.createTempDirectory("chat-redis-fault"), port);
        r.restart();
        return r;
    }

    String address() {
        return "redis://127.0.0.1:" + port;
    }

    void restart() throws Exception {
        process = new ProcessBuilder(List.of(binary.getAbsolutePath(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (ping()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("private redis-server did not start; see " + dir.resolve("redis.log"));
    }

    /** SIGKILL: no goodbye, no last flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Sends one command and returns the first line of the reply. */
    String command(String... args) throws IOException {
        StringBuilder resp = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            resp.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** Kills the server and removes its data: it comes back empty, as after a loss of its disk. */
    void wipe() throws Exception {
        kill();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("redis.log")).toList()) {
                if (Files.isDirectory(f)) {
                    try (var inner = Files.list(f)) {
                        for (Path g : inner.toList()) {
                            Files.delete(g);
                        }
                    }
                }
                Files.delete(f);
            }
        }
        restart();
    }

    private boolean ping() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
