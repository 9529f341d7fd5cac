// The web client's screens: sign-in, rooms, the open room with its members panel and its moderation,
// threads, search, the directory, and each message's menu: reactions, reply, edit, delete. All text
// goes in through textContent, never as markup. The protocol and the client's state live in chat.js.
import { Chat, directRoom, directUsers, isDirect, mentions } from './chat.js';
import * as sso from './sso.js';

const $ = id => document.getElementById(id);
const TOKEN = 'chat.token';
let chat = null;
let current = null;
// The elements of the open room's messages and their heads, by id and change number, and its notices:
// an event puts only what is new into the list (see placeChildren); a changed message
// has a new change number, so a new element.
let drawn = { room: null, epoch: null, nodes: new Map(), notices: [] };
// The most notices the open room's list keeps (the oldest go first).
const NOTICES = 5;
// The reactions the message menu offers (any emoji of up to 8 code points is taken by the server).
const REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '👀'];
// The message being edited in the composer, if any: { room, id }.
let editing = null;

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

// ---- sign-in

async function account(path) {
  const body = JSON.stringify({ username: $('username').value.trim(), password: $('password').value });
  const r = await fetch('api/' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.message || `failed (${r.status})`);
  return json;
}

async function signIn(create) {
  $('signin-error').textContent = '';
  try {
    if (create) await account('users');
    const s = await account('sessions');
    // mentions may notify while the tab is hidden; asked on this click, as browsers require
    if (window.Notification && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
    localStorage.setItem(TOKEN, s.token);
    start(s.token);
  } catch (e) {
    $('signin-error').textContent = e.message;
  }
}

function showSignIn(message) {
  if (chat) chat.stop();
  chat = null;
  current = null;
  localStorage.removeItem(TOKEN);
  sso.forget();
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  ($('local-signin').hidden ? $('sso-button') : $('username')).focus();
}

$('signin-form').addEventListener('submit', e => { e.preventDefault(); signIn(false); });
$('signup-button').addEventListener('click', () => {
  if ($('signin-form').reportValidity()) signIn(true);
});
$('sso-button').addEventListener('click', () => sso.signInAtProvider()
  .catch(e => { $('signin-error').textContent = e.message; }));
$('signout').addEventListener('click', async () => {
  const token = localStorage.getItem(TOKEN);
  await fetch('api/sessions/current', { method: 'DELETE', headers: { Authorization: 'Bearer ' + token } }).catch(() => {});
  if (chat) chat.stop();
  localStorage.removeItem(TOKEN);
  if (!(await sso.signOutAtProvider())) showSignIn();
});

// ---- the app

function start(token) {
  $('signin').hidden = true;
  $('app').hidden = false;
  chat = new Chat(token);
  sso.keepRenewing(token, message => showSignIn(message));
  chat.addEventListener('state', e => {
    const s = e.detail;
    $('status').textContent = s === 'online' ? 'connected' : s === 'offline' ? 'reconnecting…' : 'connecting…';
    $('status').classList.toggle('online', s === 'online');
    updateComposer();
  });
  chat.addEventListener('welcome', () => {
    $('me').textContent = chat.user;
    if (followJoinLink()) return;
    if (current && chat.hasRoom(current)) chat.join(current);
    else if (!current && chat.roomNames().length) open(chat.roomNames()[0]);
  });
  chat.addEventListener('rooms', renderRooms);
  chat.addEventListener('room', e => { if (e.detail === current) renderRoom(); });
  chat.addEventListener('typing', e => { if (e.detail === current) renderTyping(); });
  chat.addEventListener('left', e => { if (e.detail === current) { current = null; renderRoom(); } });
  chat.addEventListener('problem', e => notice(e.detail));
  chat.addEventListener('notice', e => { if (e.detail.room === current) notice(e.detail.text); });
  chat.addEventListener('directory', e => renderDirectory(e.detail));
  chat.addEventListener('search', e => renderSearch(e.detail));
  chat.addEventListener('thread', e => {
    if (!thread || e.detail.room !== thread.room || e.detail.id !== thread.id) return;
    // a reply arrived in the open thread: read on from the last one held, which marks it read on the server too
    if (e.detail.reply && document.visibilityState === 'visible') chat.thread(thread.room, thread.id, e.detail.reply - 1);
    renderThread();
  });
  chat.addEventListener('room', e => { if (thread && e.detail === thread.room) renderThread(); });
  chat.addEventListener('room', e => { if (jump && e.detail === jump.room) continueJump(); });
  chat.addEventListener('bans', e => renderBans(e.detail));
  chat.addEventListener('moderated', e => {
    const f = e.detail;
    if ((f.type === 'banned' || f.type === 'unbanned') && f.room === current && $('bans-box').open) listBans(false);
  });
  chat.addEventListener('mention', e => {
    const m = e.detail;
    if (document.visibilityState !== 'visible' && window.Notification && Notification.permission === 'granted') {
      new Notification(`${m.from} in ${roomLabel(m.room)}`, { body: m.text, tag: m.room });
    }
  });
  chat.addEventListener('signedout', () => showSignIn('Your session ended: please sign in again.'));
  chat.connect();
}

// A join link, BASE#join=<room>&invite=<invitation>: opened in a new tab (after the welcome) or in
// this one (the hash changes, the page stays), it joins the room. True when there was one.
function followJoinLink() {
  const link = new URLSearchParams(location.hash.slice(1));
  if (!chat || chat.state !== 'online' || !link.get('join') || !link.get('invite')) return false;
  history.replaceState(null, '', location.pathname + location.search);
  open(link.get('join').toLowerCase(), false, link.get('invite'));
  return true;
}
window.addEventListener('hashchange', followJoinLink);

function roomLabel(name) {
  if (!isDirect(name)) return '#' + name;
  const [a, b] = directUsers(name);
  return '@' + (a === chat.user ? b : a);
}

function renderRooms() {
  const list = $('rooms');
  list.replaceChildren();
  for (const r of chat.roomNames().map(name => chat.room(name))) {
    const unread = Math.max(0, r.lastId - r.lastRead);
    const b = el('button', { type: 'button' }, el('span', { textContent: roomLabel(r.name) }));
    if (r.mentions && r.name !== current) b.append(el('span', { className: 'badge mention', textContent: '@' + r.mentions, title: 'mentions you' }));
    if (unread && r.name !== current) b.append(el('span', { className: 'badge', textContent: String(unread), title: 'unread' }));
    const threads = chat.unreadThreadCount(r);
    if (threads) b.append(el('span', { className: 'badge thread', textContent: '↳' + threads, title: 'threads with new replies' }));
    b.setAttribute('aria-current', String(r.name === current));
    b.dataset.room = r.name;
    b.addEventListener('click', () => open(r.name));
    list.append(el('li', {}, b));
  }
  // the rooms of the user's groups, open to join
  for (const name of (chat.joinable || []).filter(n => !chat.hasRoom(n))) {
    const b = el('button', { type: 'button', className: 'joinable', title: 'a room of your group: join it' },
      el('span', { textContent: roomLabel(name) }), el('span', { className: 'badge', textContent: 'join' }));
    b.dataset.room = name;
    b.addEventListener('click', () => open(name));
    list.append(el('li', {}, b));
  }
}

function open(name, makePrivate, invite) {
  if (editing) stopEdit();
  if (thread && thread.room !== name) closeThread();
  current = name;
  const r = chat.room(name);
  if (!r.joined) chat.join(name, makePrivate, invite);
  $('sidebar').classList.remove('open');
  $('members').parentElement.classList.remove('open');
  $('show-members').setAttribute('aria-expanded', 'false');
  renderRooms();
  renderRoom(true);
  $('text').focus();
}

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// Makes `wanted` the children of `parent`, in order, by taking out what is not wanted and inserting
// what is not yet in its place: an element that stays is never taken out and put back, so the message
// list (role="log") announces each new message once to a screen reader, and keeps its scroll position.
function placeChildren(parent, wanted) {
  const keep = new Set(wanted);
  for (const c of [...parent.children]) if (!keep.has(c)) c.remove();
  let at = parent.firstElementChild;
  for (const w of wanted) {
    if (w === at) at = at.nextElementSibling;
    else parent.insertBefore(w, at);
  }
}

function renderRoom(jump) {
  const box = $('messages');
  const atBottom = jump || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const oldHeight = box.scrollHeight;
  const oldTop = box.scrollTop;
  $('leave').hidden = !current;
  $('show-members').hidden = !current;
  if (!current) {
    box.replaceChildren();
    drawn = { room: null, epoch: null, nodes: new Map(), notices: [] };
    $('room-title').textContent = 'Pick or join a room';
    $('room-kind').textContent = '';
    for (const id of ['invite-box', 'topic-box', 'bans-box']) $(id).hidden = true;
    $('room-topic').hidden = true;
    $('members').replaceChildren();
    updateComposer();
    return;
  }
  const r = chat.room(current);
  $('room-title').textContent = roomLabel(current);
  $('room-kind').textContent = isDirect(current) || !r.joined ? ''
    : `${r.private ? 'private' : 'public'} · you: ${r.role || 'member'}`;
  $('room-topic').textContent = r.topic;
  $('room-topic').hidden = !r.topic;
  // ids start again in a new epoch (the room's history was lost): the epoch is part of the key
  if (drawn.room !== current || drawn.epoch !== r.epoch) {
    drawn = { room: current, epoch: r.epoch, nodes: new Map(), notices: drawn.room === current ? drawn.notices : [] };
  }
  const node = (key, make) => {
    let n = drawn.nodes.get(key);
    if (!n) drawn.nodes.set(key, n = make());
    return n;
  };
  const wanted = [];
  if (r.more) wanted.push(node('more', () => el('li', { className: 'notice', textContent: 'scroll up for older messages' })));
  let prev = null;
  // replies live in their thread's panel; the room shows their root with its count
  for (const m of chat.messagesOf(r.name)) {
    if (!prev || prev.from !== m.from || m.ts - prev.ts > 5 * 60 * 1000) {
      const bot = chat.isBot(m.from);
      wanted.push(node(`h${m.id}:${bot}`, () => el('li', { className: 'head' }, el('b', { textContent: m.from }),
        ...(bot ? [botMark()] : []), el('time', { textContent: time(m.ts) }))));
    }
    wanted.push(node(`m${m.id}:${m.change || 0}:${chat.may(r.name, 'delete', m.from)}`, () => messageItem(r, m)));
    prev = m;
  }
  for (const p of chat.pendingOf(r.name)) wanted.push(node(`p${p.ref}:${p.state}:${p.error}`, () => pendingItem(p)));
  placeChildren(box, wanted.concat(drawn.notices));
  if (atBottom) box.scrollTop = box.scrollHeight;
  else box.scrollTop = oldTop + (box.scrollHeight - oldHeight) * (oldTop < 10 ? 1 : 0);
  renderMembers(r);
  renderTyping();
  updateComposer();
  markRead();
}

// A send not yet acknowledged, or refused with a retry button.
function pendingItem(p) {
  const li = el('li', { className: 'mine ' + p.state }, el('span', { className: 'text', textContent: p.text }));
  if (p.state === 'failed') {
    const retry = el('button', { type: 'button', className: 'link', textContent: 'retry' });
    retry.addEventListener('click', () => chat.retry(current, p.ref));
    li.append(el('div', { className: 'why', textContent: 'not sent: ' + p.error + ' ' }, retry));
  } else {
    li.title = 'sending…';
  }
  return li;
}

// A message with its edited mark, reactions and menu; a deleted one as a tombstone.
function messageItem(r, m, inThread) {
  const mine = m.from === chat.user;
  const li = el('li', { className: (mine ? 'mine' : !m.deleted && mentions(m.text).has(chat.user) ? 'mention' : '') + (m.deleted ? ' deleted' : '') },
    el('span', { className: 'text', textContent: m.deleted ? 'message deleted' : m.text }));
  li.dataset.id = m.id;
  if (m.deleted) return li;
  if (m.edited) li.append(el('span', { className: 'edited', textContent: ' (edited)', title: 'edited at ' + time(m.edited) }));
  // the message's menu (a details element: opens with Enter or Space, as a button does)
  const summary = el('summary', { textContent: '⋯', title: 'react, edit, delete' });
  summary.setAttribute('aria-label', 'actions for this message');
  const menu = el('details', { className: 'menu' }, summary);
  const item = (label, title, act) => {
    const b = el('button', { type: 'button', className: 'link', textContent: label, title });
    b.addEventListener('click', () => { menu.open = false; act(); });
    return b;
  };
  const items = el('span', { className: 'menu-items' });
  for (const e of REACTIONS) items.append(item(e, 'react with ' + e, () => chat.react(r.name, m.id, e)));
  if (!m.thread && !inThread) items.append(item('reply', 'reply in a thread', () => openThread(r.name, m.id)));
  if (mine) items.append(item('edit', 'edit this message', () => startEdit(r.name, m)));
  if (mine || chat.may(r.name, 'delete', m.from)) items.append(item('delete', 'delete this message', () => chat.remove(r.name, m.id)));
  menu.append(items);
  li.append(menu);
  if (m.reactions) {
    const bar = el('span', { className: 'reactions' });
    for (const x of m.reactions) {
      const b = el('button', { type: 'button', className: 'reaction', textContent: `${x.emoji} ${x.users.length}`,
        title: x.users.join(', ') });
      b.setAttribute('aria-pressed', String(x.users.includes(chat.user)));
      b.dataset.emoji = x.emoji;
      b.addEventListener('click', () => chat.react(r.name, m.id, x.emoji));
      bar.append(b);
    }
    li.append(bar);
  }
  if (m.replies && !inThread) {
    const b = el('button', { type: 'button', className: 'link replies', textContent: `${m.replies} ${m.replies === 1 ? 'reply' : 'replies'}`,
      title: 'open the thread' });
    b.addEventListener('click', () => openThread(r.name, m.id));
    li.append(b);
  }
  return li;
}

// ---- threads: a side panel on wide screens, the whole screen on phones

let thread = null; // the open thread: { room, id }

function openThread(room, id) {
  if (editing) stopEdit();
  thread = { room, id };
  $('thread').hidden = false;
  $('thread').parentElement.classList.add('threaded');
  chat.thread(room, id);
  renderThread();
  $('thread-text').focus();
}

function closeThread() {
  thread = null;
  $('thread').hidden = true;
  $('thread').parentElement.classList.remove('threaded');
}

function renderThread() {
  if (!thread) return;
  const r = chat.room(thread.room);
  const { root, replies } = chat.threadOf(thread.room, thread.id);
  const items = [];
  if (root) {
    items.push(el('li', { className: 'head' }, el('b', { textContent: root.from }), el('time', { textContent: time(root.ts) })));
    items.push(messageItem(r, root, true));
    items.push(el('li', { className: 'notice', textContent: root.replies ? `${root.replies} ${root.replies === 1 ? 'reply' : 'replies'}` : 'no replies yet' }));
  }
  for (const m of replies) {
    items.push(el('li', { className: 'head' }, el('b', { textContent: m.from }), el('time', { textContent: time(m.ts) })));
    items.push(messageItem(r, m, true));
  }
  for (const p of chat.pendingOf(thread.room, thread.id)) items.push(pendingItem(p));
  const box = $('thread-messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...items);
  if (atBottom) box.scrollTop = box.scrollHeight;
}

$('close-thread').addEventListener('click', closeThread);
$('thread-form').addEventListener('submit', e => {
  e.preventDefault();
  const text = $('thread-text').value;
  if (!thread || !text.trim()) return;
  chat.send(thread.room, text, null, thread.id);
  $('thread-text').value = '';
});
$('thread-text').addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('thread-form').requestSubmit();
  } else if (e.key === 'Escape') {
    closeThread();
  }
});

