package org.redischat.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server JVM on this machine, seen from outside: CPU time and RSS from /proc (Linux), heap,
 * threads and class histogram from the JDK's jcmd. Used by the load tool and by the tests that
 * check a node for leaks.
 */
public final class ServerProcess {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    private final long pid;

    public ServerProcess(long pid) {
        this.pid = pid;
    }

    /** User plus system CPU time so far, in ms (/proc/PID/stat counts 100 ticks a second). */
    public long cpuMillis() {
        String stat = read("stat");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** Resident memory, in KB. */
    public long rssKb() {
        return read("status").lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .orElseThrow(() -> new IllegalStateException("no VmRSS for " + pid));
    }

    /**
     * Live objects on the heap, in KB: the total of a class histogram, which runs a full GC first.
     * (G1's "used" after {@code GC.run} counts whole regions and read up to ~80 MB above this.)
     */
    public long heapAfterGcKb() {
        Matcher m = TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram printed no total");
        }
        return Long.parseLong(m.group(1)) / 1024;
    }

    public long threads() {
        return jcmd("Thread.print").lines().filter(l -> l.startsWith("\"")).count();
    }

    /** Bytes of live objects per class. */
    public Map<String, Long> histogram() {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            String[] col = line.trim().split("\\s+");
            if (col.length >= 4 && col[0].endsWith(":")) {
                bytes.merge(col[3], Long.parseLong(col[2]), Long::sum);
            }
        }
        return bytes;
    }

    private String jcmd(String command) {
        return run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), command);
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command of this machine and returns its output; fails when the command fails. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
