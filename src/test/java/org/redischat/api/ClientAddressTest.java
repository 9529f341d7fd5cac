package org.redischat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which client a sign-in comes from: X-Forwarded-For believed only from configured proxies. */
class ClientAddressTest {

    private final ClientAddress behindProxies = new ClientAddress(List.of("127.0.0.1", "10.0.0.0/8", " ", "fd00::/8"));

    @Test
    void withoutATrustedProxyTheConnectionsAddressCountsWhateverTheHeaderSays() {
        ClientAddress none = new ClientAddress(List.of());
        assertEquals("203.0.113.9", none.of("203.0.113.9", "198.51.100.1"));
        assertEquals("203.0.113.9", behindProxies.of("203.0.113.9", "198.51.100.1"), "not a proxy of ours");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopCounts() {
        assertEquals("198.51.100.7", behindProxies.of("127.0.0.1", "198.51.100.7"));
        assertEquals("198.51.100.7", behindProxies.of("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3"),
                "what the client wrote before the proxies' own hops is not believed");
        assertEquals("127.0.0.1", behindProxies.of("127.0.0.1", null));
        assertEquals("10.1.2.3", behindProxies.of("127.0.0.1", "10.1.2.3"), "only proxies: the farthest");
        assertEquals("198.51.100.7", behindProxies.of("127.0.0.1", "evil.example, 198.51.100.7"));
        assertEquals("127.0.0.1", behindProxies.of("127.0.0.1", "not an address"), "garbage: the proxy itself");
    }

    @Test
    void ipv6AddressesAreGroupedByTheirSlash64() {
        assertEquals("2001:db8:1:2::/64", behindProxies.of("127.0.0.1", "2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:1:2::/64", behindProxies.of("2001:db8:1:2::99", null));
        assertEquals("2001:db8:1:3::/64", ClientAddress.group("[2001:db8:1:3::1]"));
        assertEquals("198.51.100.7", behindProxies.of("fd12::1", "198.51.100.7"), "an IPv6 proxy block");
    }

    @Test
    void aMalformedTrustedEntryIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("proxy.example")));
    }
}