// Editing happens in the composer: its text is the message's, Enter saves, Escape cancels.
function startEdit(room, m) {
  editing = { room, id: m.id };
  $('text').value = m.text;
  $('editing').hidden = false;
  $('text').focus();
}

function stopEdit() {
  editing = null;
  $('editing').hidden = true;
  $('text').value = '';
}

// What the signed-in user may do to a member, as the server's table of rights says (chat.may; the
// server checks it again): name or unname a moderator, remove, ban.
function memberActions(r, u) {
  const actions = [];
  if (u === chat.user) return actions;
  const act = (label, type, role) => {
    const b = el('button', { type: 'button', className: 'link', textContent: label, title: `${label} ${u}` });
    b.dataset.action = type + (role ? ':' + role : '');
    b.addEventListener('click', () => chat.moderate(type, r.name, u, role));
    actions.push(b);
  };
  if (chat.may(r.name, 'set_role', u)) act(r.roles[u] === 'moderator' ? 'make member' : 'make moderator', 'set_role',
    r.roles[u] === 'moderator' ? 'member' : 'moderator');
  if (chat.may(r.name, 'remove', u)) act('remove', 'remove');
  if (chat.may(r.name, 'ban', u)) act('ban', 'ban');
  return actions;
}

// The members, and behind their own actions: inviting (any member), the topic and the banned users
// (moderators and the owner).
function renderMembers(r) {
  const ul = $('members');
  ul.replaceChildren();
  const shown = (id, show) => {
    if (!show) $(id).open = false;
    $(id).hidden = !show;
  };
  const room = !isDirect(r.name) && r.joined;
  shown('invite-box', room);
  shown('topic-box', room && chat.may(r.name, 'set_topic'));
  shown('bans-box', room && chat.may(r.name, 'bans'));
  shown('hooks-box', room && chat.may(r.name, 'webhooks'));
  if ($('hooks').dataset.room !== r.name) {
    $('hooks-box').open = false;
    $('hook-url').hidden = true;
  }
  if ($('invite-link-text').dataset.room !== r.name) $('invite-link-text').hidden = true;
  if ($('bans').dataset.room !== r.name) $('bans-box').open = false;
  for (const { user: u, online: on } of chat.membersOf(r.name)) {
    const b = el('button', { type: 'button', title: u === chat.user ? 'you' : 'write to ' + u },
      el('span', { className: 'dot' + (on ? ' on' : ''), title: on ? 'online' : 'offline' }), u);
    b.dataset.user = u;
    b.dataset.online = String(on);
    if (u !== chat.user) b.addEventListener('click', () => open(directRoom(chat.user, u)));
    const li = el('li', {}, b);
    if (chat.isBot(u)) li.append(botMark());
    if (r.roles[u]) li.append(el('span', { className: 'role', textContent: r.roles[u] }));
    const actions = memberActions(r, u);
    if (actions.length) li.append(el('span', { className: 'actions' }, ...actions));
    li.dataset.member = u;
    ul.append(li);
  }
}

