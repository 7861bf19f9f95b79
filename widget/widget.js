/* Caty web widget: <script src="https://<caty>/widget.js" data-widget="<widgetId>" async></script> */
(function () {
  'use strict';
  if (window.CatyWidget) return;

  var me = document.currentScript;
  if (!me || !me.getAttribute('data-widget')) {
    // async scripts may run without currentScript.
    me = [].filter.call(document.querySelectorAll('script[data-widget]'), function (s) {
      return /\/widget\.js$/.test(s.src.split(/[?#]/)[0]);
    }).pop();
  }
  var wid = me && me.getAttribute('data-widget');
  if (!wid || !me.src) return;
  var base = new URL(me.src).origin + '/public/widgets/' + encodeURIComponent(wid);
  var KEY = 'caty:' + wid;

  var sess = load(), sp = null, name = 'Caty', lastId = null, histDone = false, retry = 2000, greet = null;
  var ctl = null, streaming = false, unread = 0, typingTimer = 0, wantOpen = false;
  var shown = new Map(), urls = new Map(), staged = null;
  var host, root, bubble, badge, unreadSr, panel, nameEl, titleEl, list, ty, form, ta, pick, chip, warn;
  // What a visitor may attach (DESIGN §11): the server says the same, this only saves a wasted upload.
  var MAX_FILE = 10 * 1024 * 1024, FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
  var lang = document.documentElement.lang;

  window.CatyWidget = {
    open: function () { panel ? open() : (wantOpen = true); },
    close: function () { if (panel) close(); else wantOpen = false; },
  };

  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(KEY));
      return v && v.token ? v : null;
    } catch (e) { return null; }
  }
  function store(v) {
    try { v ? localStorage.setItem(KEY, JSON.stringify(v)) : localStorage.removeItem(KEY); } catch (e) { /* storage blocked: session lasts for this page only */ }
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function uid() {
    try { return crypto.randomUUID(); } catch (e) { /* insecure context */ }
    var b = new Uint8Array(16);
    try { crypto.getRandomValues(b); } catch (e) { for (var i = 0; i < 16; i++) b[i] = Math.random() * 256; }
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var x = [].map.call(b, function (v) { return (v + 256).toString(16).slice(1); }).join('');
    return [x.slice(0, 8), x.slice(8, 12), x.slice(12, 16), x.slice(16, 20), x.slice(20)].join('-');
  }

  // ---- API ----

  function session() {
    if (!sp) {
      sp = (sess ? Promise.resolve(sess) : create()).catch(function (e) { sp = null; throw e; });
    }
    return sp;
  }
  function create() {
    return fetch(base + '/sessions', { method: 'POST', credentials: 'omit' }).then(function (r) {
      if (!r.ok) throw r;
      return r.json();
    }).then(function (j) {
      sess = { session_id: j.session_id, token: j.token };
      store(sess);
      meta(j.assistant_name, j.title);
      return sess;
    });
  }
  // A token the server no longer accepts: start a new conversation rather than stay stuck.
  function reset(s) {
    if (sess !== s) return;
    sess = sp = lastId = null;
    histDone = false;
    store(null);
    if (ctl) ctl.abort();
  }
  function call(method, path, body, again) {
    return session().then(function (s) {
      var hd = { Authorization: 'Bearer ' + s.token }, raw = body instanceof Blob;
      if (body) hd['Content-Type'] = raw ? body.type : 'application/json';
      return fetch(base + path, { method: method, headers: hd, credentials: 'omit', body: raw ? body : body && JSON.stringify(body) }).then(function (r) {
        if (r.status !== 401 || again) return r;
        reset(s);
        return call(method, path, body, true);
      });
    });
  }
  function after(r) {
    var v = r.headers.get('Retry-After'), s = +v;
    if (v && isNaN(s)) s = (Date.parse(v) - Date.now()) / 1000;
    return Math.min(60, Math.max(1, s || 5)) * 1000;
  }

  function loadHistory() {
    return call('GET', '/messages').then(function (r) {
      if (!r.ok) return;
      return r.json().then(function (j) {
        meta(j.assistant_name);
        // Anything already on screen came live, so it is newer than the history (the greeting stays first).
        var ref = histDone ? null : greet ? greet.nextSibling : list.firstChild;
        (j.messages || []).forEach(function (m) { add(m, ref); });
        histDone = true;
        list.scrollTop = list.scrollHeight;
      });
    }).catch(function () {});
  }

  function stream() {
    if (streaming) return;
    streaming = true;
    var fails = 0;
    (function loop() {
      var ok = false, s;
      session().then(function (x) {
        s = x;
        ctl = new AbortController();
        var hd = { Authorization: 'Bearer ' + s.token, Accept: 'text/event-stream' };
        if (lastId) hd['Last-Event-ID'] = lastId;
        return fetch(base + '/stream', { headers: hd, credentials: 'omit', cache: 'no-store', signal: ctl.signal });
      }).then(function (r) {
        if (r.status === 401) return reset(s);
        if (!r.ok || !r.body) throw r;
        ok = true;
        fails = 0;
        // Loaded once the stream is open, so no message falls between the two.
        if (!lastId) loadHistory();
        return read(r.body.getReader());
      }).catch(function () {}).then(function () {
        typing(false);
        if (!ok) {
          fails++;
          if (!histDone) loadHistory();
        }
        return sleep(Math.min(30000, retry * (fails > 1 ? Math.pow(2, fails - 1) : 1)));
      }).then(loop);
    })();
  }

  function read(reader) {
    var dec = new TextDecoder(), buf = '', ev = '', data = [], nid = null;
    return reader.read().then(function chunk(x) {
      if (x.done) return;
      buf += dec.decode(x.value, { stream: true });
      // A trailing \r waits: its \n may come in the next chunk.
      var lines = buf.split(/\r\n|\n|\r(?!$)/);
      buf = lines.pop();
      lines.forEach(function (line) {
        if (!line) {
          if (nid !== null) lastId = nid;
          if (data.length) onEvent(ev || 'message', data.join('\n'));
          ev = '';
          data = [];
          nid = null;
          return;
        }
        var i = line.indexOf(':');
        if (i === 0) return;
        var f = i < 0 ? line : line.slice(0, i), v = i < 0 ? '' : line.slice(i + 1);
        if (v[0] === ' ') v = v.slice(1);
        if (f === 'event') ev = v;
        else if (f === 'data') data.push(v);
        else if (f === 'id' && v.indexOf('\0') < 0) nid = v;
        else if (f === 'retry' && /^\d+$/.test(v)) retry = +v;
      });
      return reader.read().then(chunk);
    });
  }

  function onEvent(type, raw) {
    var d;
    try { d = JSON.parse(raw); } catch (e) { return; }
    if (type === 'message') {
      if (add(d) && (d.author === 'ai' || d.author === 'agent')) {
        typing(false);
        if (panel.hidden) badgeTo(unread + 1);
      }
    } else if (type === 'typing') typing(!!(d && d.typing));
  }

  function send(text, replyId, file) {
    text = text.trim();
    if (!text && !file) return;
    var m = { id: uid() };
    if (text) m.text = text;
    if (replyId) m.reply_id = replyId;
    var el = build({ author: 'customer', text: text, media: file && { kind: file.type === 'application/pdf' ? 'document' : 'image', size: file.size, filename: file.name, _u: URL.createObjectURL(file) } });
    el.setAttribute('data-u', '');
    el._t = text;
    // The stream's echo of this message carries the id the server gives it.
    shown.set('web:' + m.id, el);
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
    post(el, m, file);
  }

  // Same id on every retry, so the server counts one message; a file is uploaded once.
  function post(el, m, file) {
    var n = 0, w = 0;
    el.classList.add('pe');
    el.classList.remove('f');
    function go(path, body) {
      return call('POST', path, body).catch(function () { return null; }).then(function (r) {
        if (r && r.ok) return r.json().catch(function () { return {}; });
        if (r && r.status === 429 && w++ < 5) return sleep(after(r)).then(function () { return go(path, body); });
        if ((!r || r.status >= 500) && n++ < 3) return sleep(1000 * n).then(function () { return go(path, body); });
        throw r;
      });
    }
    (file && !m.media_id ? go('/media', file).then(function (j) { m.media_id = j.id; }) : Promise.resolve())
      .then(function () { return go('/messages', m); })
      .then(function (j) {
        if (j.message_id) shown.set(j.message_id, el);
        el.removeAttribute('data-u');
        el.classList.remove('pe');
      }, function (r) {
        el.classList.remove('pe');
        el.classList.add('f');
        // A file the server refuses (too large, not what it claims) would be refused again: say why instead of offering a retry.
        var refused = r && (r.status === 413 || r.status === 415);
        (refused ? r.json().catch(function () { return {}; }) : Promise.resolve({})).then(function (j) {
          var note = h('span', 'e', refused ? 'Not sent: ' + ((j.error && j.error.message) || 'the server does not take this file') : 'Not sent. ');
          if (!refused) {
            var b = h('button', '', 'Retry');
            b.type = 'button';
            b.onclick = function () { note.remove(); post(el, m, file); };
            note.appendChild(b);
          }
          el.appendChild(note);
        });
      });
  }

  // ---- UI ----

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function linkify(el, text) {
    String(text || '').split(/(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/).forEach(function (p, i) {
      if (i % 2) {
        var a = h('a', '', p);
        a.href = p;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        el.appendChild(a);
      } else if (p) el.appendChild(document.createTextNode(p));
    });
  }

  function size(n) {
    return n < 1024 ? n + ' B' : n < 1048576 ? Math.round(n / 1024) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }

  // A file's bytes as an object URL: its route wants the visitor token, which an <img src> cannot send.
  function fileUrl(f) {
    if (f._u) return Promise.resolve(f._u);
    var p = urls.get(f.id);
    if (!p) {
      p = call('GET', '/media/' + encodeURIComponent(f.id)).then(function (r) {
        if (!r.ok) throw r;
        return r.blob();
      }).then(function (b) { return URL.createObjectURL(b); });
      p.catch(function () { urls.delete(f.id); });
      urls.set(f.id, p);
    }
    return p;
  }

  function attachment(el, m) {
    var f = m.media, loc = m.location, c = m.contact, box, x;
    if (f) {
      var what = f.voice ? 'Voice message' : { image: 'Photo', sticker: 'Sticker', audio: 'Audio', video: 'Video' }[f.kind] || 'Document';
      if (f.expired) box = h('span', 'fx', what + (f.filename ? ' ' + f.filename : '') + ': the file has expired');
      else if (f.kind === 'image' || f.kind === 'sticker') {
        box = h('a', 'ph');
        box.target = '_blank';
        box.rel = 'noopener';
        x = h('img');
        x.alt = what + ' (opens full size)';
        x.onload = function () { list.scrollTop = list.scrollHeight; };
        box.appendChild(x);
        fileUrl(f).then(function (u) { x.src = box.href = u; }, function () { box.textContent = what + ' (not available)'; });
      } else if (f.kind === 'audio' || f.kind === 'video') {
        box = h('span', 'pl');
        x = h(f.kind);
        x.controls = true;
        x.preload = 'metadata';
        x.setAttribute('aria-label', what);
        box.appendChild(x);
        if (f.transcript) box.appendChild(h('span', 'tr', '\u201c' + f.transcript + '\u201d'));
        fileUrl(f).then(function (u) { x.src = u; }, function () {});
      } else {
        box = h('a', 'dc', (f.filename || what) + ' (' + size(f.size) + ')');
        box.href = '#';
        box.onclick = function (e) {
          e.preventDefault();
          fileUrl(f).then(function (u) {
            var d = h('a');
            d.href = u;
            d.download = f.filename || what;
            d.click();
          }, function () {});
        };
      }
    } else if (loc) {
      box = h('a', 'dc', (loc.live ? 'Live location' : 'Location') + ': ' + (loc.name || loc.latitude + ', ' + loc.longitude));
      box.href = 'https://www.openstreetmap.org/?mlat=' + loc.latitude + '&mlon=' + loc.longitude + '#map=17/' + loc.latitude + '/' + loc.longitude;
      box.target = '_blank';
      box.rel = 'noopener noreferrer';
      if (loc.address) box.appendChild(h('small', '', loc.address));
    } else if (c) {
      box = h('span', 'cc', 'Contact: ' + c.name);
      c.phones.forEach(function (p) {
        x = h('a', '', p);
        x.href = 'tel:' + p;
        box.appendChild(x);
      });
    }
    if (box) el.appendChild(box);
  }

  function build(m) {
    var a = m.author, el = h('div', 'm ' + ({ customer: 'me', agent: 'ag', system: 'sy' }[a] || 'ai'));
    if (a === 'agent') el.appendChild(h('span', 'a', 'Agent'));
    else if (a !== 'system') el.appendChild(h('span', 'sr', a === 'customer' ? 'You: ' : name + ': '));
    attachment(el, m);
    linkify(el, m.text);
    if (m.at) el.title = new Date(m.at).toLocaleString();
    if (a !== 'customer') {
      var opts = m.buttons || (m.list && m.list.items);
      if (opts && opts.length) {
        var o = h('div', m.list && !m.buttons ? 'o li' : 'o');
        if (!m.buttons && m.list.title) o.appendChild(h('b', '', m.list.title));
        opts.forEach(function (it) {
          var b = h('button', '', it.title);
          b.type = 'button';
          if (it.description) b.appendChild(h('small', '', it.description));
          b.onclick = function () { send(it.title, it.id); };
          o.appendChild(b);
        });
        el.appendChild(o);
      }
    }
    return el;
  }

  // Returns the new element, or nothing when the message is already on screen.
  function add(m, ref) {
    if (!m || m.id == null || shown.has(m.id)) return;
    if (m.author === 'customer') {
      // The echo of a message sent from here may arrive before its POST answers.
      var mine = list.querySelectorAll('.me[data-u]');
      for (var i = 0; i < mine.length; i++) {
        if (mine[i]._t === String(m.text).trim()) {
          mine[i].removeAttribute('data-u');
          shown.set(m.id, mine[i]);
          return;
        }
      }
    }
    var el = build(m), end = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    shown.set(m.id, el);
    list.insertBefore(el, ref || null);
    if (!ref && end) list.scrollTop = list.scrollHeight;
    return el;
  }

  function typing(on) {
    clearTimeout(typingTimer);
    if (!ty) return;
    ty.hidden = !on;
    // If the answer never comes (e.g. waiting for an agent), do not claim typing forever.
    if (on) typingTimer = setTimeout(typing, 60000, false);
  }

  function badgeTo(n) {
    unread = n;
    badge.textContent = n > 9 ? '9+' : n;
    badge.hidden = !n;
    unreadSr.textContent = n ? n + ' unread' : '';
  }

  // The greeting the panel opens with, in the language the server chose for this page: not a message, just the first thing shown.
  function greeting(g) {
    if (!g || !g.text) return;
    if (!greet) {
      greet = h('div', 'm ai');
      greet.dir = 'auto';
      list.insertBefore(greet, list.firstChild);
    }
    greet.lang = g.language;
    greet.textContent = '';
    greet.appendChild(h('span', 'sr', name + ': '));
    linkify(greet, g.text);
  }

  function meta(n, t) {
    if (n) name = n;
    if (!panel) return;
    bubble.setAttribute('aria-label', 'Open chat with ' + name);
    panel.setAttribute('aria-label', name + ' chat');
    nameEl.textContent = name;
    ty.textContent = name + ' is typing\u2026';
    if (t !== undefined) {
      titleEl.textContent = t || '';
      titleEl.hidden = !t;
    }
  }

  function open() {
    panel.hidden = false;
    bubble.setAttribute('aria-expanded', 'true');
    badgeTo(0);
    stream();
    list.scrollTop = list.scrollHeight;
    // On touch screens, focusing the textarea would throw up the keyboard over the history.
    (matchMedia('(pointer:coarse)').matches ? panel : ta).focus();
  }

  function close(refocus) {
    // Safari does not focus a clicked button, so the close button and Escape say so themselves.
    refocus = refocus === true || panel.contains(root.activeElement);
    panel.hidden = true;
    bubble.setAttribute('aria-expanded', 'false');
    if (refocus) bubble.focus();
  }

  function submit(e) {
    if (e) e.preventDefault();
    var v = ta.value, file = staged;
    if (!v.trim() && !file) return;
    ta.value = '';
    grow();
    stage(null);
    send(v, null, file);
  }

  // A chosen file waits above the box until Send, so the visitor can add a caption; one refused says why.
  function stage(file) {
    warn.hidden = true;
    if (file && FILE_TYPES.indexOf(file.type) < 0) return refuse('You can send photos (JPEG or PNG) and PDF documents.');
    if (file && file.size > MAX_FILE) return refuse(file.name + ' is ' + size(file.size) + '; files up to 10 MB can be sent.');
    staged = file;
    chip.hidden = !file;
    if (file) {
      chip.firstChild.textContent = file.name + ' (' + size(file.size) + ')';
      ta.focus();
    }
  }
  function refuse(why) {
    warn.textContent = why;
    warn.hidden = false;
  }

  function grow() {
    ta.style.height = 'auto';
    ta.style.height = Math.min(ta.scrollHeight, 120) + 'px';
  }

  var CSS =
    ':host{all:initial;color-scheme:light}*{box-sizing:border-box}[hidden]{display:none!important}' +
    '.b,.p{--c:#4338ca;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;text-align:left;position:fixed;right:20px;z-index:2147483000}' +
    '.b{bottom:20px;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}' +
    '.b svg{width:28px;height:28px}' +
    '.c{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#c81e1e;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}' +
    '.p{bottom:88px;width:370px;height:min(600px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}' +
    'header{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;background:var(--c);color:#fff}' +
    'header div{flex:1;min-width:0}.n{display:block;font-weight:600;font-size:16px}.t{display:block;font-size:13px;opacity:.9}' +
    '.x{flex:none;width:36px;height:36px;padding:0;border:0;border-radius:50%;background:none;color:inherit;cursor:pointer;display:grid;place-items:center}.x:hover{background:rgba(255,255,255,.15)}' +
    '.l{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f5f6f8}' +
    '.m{max-width:85%;align-self:flex-start;padding:8px 12px;border:1px solid #e2e4e8;border-radius:14px;background:#fff;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '.me{align-self:flex-end;background:var(--c);border-color:var(--c);color:#fff}.me a{color:inherit}.pe{opacity:.65}' +
    '.f{background:#fdecec;border-color:#f3b4b4;color:#7a1212}.e{display:block;font-size:12px;margin-top:4px}' +
    '.e button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;text-decoration:underline;cursor:pointer}' +
    '.ag{background:#fff7e0;border-color:#e9b949}.a{display:block;font-size:12px;font-weight:700;color:#7a4d00}' +
    '.sy{align-self:center;background:none;border:0;color:#555;font-size:13px;text-align:center}' +
    '.o{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;white-space:normal}.o b{width:100%;font-size:13px}' +
    '.o button{font:inherit;font-size:14px;padding:6px 12px;border:1px solid var(--c);border-radius:16px;background:#fff;color:var(--c);cursor:pointer;text-align:left}' +
    '.o button:hover{background:#eef}.li button{width:100%;border-radius:8px}.o small{display:block;color:#555;font-size:12px}' +
    '.ty{padding:4px 16px;font-size:13px;font-style:italic;color:#555}' +
    '.ph,.pl,.dc,.cc,.fx{display:block;margin-bottom:4px;white-space:normal}.ph img{display:block;max-width:100%;max-height:200px;min-width:60px;min-height:40px;border-radius:8px;background:#e2e4e8}' +
    '.pl audio,.pl video{display:block;max-width:100%}.tr{display:block;font-size:13px;font-style:italic}.dc{font-weight:600;color:inherit}.dc small,.cc a{display:block;font-weight:400}.cc a{color:inherit}.fx{font-style:italic}' +
    '.st{display:flex;align-items:center;gap:6px;margin:8px 10px 0;padding:4px 4px 4px 10px;border-radius:8px;background:#eef;font-size:13px}.st span{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}' +
    '.st button,.at{flex:none;width:40px;height:40px;padding:0;border:0;border-radius:10px;background:none;color:#333;cursor:pointer;display:grid;place-items:center}.st button{width:28px;height:28px}.at:hover,.st button:hover{background:#e2e4e8}' +
    '.w{margin:8px 10px 0;padding:6px 10px;border-radius:8px;background:#fdecec;color:#7a1212;font-size:13px}' +
    'form{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #e2e4e8}' +
    'textarea{flex:1;min-height:40px;max-height:120px;resize:none;padding:8px 10px;border:1px solid #c4c7d0;border-radius:10px;font:inherit;font-size:16px;color:inherit;background:#fff}' +
    'form [type=submit]{height:40px;padding:0 16px;border:0;border-radius:10px;background:var(--c);color:#fff;font:inherit;font-weight:600;cursor:pointer}' +
    ':focus-visible{outline:2px solid #fff;outline-offset:0;box-shadow:0 0 0 4px #1d4ed8}.p:focus-visible{outline:0;box-shadow:0 8px 30px rgba(0,0,0,.25)}.l:focus-visible{outline:0;box-shadow:inset 0 0 0 3px #1d4ed8}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    '@media(max-width:480px){.p{inset:0;width:auto;height:auto;border-radius:0}}';

  var HTML =
    '<button class="b" type="button" aria-expanded="false" aria-controls="p" aria-describedby="u">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>' +
    '<span class="c" aria-hidden="true" hidden></span><span class="sr" id="u"></span></button>' +
    '<div class="p" id="p" role="dialog" tabindex="-1" hidden>' +
    '<header><div><span class="n"></span><span class="t" hidden></span></div>' +
    '<button class="x" type="button" aria-label="Close chat"><svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg></button></header>' +
    '<div class="l" role="log" aria-live="polite" aria-label="Messages" tabindex="0"></div>' +
    '<div class="ty" role="status" hidden></div>' +
    '<p class="w" role="alert" hidden></p>' +
    '<div class="st" hidden><span></span><button type="button" aria-label="Remove the attached file"><svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg></button></div>' +
    '<form><button class="at" type="button" aria-label="Attach a photo or PDF"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg></button>' +
    '<input type="file" accept="image/jpeg,image/png,application/pdf" tabindex="-1" aria-hidden="true" hidden>' +
    '<label class="sr" for="i">Message</label><textarea id="i" rows="1" maxlength="4096" placeholder="Type a message\u2026"></textarea>' +
    '<button type="submit">Send</button></form></div>';

  function mount() {
    if (document.getElementById('caty-widget')) return;
    host = h('div');
    host.id = 'caty-widget';
    root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>' + CSS + '</style>' + HTML;
    var q = function (s) { return root.querySelector(s); };
    bubble = q('.b');
    badge = q('.c');
    unreadSr = q('#u');
    panel = q('.p');
    nameEl = q('.n');
    titleEl = q('.t');
    list = q('.l');
    ty = q('.ty');
    form = q('form');
    ta = q('textarea');
    pick = q('[type=file]');
    chip = q('.st');
    warn = q('.w');

    bubble.onclick = function () { panel.hidden ? open() : close(); };
    q('.x').onclick = function () { close(true); };
    form.onsubmit = submit;
    q('.at').onclick = function () { pick.click(); };
    pick.onchange = function () {
      stage(pick.files[0] || null);
      pick.value = '';
    };
    chip.lastChild.onclick = function () {
      stage(null);
      ta.focus();
    };
    ta.oninput = grow;
    ta.onkeydown = function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) submit(e);
    };
    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') close(true);
      // Keep the host page's keyboard shortcuts from firing while the visitor types here.
      e.stopPropagation();
    });
    panel.addEventListener('keypress', function (e) { e.stopPropagation(); });

    meta(name);
    document.body.appendChild(host);
    // The assistant's name and the greeting before any session exists. A returning visitor also
    // resumes the conversation now, so replies show up in the badge.
    fetch(base + (lang ? '?lang=' + encodeURIComponent(lang) : ''), { credentials: 'omit' }).then(function (r) { return r.ok && r.json(); }).then(function (j) {
      if (j) {
        meta(j.assistant_name, j.title);
        greeting(j.greeting);
      }
    }).catch(function () {});
    if (sess) stream();
    if (wantOpen) open();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
