// The protocol side of the web client (docs/PROTOCOL.md): one socket, reconnecting with backoff,
// rooms with their messages kept in id order, resends by ref, the rooms' rules,
// topics, mentions and the directory, and edits, deletes and reactions, caught up after a
// reconnect with 'changes'. It renders nothing: app.js listens. About 450 lines: every frame of the
// protocol is handled here, in one place.

// A browser cannot send WebSocket pings, and a server whose network vanished sends no close: the
// client watches for itself. A frame that expects an answer (send, join, history, leave, ping) must
// be followed by some frame from the server within ANSWER_TIMEOUT_MS, and a socket that has heard
// nothing for IDLE_PING_MS sends a ping; otherwise the socket is given up and a new one opened.
const ANSWER_TIMEOUT_MS = 10000;
const IDLE_PING_MS = 25000;
const ANSWERED = new Set(['send', 'join', 'history', 'leave', 'ping', 'invite', 'remove', 'ban', 'unban', 'set_role',
  'set_topic', 'directory', 'edit', 'delete', 'react', 'changes', 'bans', 'search', 'thread']);
// What the answers to moderation say, for the page's notices.
const DONE = { invited: 'invited', removed: 'removed', banned: 'banned', unbanned: 'unbanned' };
// The names a text mentions, as the server reads them: @ and a username, not inside a
// word or an address; a trailing . _ - is also tried without.
export function mentions(text) {
  const names = new Set();
  for (const m of text.matchAll(/(?<![A-Za-z0-9._-])@([A-Za-z0-9][A-Za-z0-9._-]{0,31})/g)) {
    const name = m[1].toLowerCase();
    names.add(name);
    names.add(name.replace(/[._-]+$/, ''));
  }
  return names;
}

// The server's settings, until its welcome says them (welcome.limits).
// A send frame; thread when it replies in a thread.
function sendMessageFrame(room, text, ref, thread) {
  const frame = { type: 'send', room, text, ref };
  if (thread) frame.thread = thread;
  return frame;
}

const DEFAULT_LIMITS = { typingIntervalMs: 2000, textMaxLength: 4000, pageSize: 50 };

export class Chat extends EventTarget {
  constructor(token) {
    super();
    this.token = token;
    this.user = null;
    this.rooms = new Map(); // name -> room state
    this.state = 'connecting';
    this.backoff = 1000;
    this.refCounter = 0;
    this.stopped = false;
    this.heardAt = 0;
    this.awaitingSince = null; // when a frame that expects an answer was sent, until anything is heard
    this.watchdog = null;
    this.limits = { ...DEFAULT_LIMITS };
    this.joinRefs = new Map(); // ref of a join in flight -> room, to drop a room whose join is refused
    this.bots = new Set(); // names the server marked as bots' accounts, in any room
  }

  /** Whether the server marked this user as a bot's account. */
  isBot(user) {
    return this.bots.has(user);
  }

  // ---- what the view reads: the state stays here, and these answer copies or read-only views of it

  /** The names of the user's rooms (joined, or being joined), in name order. */
  roomNames() {
    return [...this.rooms.keys()].sort();
  }

  /** Whether the user has the room (joined, or being joined). */
  hasRoom(name) {
    return this.rooms.has(name);
  }

  /** A room's messages in id order, without replies (those are in their threads). */
  messagesOf(name) {
    const r = this.rooms.get(name);
    return r ? [...r.messages.values()].filter(m => !m.thread).sort((a, b) => a.id - b.id) : [];
  }

  /** Whether the room holds message `id` (a reply or not). */
  holds(name, id) {
    const r = this.rooms.get(name);
    return !!r && r.messages.has(id);
  }

  /** The oldest message id the room holds (Infinity when it holds none). */
  oldestId(name) {
    const r = this.rooms.get(name);
    return r && r.messages.size ? Math.min(...r.messages.keys()) : Infinity;
  }

  /** The user's newest message in the room that is not deleted, or undefined. */
  lastOwn(name) {
    const r = this.rooms.get(name);
    return r ? [...r.messages.values()].filter(m => m.from === this.user && !m.deleted).sort((a, b) => b.id - a.id)[0] : undefined;
  }