// The mark of a bot's account, next to its name (the server says which names are bots').
function botMark() {
  return el('span', { className: 'bot', textContent: 'bot', title: 'a bot: posts for a program, not a person' });
}

function renderTyping() {
  if (!current) return;
  const r = chat.room(current);
  const now = Date.now();
  const who = [...r.typing].filter(([, t]) => now - t < chat.typingShownMs()).map(([u]) => u);
  $('typing').textContent = who.length ? `${who.join(', ')} ${who.length > 1 ? 'are' : 'is'} typing…` : '';
}

// A line in the open room's list (a refusal, a moderation done) that stays until NOTICES newer ones came.
function notice(text) {
  const li = el('li', { className: 'notice', textContent: text });
  drawn.notices.push(li);
  if (drawn.notices.length > NOTICES) drawn.notices.shift().remove();
  $('messages').append(li);
}

function updateComposer() {
  const can = !!current && chat && chat.state === 'online';
  $('text').disabled = !current;
  $('send').disabled = !can;
}

function markRead() {
  const box = $('messages');
  if (current && document.visibilityState === 'visible' && box.scrollHeight - box.scrollTop - box.clientHeight < 40) {
    chat.markRead(current);
  }
}

$('composer').addEventListener('submit', e => {
  e.preventDefault();
  const text = $('text').value;
  if (!current || !text.trim() || $('send').disabled) return;
  if (editing && editing.room === current) {
    chat.edit(current, editing.id, text);
    stopEdit();
    return;
  }
  chat.send(current, text);
  $('text').value = '';
});
$('cancel-edit').addEventListener('click', stopEdit);
$('text').addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('composer').requestSubmit();
  } else if (e.key === 'Tab' && !e.shiftKey && current && completeMention()) {
    e.preventDefault(); // a Tab that completes nothing moves the focus on, as usual
  } else if (e.key === 'Escape' && editing) {
    stopEdit();
  } else if (e.key === 'ArrowUp' && !$('text').value && current) {
    // the up arrow in an empty composer edits your newest message, as in other chats
    const last = chat.lastOwn(current);
    if (last) {
      e.preventDefault();
      startEdit(current, last);
    }
  }
});

