package org.redischat.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client a request comes from, for the sign-in budgets: the connection's remote address, or,
 * when that is one of the configured proxies ({@code auth.proxies.trusted}), the nearest address in
 * {@code X-Forwarded-For} that is not one of them (a client cannot forge what a trusted proxy appended
 * after it). IPv6 addresses are grouped by their /64, the block one subscriber usually holds.
 */
public final class ClientAddress {

    private final List<Block> trusted;

    /** An address block: its address bytes and prefix length. */
    private record Block(byte[] address, int bits) {
        boolean contains(byte[] a) {
            if (a.length != address.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code trusted}: addresses and CIDR blocks (IPv4 or IPv6), e.g. {@code 10.0.0.0/8}; blanks ignored. */
    public ClientAddress(List<String> trusted) {
        List<Block> blocks = new ArrayList<>();
        for (String t : trusted) {
            String s = t.trim();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            byte[] a = parse(slash < 0 ? s : s.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("not an address or block: " + s);
            }
            blocks.add(new Block(a, slash < 0 ? a.length * 8 : Integer.parseInt(s.substring(slash + 1))));
        }
        this.trusted = List.copyOf(blocks);
    }

    /** The client's address as the budgets count it. */
    public String of(String remote, String forwardedFor) {
        String client = remote;
        if (forwardedFor != null && isTrusted(remote)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (parse(hop) == null) {
                    break; // not an address: nothing before it can be believed
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return group(client);
    }

    private boolean isTrusted(String address) {
        byte[] a = parse(address);
        return a != null && trusted.stream().anyMatch(b -> b.contains(a));
    }

    /** IPv4 as it is; IPv6 as its /64 ({@code 2001:db8:1:2::/64}); anything else as it is. */
    static String group(String address) {
        byte[] a = parse(address);
        if (a == null || a.length == 4) {
            return address;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            b.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return b.append(":/64").toString();
    }

    /** The bytes of a literal IPv4 or IPv6 address (never a name lookup), or null. */
    private static byte[] parse(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty() || !(t.matches("[0-9.]+") || (t.contains(":") && t.matches("[0-9a-fA-F:.]+")))) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