  /** Sends still under way in the room: those in the thread of `root`, or (no root) those outside threads. */
  pendingOf(name, root) {
    const r = this.rooms.get(name);
    return r ? [...r.pending.values()].filter(p => (root ? p.thread === root : !p.thread)) : [];
  }

  /** The thread of message `id` as read so far: its root (as the thread or the room holds it) and its replies in id order. */
  threadOf(name, id) {
    const r = this.rooms.get(name);
    const t = r && r.threads.get(id);
    return { root: t ? t.root : r && r.messages.get(id), replies: t ? [...t.replies.values()].sort((a, b) => a.id - b.id) : [] };
  }

  /** The room's members, as the server listed them, each with whether they are online. */
  membersOf(name) {
    const r = this.rooms.get(name);
    return r ? r.members.map(user => ({ user, online: r.online.has(user) })) : [];
  }

  /**
   * Whether the signed-in user may take `action` in the room (on `target`, a member, when the action
   * has one), by the table of rights the server's welcome sent; nothing before it, nor in a direct
   * room. The server checks again; this only keeps the page from offering what it would refuse.
   */
  may(name, action, target) {
    const rights = this.rights;
    const r = this.rooms.get(name);
    const rule = rights && rights.actions[action];
    if (!rule || !r || isDirect(name)) return false;
    const rank = u => rights.ranks.indexOf(u === this.user && this.admin ? 'admin' : r.roles[u] || 'member');
    const mine = rank(this.user);
    if (mine < rights.ranks.indexOf(rule.least)) return false;
    if (target === undefined || !rule.below) return true;
    return rank(target) < (rule.below === 'actor' ? mine : rights.ranks.indexOf(rule.below));
  }

  room(name) {
    let r = this.rooms.get(name);
    if (!r) {
      r = { name, lastId: 0, lastRead: 0, epoch: null, messages: new Map(), members: [], online: new Set(),
            more: false, joined: false, pending: new Map(), typing: new Map(),
            private: false, role: null, roles: {}, topic: '', // the room's rules (none for a direct room)
            mentions: 0, // unread messages that mention the user
            change: 0, // the newest change number this view holds everything up to
            threads: new Map(), // threads read: root id -> { root, replies: Map id -> M, more }
            threadsUnread: 0, // the welcome's count of threads with unread replies
            unreadThreads: new Set() }; // roots of threads taken part in with replies since
      this.rooms.set(name, r);
    }
    return r;
  }

  connect() {
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', this.token);
    const ws = new WebSocket(url);
    this.ws = ws;
    this.heardAt = Date.now();
    this.awaitingSince = this.heardAt; // the welcome
    this.setState('connecting');
    if (!this.watchdog) this.watchdog = setInterval(() => this.watch(), 1000);
    ws.onmessage = e => {
      this.heardAt = Date.now();
      this.awaitingSince = null;
      this.receive(JSON.parse(e.data));
    };
    ws.onclose = e => {
      if (this.ws !== ws) return;
      this.notJoined();
      if (this.stopped) return;
      if (e.code === 1008 || !welcomed) {
        this.checkToken(); // a refused handshake looks like a plain drop to a browser
        return;
      }
      this.retryLater();
    };
    let welcomed = false;
    ws.addEventListener('message', () => { welcomed = true; }, { once: true });
  }

  // How long a typing signal is shown: until the next one could have come, and a second more.
  typingShownMs() {
    return this.limits.typingIntervalMs + 1000;
  }

  notJoined() {
    for (const r of this.rooms.values()) r.joined = false;
  }

  // Is the server still there? (See ANSWER_TIMEOUT_MS.) A dead one's socket is dropped, not closed:
  // its close handshake would never end.
  watch() {
    const ws = this.ws;
    if (!ws || this.stopped) return;
    const now = Date.now();
    if (this.awaitingSince !== null && now - this.awaitingSince > ANSWER_TIMEOUT_MS) {
      this.ws = null;
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
      this.notJoined();
      this.retryLater();
    } else if (this.awaitingSince === null && now - this.heardAt > IDLE_PING_MS) {
      this.sendFrame({ type: 'ping' });
    }
  }