// Tab after "@ol" completes to the first other member whose name starts with "ol".
function completeMention() {
  const box = $('text');
  const before = box.value.slice(0, box.selectionStart);
  const typed = /(?:^|[^A-Za-z0-9._-])@([A-Za-z0-9._-]*)$/.exec(before);
  if (!typed) return false;
  const start = typed[1].toLowerCase();
  const name = chat.membersOf(current).map(m => m.user).find(u => u !== chat.user && u.startsWith(start) && u !== start);
  if (!name) return false;
  box.setRangeText(name.slice(start.length) + ' ', box.selectionStart, box.selectionStart, 'end');
  return true;
}
$('text').addEventListener('input', () => { if (current && $('text').value) chat.typing(current); });
$('messages').addEventListener('scroll', () => {
  const box = $('messages');
  if (box.scrollTop < 10 && current && chat.room(current).more) chat.history(current);
  markRead();
});
document.addEventListener('visibilitychange', markRead);
$('join-form').addEventListener('submit', e => {
  e.preventDefault();
  const name = $('join-room').value.trim().toLowerCase();
  if (name) open(name, $('join-private').checked);
  $('join-room').value = '';
  $('join-private').checked = false;
});
// ---- search

let searching = { text: '', room: null, cursor: null };
let jump = null; // a result being shown: { room, id, pages } while older pages load

