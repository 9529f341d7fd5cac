package org.redischat.rooms;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.connection.Connection;
import org.redischat.history.MessageLog;
import org.redischat.history.Search;
import org.redischat.history.Threads;
import org.redischat.members.Members;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.FrameException;
import org.redischat.wire.SearchCursor;
import org.redischat.wire.ServerFrame;

/**
 * The frames that read stored messages: {@code history}, {@code thread} and {@code search}. Each was
 * taken from the user's read budget before it came here; what it answers is charged to that budget
 * by its bytes afterwards (a search also by the messages it scanned).
 */
@ApplicationScoped
public class ReadFrames {

    @Inject
    MessageLog log;

    @Inject
    Threads threads;

    @Inject
    Search searching;

    @Inject
    Members members;

    @Inject
    Budgets rate;

    /** A page of the room's messages before an id, for a member. */
    void history(Connection c, ClientFrame.History h) {
        if (!members.isMember(h.room(), c.user())) {
            throw Rooms.notMember(h);
        }
        MessageLog.Page p = log.before(h.room(), h.before(), h.limit());
        c.send(new ServerFrame.History(h.room(), p.messages(), p.more()));
        rate.chargeRead(c.user(), Budgets.bytesOf(p.messages()));
    }

    /** A page of a thread, for a member; the thread is read for them from then on. */
    void thread(Connection c, ClientFrame.Thread t) {
        Threads.Page p;
        try {
            p = threads.read(t.room(), c.user(), t.id(), t.after(), t.limit());
        } catch (MessageLog.NotMemberException e) {
            throw Rooms.notMember(t);
        } catch (Threads.NotFoundException e) {
            throw new FrameException("not_found", "no message " + t.id() + " in " + t.room(), t.ref());
        }
        c.send(new ServerFrame.Thread(t.room(), p.root(), p.replies(), p.more(), p.wasUnread(), t.ref()));
        rate.chargeRead(c.user(), Budgets.bytesOf(p.replies()));
    }

    /** One named room (a member's; a direct room was checked by the caller), or every room of the user. */
    void search(Connection c, ClientFrame.Search s) {
        List<String> rooms = s.room() != null ? List.of(s.room()) : members.roomsOf(c.user());
        Search.Found found;
        try {
            found = searching.in(c.user(), rooms, new Search.Query(s.words(), s.from(), s.start(), s.end(), s.limit()),
                    s.cursor() == null ? null : SearchCursor.parse(s.cursor()).orElseThrow());
        } catch (Search.NotMemberException e) {
            throw Rooms.notMember(s);
        }
        c.send(new ServerFrame.Search(found.messages(), found.next() == null ? null : found.next().toString(), s.ref()));
        rate.chargeScan(c.user(), found.scanned());
        rate.chargeRead(c.user(), Budgets.bytesOf(found.messages()));
    }
}