  retryLater() {
    this.setState('offline');
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, 15000);
    setTimeout(() => this.connect(), wait + Math.random() * 300);
  }

  // Is the token still good? 401 means revoked or expired: back to sign-in. Anything else: retry.
  async checkToken() {
    const r = await fetch('api/sessions/current', { headers: { Authorization: 'Bearer ' + this.token } })
      .catch(() => null);
    if (r && r.status === 401) {
      this.stopped = true;
      this.emit('signedout');
    } else {
      this.retryLater();
    }
  }

  stop() {
    this.stopped = true;
    clearInterval(this.watchdog);
    if (this.ws) this.ws.close(1000);
  }

  setState(s) {
    this.state = s;
    this.emit('state', s);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  sendFrame(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      if (ANSWERED.has(frame.type) && this.awaitingSince === null) this.awaitingSince = Date.now();
      return true;
    }
    return false;
  }

  join(name, makePrivate, invite) {
    const r = this.room(name);
    const ids = [...r.messages.keys()];
    const ref = `j-${Date.now().toString(36)}-${++this.refCounter}`;
    this.joinRefs.set(ref, name);
    const frame = { type: 'join', room: name, ref };
    if (makePrivate) frame.private = true;
    if (invite) frame.invite = invite;
    if (ids.length && r.epoch) {
      frame.since = Math.max(...ids);
      frame.epoch = r.epoch;
    }
    this.sendFrame(frame);
  }

  // thread: the id of the message this one replies to, in its thread
  send(name, text, ref, thread) {
    const r = this.room(name);
    ref = ref || `c-${Date.now().toString(36)}-${++this.refCounter}`;
    r.pending.set(ref, { ref, text, state: 'pending', error: null, thread: thread || null });
    this.sendFrame(sendMessageFrame(name, text, ref, thread));
    this.emit('room', name);
    if (thread) this.emit('thread', { room: name, id: thread });
    return ref;
  }

  // A page of a thread's replies (and the server marks it read); the answer comes as a 'thread' event.
  thread(name, id, after) {
    const frame = { type: 'thread', room: name, id };
    if (after) frame.after = after;
    this.sendFrame(frame);
  }

  // Threads with replies the user has not read: the welcome's count, less those read since, and
  // the ones replied to since.
  unreadThreadCount(r) {
    return r.threadsUnread + r.unreadThreads.size;
  }

  // Whether the user takes part in the thread of root (wrote it or replied), as far as this view knows.
  takesPart(r, root) {
    const m = r.messages.get(root) || r.threads.get(root)?.root;
    if (m && m.from === this.user) return true;
    const t = r.threads.get(root);
    return !!t && [...t.replies.values()].some(x => x.from === this.user);
  }

  // Sends still waiting for their ack when the last socket went away are sent again with the same
  // ref: the server acks one it already stored with its id instead of storing it twice.
  resendPending() {
    for (const r of this.rooms.values()) {
      for (const p of r.pending.values()) {
        if (p.state === 'pending') this.sendFrame(sendMessageFrame(r.name, p.text, p.ref, p.thread));
      }
    }
  }

  retry(name, ref) {
    const p = this.room(name).pending.get(ref);
    if (p) this.send(name, p.text, ref, p.thread);
  }

  history(name, limit) {
    const r = this.room(name);
    const oldest = Math.min(...r.messages.keys());
    if (isFinite(oldest) && oldest > 1) this.sendFrame({ type: 'history', room: name, before: oldest, limit: limit || this.limits.pageSize });
  }

  // Messages with every word of text, in one room (null: all of the user's), going on from a
  // previous answer's cursor; the answer comes as a 'search' event.
  search(text, name, cursor) {
    const frame = { type: 'search', text };
    if (name) frame.room = name;
    if (cursor) frame.cursor = cursor;
    this.sendFrame(frame);
  }

  leave(name) {
    this.sendFrame({ type: 'leave', room: name });
  }

  // A join link to the room: resolves to BASE#join=<room>&invite=<invitation>.
  async inviteLink(name) {
    const r = await fetch(`api/rooms/${encodeURIComponent(name)}/invites`,
      { method: 'POST', headers: { Authorization: 'Bearer ' + this.token } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.message || `failed (${r.status})`);
    const link = new URL(location.href);
    link.hash = `join=${encodeURIComponent(body.room)}&invite=${encodeURIComponent(body.invite)}`;
    return link.toString();
  }

  // The room's incoming webhooks over HTTP, for its moderators: list, make (the answer's url is
  // shown once), revoke. Each resolves to the answer's body or throws its message.
  async webhooks(name, method = 'GET', body, id) {
    const path = `api/rooms/${encodeURIComponent(name)}/webhooks` + (id ? '/' + encodeURIComponent(id) : '');
    const headers = { Authorization: 'Bearer ' + this.token };
    if (body) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const answer = r.status === 204 ? {} : await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(answer.message || `failed (${r.status})`);
    return answer;
  }

  setTopic(name, topic) {
    this.sendFrame({ type: 'set_topic', room: name, topic });
  }

  // Public rooms by name prefix; the answer comes as a 'directory' event.
  directory(prefix, after) {
    const frame = { type: 'directory', prefix };
    if (after) frame.after = after;
    this.sendFrame(frame);
  }

  // A page of the users banned from a room, for its moderators; the answer comes as a 'bans' event.
  bans(name, after) {
    const frame = { type: 'bans', room: name };
    if (after) frame.after = after;
    this.sendFrame(frame);
  }

  // invite, remove, ban, unban, or set_role with a role; the server checks the rights.
  moderate(type, name, user, role) {
    const frame = { type, room: name, user, ref: `m-${Date.now().toString(36)}-${++this.refCounter}` };
    if (role) frame.role = role;
    this.sendFrame(frame);
  }

  // edit or delete a message, toggle a reaction; the 'changed' event brings the result.
  edit(name, id, text) {
    this.sendFrame({ type: 'edit', room: name, id, text, ref: `e-${Date.now().toString(36)}-${++this.refCounter}` });
  }

  remove(name, id) {
    this.sendFrame({ type: 'delete', room: name, id, ref: `d-${Date.now().toString(36)}-${++this.refCounter}` });
  }

  react(name, id, emoji) {
    this.sendFrame({ type: 'react', room: name, id, emoji, ref: `r-${Date.now().toString(36)}-${++this.refCounter}` });
  }

  // A message's new state replaces the one held, unless the one held is as new (a later change
  // carries a higher number); a message not in the view is left to the next read of it.
  // A message's new state, if newer than the one held. Live (a 'changed' frame, not a catch-up, which
  // the welcome's count already holds): an edit that now names the user counts as an unread
  // mention, a delete or an edit that no longer names them stops counting.
  applyChange(r, m, live) {
    const thread = m.thread && r.threads.get(m.thread);
    if (thread && thread.replies.has(m.id)) {
      thread.replies.set(m.id, m);
      this.emit('thread', { room: r.name, id: m.thread });
    }
    const root = r.threads.get(m.id);
    if (root && (m.change || 0) > (root.root.change || 0)) {
      root.root = m;
      this.emit('thread', { room: r.name, id: m.id });
    }
    const held = r.messages.get(m.id);
    if (held && (m.change || 0) > (held.change || 0)) {
      r.messages.set(m.id, m);
      if (live && m.from !== this.user && m.id > r.lastRead) {
        const named = x => !x.deleted && mentions(x.text).has(this.user);
        if (named(m) && !named(held)) {
          r.mentions++;
          this.emit('mention', m);
          this.emit('rooms');
        } else if (named(held) && !named(m) && r.mentions > 0) {
          r.mentions--;
          this.emit('rooms');
        }
      }
      this.emit('room', r.name);
    }
  }

  typing(name) {
    const now = Date.now();
    const r = this.room(name);
    if (!r.typingSent || now - r.typingSent > this.limits.typingIntervalMs) {
      r.typingSent = now;
      this.sendFrame({ type: 'typing', room: name });
    }
  }

  markRead(name) {
    const r = this.room(name);
    if (r.lastId > r.lastRead || r.mentions) {
      r.mentions = 0;
      r.lastRead = r.lastId;
      this.sendFrame({ type: 'read', room: name, id: r.lastId });
      this.emit('rooms');
    }
  }

  addMessages(r, list) {
    for (const m of list) {
      const held = r.messages.get(m.id);
      if (!held || (m.change || 0) >= (held.change || 0)) r.messages.set(m.id, m);
      if (m.id > r.lastId) r.lastId = m.id;
    }
  }

  receive(f) {
    const r = f.room ? this.room(f.room) : null;
    switch (f.type) {
      case 'welcome':
        this.user = f.user;
        this.admin = !!f.admin; // a server administrator moderates every room
        this.rights = f.rights || null; // what each rank may do in a room (see may)
        this.joinable = f.joinable || []; // private rooms the user's groups open, not joined yet
        if (f.limits) this.limits = { ...DEFAULT_LIMITS, ...f.limits };
        this.backoff = 1000;
        for (const s of f.rooms) {
          const room = this.room(s.room);
          room.lastRead = Math.max(room.lastRead, s.lastRead);
          room.lastId = Math.max(room.lastId, s.lastId);
          room.mentions = s.mentions || 0;
          room.threadsUnread = s.threads || 0; //
          room.unreadThreads.clear();
        }
        this.setState('online');
        this.resendPending();
        this.emit('welcome');
        this.emit('rooms');
        break;
      case 'joined':
        for (const [ref, name] of this.joinRefs) if (name === f.room) this.joinRefs.delete(ref); // joined has no ref
        r.private = !!f.private;
        r.role = f.role || null;
        r.roles = f.roles || {};
        r.topic = f.topic || '';
        if (f.recovered === false || (r.epoch && r.epoch !== f.epoch)) {
          r.messages.clear(); // history was lost or trimmed: start the view again
        }
        if (f.recovered && r.messages.size) {
          // back after a reconnect: what changed meanwhile among the messages held
          this.sendFrame({ type: 'changes', room: f.room, after: r.change });
        } else {
          r.change = f.change || 0; // a fresh view: the answer holds every change up to here
        }
        r.epoch = f.epoch;
        r.joined = true;
        r.members = f.members;
        for (const b of f.bots || []) this.bots.add(b);
        r.online = new Set(f.online);
        this.addMessages(r, f.messages);
        if (f.recovered === undefined || f.recovered === false) r.more = f.more;
        if (f.recovered && f.more) this.join(f.room); // more after since: ask for the next run
        this.emit('rooms');
        this.emit('room', f.room);
        break;
      case 'message': {
        const fresh = f.id > r.lastId;
        if (f.thread) { // a reply: kept with its thread, counted unread for a thread the user takes part in
          const t = r.threads.get(f.thread);
          if (t) t.replies.set(f.id, f);
          if (fresh && f.from !== this.user && this.takesPart(r, f.thread)) r.unreadThreads.add(f.thread);
          this.emit('thread', { room: f.room, id: f.thread, reply: f.from === this.user ? null : f.id });
        }
        // a room not joined on this socket only counts: its view is filled by the next join
        if (r.joined) this.addMessages(r, [f]);
        else r.lastId = Math.max(r.lastId, f.id);
        if (f.from === this.user) r.lastRead = Math.max(r.lastRead, f.id);
        else if (fresh && f.id > r.lastRead && mentions(f.text).has(this.user)) {
          r.mentions++;
          this.emit('mention', f);
        }
        r.typing.delete(f.from);
        this.emit('rooms');
        this.emit('room', f.room);
        break;
      }
      case 'ack': {
        const p = r.pending.get(f.ref);
        if (p) r.pending.delete(f.ref);
        this.emit('room', f.room);
        break;
      }
      case 'history':
        this.addMessages(r, f.messages);
        r.more = f.more;
        this.emit('room', f.room);
        break;
      case 'member_add':
        if (!r.members.includes(f.user)) r.members = [...r.members, f.user].sort();
        if (f.bot) this.bots.add(f.user);
        this.emit('rooms');
        this.emit('room', f.room);
        break;
      case 'member_remove':
        if (f.user === this.user) {
          this.rooms.delete(f.room);
          this.emit('rooms');
          this.emit('left', f.room);
        } else {
          r.members = r.members.filter(u => u !== f.user);
          r.online.delete(f.user);
          this.emit('room', f.room);
        }
        break;
      case 'left':
        this.rooms.delete(f.room);
        this.emit('rooms');
        this.emit('left', f.room);
        break;
      case 'presence':
        if (f.online) r.online.add(f.user); else r.online.delete(f.user);
        this.emit('room', f.room);
        break;
      case 'typing':
        r.typing.set(f.user, Date.now());
        this.emit('typing', f.room);
        setTimeout(() => this.emit('typing', f.room), this.typingShownMs() + 100);
        break;
      case 'read':
        r.lastRead = Math.max(r.lastRead, f.id);
        this.emit('rooms');
        break;
      case 'role':
        if (f.role === 'moderator') r.roles[f.user] = 'moderator'; else delete r.roles[f.user];
        if (f.user === this.user) r.role = f.role;
        this.emit('room', f.room);
        break;
      case 'invited': case 'removed': case 'banned': case 'unbanned':
        this.emit('notice', { room: f.room, text: `${f.user} ${DONE[f.type]}` });
        this.emit('moderated', f);
        break;
      case 'topic':
        r.topic = f.topic;
        this.emit('room', f.room);
        break;
      case 'topic_set':
        break; // the topic event follows
      case 'directory':
        this.emit('directory', f);
        break;
      case 'bans':
        this.emit('bans', f);
        break;
      case 'search':
        this.emit('search', f);
        break;
      case 'thread': {
        const t = r.threads.get(f.root.id) || { root: f.root, replies: new Map(), more: false };
        t.root = f.root;
        for (const m of f.messages) t.replies.set(m.id, m);
        t.more = f.more;
        r.threads.set(f.root.id, t);
        // read now: either counted live on this page, or (unread true) in the welcome's count
        if (!r.unreadThreads.delete(f.root.id) && f.unread && r.threadsUnread > 0) r.threadsUnread--;
        this.emit('rooms');
        if (r.messages.has(f.root.id)) this.applyChange(r, f.root);
        this.emit('thread', { room: f.room, id: f.root.id });
        break;
      }
      case 'changed':
        this.applyChange(r, f, true);
        r.change = Math.max(r.change, f.change);
        break;
      case 'changes':
        for (const m of f.messages) this.applyChange(r, m);
        if (f.more) this.sendFrame({ type: 'changes', room: f.room, after: f.change });
        else r.change = Math.max(r.change, f.change);
        break;
      case 'edited': case 'deleted': case 'reacted':
        break; // the changed event follows
      case 'role_set':
        this.emit('notice', { room: f.room, text: `${f.user} is now ${f.role === 'moderator' ? 'a moderator' : 'a member'}` });
        break;
      case 'error': {
        const refused = f.ref ? this.joinRefs.get(f.ref) : null;
        if (refused && f.code === 'rate_limited') {
          // reads pay for what they answer: a long catch-up waits for the budget and goes on
          this.joinRefs.delete(f.ref);
          setTimeout(() => { if (this.ws && this.ws.readyState === WebSocket.OPEN) this.join(refused); }, 1000);
          break;
        }
        if (refused) {
          // a join the room's rules refused (a private room, a ban): the room is not the user's
          this.joinRefs.delete(f.ref);
          const gone = this.rooms.get(refused);
          if (gone && !gone.joined && !gone.messages.size) {
            this.rooms.delete(refused);
            this.emit('rooms');
            this.emit('left', refused);
          }
          this.emit('problem', `#${refused}: ${f.message} (${f.code})`);
          break;
        }
        const owner = f.ref ? [...this.rooms.values()].find(x => x.pending.has(f.ref)) : null;
        if (owner) {
          const p = owner.pending.get(f.ref);
          p.state = 'failed';
          p.error = `${f.message} (${f.code})`;
          this.emit('room', owner.name);
        } else {
          this.emit('problem', `${f.message} (${f.code})`);
        }
        break;
      }
    }
  }
}

// The direct room of two users (protocol: dm:<a>:<b>, names in ascending order); the one place the client spells it.
const DIRECT = 'dm:';

export function directRoom(a, b) {
  return a < b ? `${DIRECT}${a}:${b}` : `${DIRECT}${b}:${a}`;
}

// Whether a room is a direct room, and its two users.
export function isDirect(name) {
  return name.startsWith(DIRECT);
}

export function directUsers(name) {
  return name.slice(DIRECT.length).split(':');
}