function runSearch(more) {
  if (!more) {
    searching = { text: $('search-text').value.trim(), room: $('search-here').checked ? current : null, cursor: null };
    $('search-results').replaceChildren();
  }
  if (searching.text) chat.search(searching.text, searching.room, more ? searching.cursor : null);
}

function renderSearch(page) {
  const list = $('search-results');
  for (const m of page.messages) {
    const b = el('button', { type: 'button', title: 'show it in ' + roomLabel(m.room) },
      el('span', { className: 'where', textContent: `${roomLabel(m.room)} · ${m.from} · ${time(m.ts)}` }),
      el('span', { className: 'what', textContent: m.text }));
    b.dataset.room = m.room;
    b.dataset.id = m.id;
    b.addEventListener('click', () => showFound(m.room, m.id));
    list.append(el('li', {}, b));
  }
  searching.cursor = page.cursor || null;
  if (!list.children.length && !page.more) list.append(el('li', { className: 'notice', textContent: 'nothing found' }));
  $('search-more').hidden = !page.more;
}

// Opens the result's room and pages back (no gaps) until the message is held, then shows it.
function showFound(room, id) {
  jump = { room, id, pages: 0 };
  open(room);
  continueJump();
}

function continueJump() {
  if (!jump || jump.room !== current) return;
  const r = chat.room(jump.room);
  if (!r.joined) return; // its joined answer calls again
  if (chat.holds(jump.room, jump.id)) {
    const li = document.querySelector(`#messages li[data-id="${jump.id}"]`);
    jump = null;
    if (li) {
      li.classList.add('found');
      li.scrollIntoView({ block: 'center' });
    }
    return;
  }
  const oldest = chat.oldestId(jump.room);
  if (!(oldest > jump.id) || jump.pages >= 10) {
    jump = null;
    notice('that message is no longer here (deleted, or older than what the room keeps)');
    renderRoom();
    return;
  }
  jump.pages++;
  chat.history(jump.room, 200);
}

