package org.redischat.accounts;

import java.time.Instant;
import java.util.List;

/**
 * A provider's token of the user was believed (a sign-in, a first use, a renewal): the groups it
 * names, and until when the chat session it gives lives. A CDI event: the rooms bound to groups
 * ({@code org.redischat.rooms.GroupRooms}) follow it.
 */
public record GroupsSeen(String user, List<String> groups, Instant sessionEnds) {
}