$('search-form').addEventListener('submit', e => { e.preventDefault(); runSearch(false); });
$('search-more').addEventListener('click', () => runSearch(true));

// ---- the directory of public rooms

let browsing = { prefix: '', last: null };

function renderDirectory(page) {
  const list = $('directory');
  if (!browsing.last) list.replaceChildren();
  for (const entry of page.rooms) {
    const label = `#${entry.room} · ${entry.members}` + (entry.topic ? ` · ${entry.topic}` : '');
    const b = el('button', { type: 'button', textContent: label, title: 'join #' + entry.room });
    b.dataset.room = entry.room;
    b.addEventListener('click', () => open(entry.room));
    list.append(el('li', {}, b));
    browsing.last = entry.room;
  }
  if (page.after) browsing.last = page.after; // past rooms found empty, too
  if (!list.children.length) list.append(el('li', { className: 'notice', textContent: 'no public rooms found' }));
  $('browse-more').hidden = !page.more;
}

function browse(more) {
  if (!more) browsing = { prefix: $('browse-prefix').value.trim().toLowerCase(), last: null };
  chat.directory(browsing.prefix, more ? browsing.last : null);
}

$('browse-form').addEventListener('submit', e => { e.preventDefault(); browse(false); });
$('browse').addEventListener('toggle', () => { if ($('browse').open) browse(false); });
$('browse-more').addEventListener('click', () => browse(true));
$('topic-form').addEventListener('submit', e => {
  e.preventDefault();
  if (current) chat.setTopic(current, $('topic-text').value.trim());
  $('topic-text').value = '';
});

$('invite-link').addEventListener('click', async () => {
  const room = current;
  try {
    const link = await chat.inviteLink(room);
    const box = $('invite-link-text');
    box.value = link;
    box.dataset.room = room;
    box.hidden = false;
    box.select();
    if (navigator.clipboard) await navigator.clipboard.writeText(link).catch(() => {});
  } catch (e) {
    notice(e.message);
  }
});

// The room's incoming webhooks, for its moderators: made with a bot's name (the URL is shown once,
// to copy into the CI or monitoring that will post), listed by bot and maker, revoked one by one.
async function renderHooks() {
  const room = current;
  const list = $('hooks');
  list.dataset.room = room;
  try {
    const { webhooks } = await chat.webhooks(room);
    if (room !== current) return;
    list.replaceChildren(...webhooks.map(h => {
      const revoke = el('button', { type: 'button', className: 'link', textContent: 'revoke', title: `revoke ${h.name}'s webhook` });
      revoke.addEventListener('click', async () => {
        try {
          await chat.webhooks(room, 'DELETE', null, h.id);
        } catch (e) {
          notice(e.message);
        }
        renderHooks();
      });
      const li = el('li', {}, el('span', { textContent: `${h.name} · by ${h.by}` }), botMark(), revoke);
      li.dataset.hook = h.id;
      return li;
    }));
    if (!webhooks.length) list.append(el('li', { className: 'notice', textContent: 'no webhooks' }));
  } catch (e) {
    notice(e.message);
  }
}

$('hooks-box').addEventListener('toggle', () => { if ($('hooks-box').open) renderHooks(); });
$('hook-form').addEventListener('submit', async e => {
  e.preventDefault();
  const room = current;
  try {
    const made = await chat.webhooks(room, 'POST', { name: $('hook-name').value.trim() });
    $('hook-name').value = '';
    const box = $('hook-url');
    box.value = made.url;
    box.hidden = false;
    box.select();
    if (navigator.clipboard) await navigator.clipboard.writeText(made.url).catch(() => {});
    renderHooks();
  } catch (err) {
    notice(err.message);
  }
});

// The banned users, a page at a time, each with an unban button; asked when the list is opened
// and again after a ban or an unban while it is open.
let bansAfter = null;

function renderBans(page) {
  if (page.room !== current || !$('bans-box').open) return;
  const list = $('bans');
  if (!bansAfter) list.replaceChildren();
  list.dataset.room = page.room;
  for (const user of page.users) {
    const unban = el('button', { type: 'button', className: 'link', textContent: 'unban', title: 'unban ' + user });
    unban.addEventListener('click', () => chat.moderate('unban', page.room, user));
    const li = el('li', {}, el('span', { textContent: user }), unban);
    li.dataset.banned = user;
    list.append(li);
    bansAfter = user;
  }
  if (!list.children.length) list.append(el('li', { className: 'notice', textContent: 'nobody is banned' }));
  $('bans-more').hidden = !page.more;
}

function listBans(more) {
  if (!more) bansAfter = null;
  if (current) chat.bans(current, more ? bansAfter : null);
}

$('bans-box').addEventListener('toggle', () => { if ($('bans-box').open) listBans(false); });
$('bans-more').addEventListener('click', () => listBans(true));
$('invite-form').addEventListener('submit', e => {
  e.preventDefault();
  const user = $('invite-user').value.trim().toLowerCase();
  if (current && user) chat.moderate('invite', current, user);
  $('invite-user').value = '';
});
$('dm-form').addEventListener('submit', e => {
  e.preventDefault();
  const user = $('dm-user').value.trim().toLowerCase();
  if (user && user !== chat.user) open(directRoom(chat.user, user));
  $('dm-user').value = '';
});
$('leave').addEventListener('click', () => { if (current) chat.leave(current); });
$('show-rooms').addEventListener('click', () => $('sidebar').classList.toggle('open'));
// At phone widths the members panel (and with it invitations and moderation) opens over the room.
function showMembers(open) {
  $('members').parentElement.classList.toggle('open', open);
  $('show-members').setAttribute('aria-expanded', String(open));
  (open ? $('hide-members') : $('show-members')).focus();
}
$('show-members').addEventListener('click', () => showMembers(true));
$('hide-members').addEventListener('click', () => showMembers(false));

// How this server signs in (local accounts, an identity provider, or both), then a return from the
// provider, a saved session, or the sign-in screen.
(async () => {
  const how = await sso.methods();
  $('sso-button').hidden = !how.oidc;
  $('local-signin').hidden = how.local === false;
  let token = null;
  try {
    token = await sso.completeSignIn();
  } catch (e) {
    showSignIn(e.message);
    return;
  }
  if (token) localStorage.setItem(TOKEN, token);
  const saved = localStorage.getItem(TOKEN);
  if (saved) start(saved); else showSignIn();
})();
