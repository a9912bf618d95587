/* coexist report.html: finds users and draws their paths from the page
   data (see render/html pageData for the format), and filters the
   findings. Every inventory string is inserted as text, never as markup. */
(function () {
  'use strict';
  var dataEl = document.getElementById('plan-data');
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var S = D.S, N = D.Names;
  var MAX_RESULTS = 50;
  var announce = window.coexistAnnounce || function () {};

  /* ---- helpers ---- */
  var SVGNS = 'http://www.w3.org/2000/svg';
  function h(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'class') e.className = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function icon(name) {
    var s = document.createElementNS(SVGNS, 'svg');
    s.setAttribute('class', 'icon');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    var u = document.createElementNS(SVGNS, 'use');
    u.setAttribute('href', '#i-' + name);
    s.appendChild(u);
    return s;
  }
  function kindOf(o) { return N.outcomeKind[o] || 'na'; }
  function badge(kind, label) { return h('span', { class: 'badge k-' + kind }, [icon(kind), h('span', { text: label })]); }
  function outcomeBadge(o) { return badge(kindOf(o), N.outcome[o] || o); }
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function plural(n, one, many) { return n === 1 ? '1 ' + one : num(n) + ' ' + many; }
  function str(i) { return S[i]; }
  // breakable is a name as text with line-break opportunities after dots,
  // @ and underscores, so long e-mail-like names wrap at their parts.
  function breakable(tag, cls, name) {
    var e = h(tag, cls ? { class: cls } : null);
    name.split(/([.@_])/).forEach(function (part, k) {
      if (part) e.appendChild(document.createTextNode(part));
      if (k % 2 === 1) e.appendChild(document.createElement('wbr'));
    });
    return e;
  }
  function rank(o) { var r = N.outcomeOrder.indexOf(o); return r < 0 ? N.outcomeOrder.length : r; }
  function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
  var redirect = {};
  N.redirect.forEach(function (a) { redirect[a] = true; });

  /* ---- the data ---- */
  function mbx(i) { var m = D.M[i]; return { server: S[m[0]], version: S[m[1]], site: S[m[2]], database: S[m[3]] }; }
  function hop(i) { var x = D.H[i]; return { from: S[x[0]], to: S[x[1]], host: S[x[2]], action: S[x[3]], auth: S[x[4]] }; }
  function path(i) {
    var p = D.P[i];
    return { protocol: S[p[0]], location: S[p[1]], secondary: S[p[2]], entry: S[p[3]], outcome: S[p[4]],
      mailbox: mbx(p[5]), hops: p[6].map(hop), notes: p[7].map(str), rules: p[8].map(str) };
  }
  function cohort(ci) {
    var c = D.C[ci];
    return { index: ci, id: c[0], key: S[c[1]], mailbox: mbx(c[2]), profile: S[c[3]], namespace: S[c[4]],
      secondary: c[5].map(str), users: c[6], paths: c[7] };
  }
  // Worst outcome and search text of each cohort.
  var worst = D.C.map(function (c) {
    var w = '';
    c[7].forEach(function (pi) { var o = S[D.P[pi][4]]; if (w === '' || rank(o) < rank(w)) w = o; });
    return w;
  });
  // A cohort is found by what its users share and by every server, load
  // balancer and name on its paths ("who depends on this CAS?").
  var hay = D.C.map(function (c, ci) {
    var co = cohort(ci), m = co.mailbox;
    var words = ['cohort ' + co.id, '#' + co.id, m.server, 'exchange ' + m.version, m.site, m.database, co.profile, co.namespace]
      .concat(co.secondary);
    var seen = {};
    c[7].forEach(function (pi) {
      D.P[pi][6].forEach(function (hi) {
        if (seen[hi]) return;
        seen[hi] = true;
        var x = D.H[hi];
        words.push(S[x[0]], S[x[1]], S[x[2]]);
      });
    });
    return words.join(' \u0001 ').toLowerCase();
  });
  var problem = worst.map(function (o) { return o === 'broken' || o === 'warning'; });
  var lower = null; // user names in lower case, built on first search

  /* ---- search ---- */
  var q = document.getElementById('q');
  var onlyProblems = document.getElementById('q-problems');
  var results = document.getElementById('results');
  var status = document.getElementById('q-status');
  var pane = document.getElementById('user');
  var usersSection = document.getElementById('users');
  var selected = -1;

  function search(text, problems) {
    if (!lower) lower = D.U.map(function (u) { return u.toLowerCase(); });
    var toks = text.toLowerCase().split(/\s+/).filter(Boolean);
    var cm = toks.map(function (t) { return hay.map(function (s) { return s.indexOf(t) >= 0; }); });
    var buckets = [[], [], [], []], total = 0, cohorts = {};
    for (var i = 0; i < lower.length; i++) {
      var ci = D.UC[i];
      if (problems && !problem[ci]) continue;
      var nl = lower[i], nameAll = true, ok = true;
      for (var k = 0; k < toks.length; k++) {
        if (nl.indexOf(toks[k]) < 0) {
          nameAll = false;
          if (!cm[k][ci]) { ok = false; break; }
        }
      }
      if (!ok) continue;
      total++;
      cohorts[ci] = true;
      var r = 3;
      if (toks.length === 0) r = 2;
      else if (nameAll) r = (toks.length === 1 && nl === toks[0]) ? 0 : (nl.indexOf(toks[0]) === 0 ? 1 : 2);
      if (buckets[r].length < MAX_RESULTS) buckets[r].push(i);
    }
    var list = buckets[0].concat(buckets[1], buckets[2], buckets[3]).slice(0, MAX_RESULTS);
    return { list: list, total: total, cohorts: Object.keys(cohorts).length, query: text.trim() };
  }

  function resultItem(i) {
    var co = cohort(D.UC[i]), m = co.mailbox, w = worst[co.index];
    var meta = [m.site, m.database, m.server + (m.version ? ' (' + m.version + ')' : ''), 'cohort ' + co.id].filter(Boolean).join(' · ');
    var b = h('button', { type: 'button', class: 'result', 'data-u': i, 'aria-current': i === selected ? 'true' : 'false' }, [
      breakable('span', 'r-name', D.U[i]),
      h('span', { class: 'r-out k-' + kindOf(w) + '-text', title: 'Worst path: ' + (N.outcome[w] || w) }, [icon(kindOf(w)), h('span', { class: 'sr-only', text: ', worst path ' + (N.outcome[w] || w) })]),
      h('span', { class: 'r-meta', text: meta })
    ]);
    return h('li', null, [b]);
  }

  function runSearch() {
    var res = search(q.value, onlyProblems.checked);
    results.textContent = '';
    var frag = document.createDocumentFragment();
    res.list.forEach(function (i) { frag.appendChild(resultItem(i)); });
    results.appendChild(frag);
    var what = onlyProblems.checked ? ' with warnings or broken paths' : '';
    var msg;
    if (res.total === 0) msg = res.query ? 'No user' + what + ' matches “' + res.query + '”.' : 'No user' + what + '.';
    else if (!res.query) msg = plural(res.total, 'user', 'users') + what + (res.total > res.list.length ? '; showing the first ' + res.list.length + ' by name. Type to narrow the list.' : '.');
    else {
      msg = plural(res.total, 'user', 'users') + what + ' in ' + plural(res.cohorts, 'cohort', 'cohorts') + ' match “' + res.query + '”';
      msg += res.total > res.list.length ? '; showing the first ' + res.list.length + '. Refine the search to see others.' : '.';
    }
    status.textContent = msg;
  }

  var timer = 0;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(runSearch, D.U.length > 20000 ? 120 : 0);
  }
  q.addEventListener('input', schedule);
  onlyProblems.addEventListener('change', runSearch);
  q.addEventListener('keydown', function (e) {
    var first = results.querySelector('button.result');
    if (e.key === 'ArrowDown' && first) { e.preventDefault(); first.focus(); select(+first.getAttribute('data-u')); }
    else if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      runSearch();
      first = results.querySelector('button.result');
      if (first) select(+first.getAttribute('data-u'));
    }
  });
  results.addEventListener('keydown', function (e) {
    var items = Array.prototype.slice.call(results.querySelectorAll('button.result'));
    var at = items.indexOf(document.activeElement);
    if (at < 0) return;
    var to = -1;
    if (e.key === 'ArrowDown') to = Math.min(at + 1, items.length - 1);
    else if (e.key === 'ArrowUp') { if (at === 0) { e.preventDefault(); q.focus(); return; } to = at - 1; }
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = items.length - 1;
    else if (e.key === 'Escape') { e.preventDefault(); q.focus(); return; }
    // The highlighted (focused) result is always the one shown.
    if (to >= 0) { e.preventDefault(); items[to].focus(); select(+items[to].getAttribute('data-u')); }
  });
  results.addEventListener('click', function (e) {
    var b = e.target.closest('button.result');
    if (b) select(+b.getAttribute('data-u'));
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !(t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)))) {
      e.preventDefault();
      q.focus();
      q.select();
    }
  });

  /* ---- one user ---- */
  function select(i) {
    selected = i;
    results.querySelectorAll('button.result').forEach(function (b) {
      b.setAttribute('aria-current', +b.getAttribute('data-u') === i ? 'true' : 'false');
    });
    renderUser(i);
    usersSection.classList.remove('empty');
    try { history.replaceState(null, '', '#user=' + encodeURIComponent(D.U[i])); } catch (err) { /* file: URLs may refuse */ }
    announce('Showing the paths of ' + D.U[i] + '.');
  }

  function fact(label, value) {
    if (!value) return null;
    return h('div', null, [h('dt', { text: label }), h('dd', { text: value })]);
  }

  function othersInCohort(ci, self) {
    var names = [], n = 0;
    for (var i = 0; i < D.UC.length; i++) {
      if (D.UC[i] !== ci || i === self) continue;
      n++;
      if (names.length < 8) names.push(D.U[i]);
    }
    return { names: names, n: n };
  }

  var filterState = { protocol: '', location: '', problems: false };

  function renderUser(i) {
    var ci = D.UC[i], co = cohort(ci), m = co.mailbox;
    var paths = co.paths.map(path);
    pane.textContent = '';
    var heading = breakable('h3', '', D.U[i]);
    heading.id = 'user-h';
    heading.tabIndex = -1;
    var facts = h('dl', { class: 'facts' }, [
      fact('Mailbox server', m.server + (m.version ? ' (Exchange ' + m.version + ')' : '')),
      fact('Site', m.site),
      fact('Database', m.database),
      fact('Client profile', co.profile),
      fact('Namespace', co.namespace),
      fact('Full Access to', co.secondary.join(', ')),
      fact('Cohort', co.id + ' of ' + num(D.C.length) + ' · ' + plural(co.users, 'user', 'users'))
    ]);
    pane.appendChild(h('div', { class: 'user-head' }, [heading, facts]));

    // Overview: the worst outcome per protocol and location.
    var protos = N.protocols.filter(function (p) { return paths.some(function (x) { return x.protocol === p; }); });
    var locs = ['internal', 'external'];
    var first = {};
    paths.forEach(function (p, k) { var key = p.protocol + '/' + p.location; if (!(key in first)) first[key] = k; });
    var thead = h('thead', null, [h('tr', null, [h('th', { scope: 'col' }, [h('span', { class: 'sr-only', text: 'Location' })])].concat(
      protos.map(function (p) { return h('th', { scope: 'col', title: N.protocol[p] || p, text: N.protocolShort[p] || p }); })))]);
    var tbody = h('tbody', null, locs.map(function (loc) {
      return h('tr', null, [h('th', { scope: 'row', text: cap(loc) })].concat(protos.map(function (p) {
        var w = '';
        paths.forEach(function (x) { if (x.protocol === p && x.location === loc && (w === '' || rank(x.outcome) < rank(w))) w = x.outcome; });
        if (!w) return h('td', { class: 'muted', text: '–' });
        var word = w === 'not-applicable' ? 'N/A' : N.outcome[w];
        var a = h('a', { href: '#path-' + first[p + '/' + loc], class: 'k-' + kindOf(w) + '-text', title: (N.protocol[p] || p) + ', ' + loc + ': ' + N.outcome[w] }, [icon(kindOf(w)), h('span', { text: word })]);
        a.addEventListener('click', function (e) { e.preventDefault(); reveal(first[p + '/' + loc]); });
        return h('td', null, [a]);
      })));
    }));
    pane.appendChild(h('div', { class: 'matrix-wrap' }, [h('table', { class: 'matrix', 'aria-label': 'Worst outcome per protocol and location' }, [thead, tbody])]));

    // Filters of the path list.
    var protoSel = h('select', { id: 'pf-protocol' }, [h('option', { value: '', text: 'All protocols' })].concat(
      protos.map(function (p) { return h('option', { value: p, text: N.protocolShort[p] || p }); })));
    var locSel = h('select', { id: 'pf-location' }, [h('option', { value: '', text: 'Internal and external' }),
      h('option', { value: 'internal', text: 'Internal' }), h('option', { value: 'external', text: 'External' })]);
    var probs = h('input', { type: 'checkbox', id: 'pf-problems' });
    if (protos.indexOf(filterState.protocol) < 0) filterState.protocol = '';
    protoSel.value = filterState.protocol;
    locSel.value = filterState.location;
    probs.checked = filterState.problems;
    var shown = h('p', { class: 'status', role: 'status' });
    pane.appendChild(h('div', { class: 'path-filters', role: 'group', 'aria-label': 'Filter the paths' }, [
      h('label', { class: 'field' }, ['Protocol', protoSel]),
      h('label', { class: 'field' }, ['Location', locSel]),
      h('label', { class: 'check' }, [probs, ' Only warnings and broken paths'])
    ]));
    pane.appendChild(shown);
    var list = h('div', { class: 'path-list' });
    pane.appendChild(list);

    function draw() {
      filterState = { protocol: protoSel.value, location: locSel.value, problems: probs.checked };
      list.textContent = '';
      var count = 0;
      N.protocols.forEach(function (p) {
        var group = [];
        paths.forEach(function (x, k) {
          if (x.protocol !== p) return;
          if (filterState.protocol && p !== filterState.protocol) return;
          if (filterState.location && x.location !== filterState.location) return;
          if (filterState.problems && !(x.outcome === 'broken' || x.outcome === 'warning')) return;
          group.push(k);
        });
        if (!group.length) return;
        count += group.length;
        var sec = h('section', { class: 'proto-group', 'aria-label': N.protocol[p] || p }, [h('h4', { text: N.protocol[p] || p })]);
        group.forEach(function (k) { sec.appendChild(pathCard(paths, k)); });
        list.appendChild(sec);
      });
      shown.textContent = count === paths.length ? plural(count, 'path', 'paths') + '.' : 'Showing ' + num(count) + ' of ' + plural(paths.length, 'path', 'paths') + '.';
      if (!count) list.appendChild(h('p', { class: 'muted', text: 'No path matches the filters.' }));
    }
    function reveal(k) {
      var x = paths[k];
      if ((protoSel.value && protoSel.value !== x.protocol) || (locSel.value && locSel.value !== x.location) ||
          (probs.checked && !(x.outcome === 'broken' || x.outcome === 'warning'))) {
        protoSel.value = ''; locSel.value = ''; probs.checked = false;
        draw();
      }
      var card = document.getElementById('path-' + k);
      if (card) { card.scrollIntoView({ block: 'start' }); card.focus({ preventScroll: true }); }
    }
    [protoSel, locSel, probs].forEach(function (c) { c.addEventListener('change', draw); });
    draw();

    var others = othersInCohort(ci, i);
    if (others.n > 0) {
      pane.appendChild(h('p', { class: 'others', text: 'The same paths apply to ' + plural(others.n, 'other user', 'other users') + ' of cohort ' + co.id + ': ' +
        others.names.join(', ') + (others.n > others.names.length ? ' and ' + num(others.n - others.names.length) + ' more.' : '.') }));
    }
  }

  // variant describes which path of the protocol and location this is.
  function variant(paths, k) {
    var x = paths[k], parts = [];
    var siblings = paths.some(function (y, j) { return j !== k && y.protocol === x.protocol && y.location === x.location && y.secondary === x.secondary && y.entry !== x.entry; });
    if (x.entry) parts.push(['entered as ', x.entry, ' (the organisation\u2019s primary name)']);
    else if (siblings && x.hops.length) parts.push(['entered as ', x.hops[0].host, ' (the user\u2019s own namespace)']);
    if (x.secondary) parts.push(['Full Access mailbox in ', x.secondary, ' on ' + x.mailbox.server]);
    return parts;
  }

  function chain(x) {
    if (!x.hops.length) return h('div', { class: 'chain' }, [h('p', { class: 'muted no-path', text: 'No path: ' + (N.outcome[x.outcome] || x.outcome) + '.' })]);
    var ol = h('ol', { class: 'hops' });
    x.hops.forEach(function (hp, n) {
      ol.appendChild(h('li', { class: 'hop' + (redirect[hp.action] ? ' redirect' : '') }, [
        h('span', { class: 'edge' }, [
          h('span', { class: 'edge-top' }, [
            h('span', { class: 'sr-only', text: 'hop ' + (n + 1) + ': ' }),
            h('span', { class: 'action', text: N.action[hp.action] || hp.action }),
            h('span', { class: 'auth', text: N.auth[hp.auth] || hp.auth })
          ]),
          h('span', { class: 'edge-line', 'aria-hidden': 'true' }),
          h('span', { class: 'edge-host', text: hp.host })
        ]),
        h('span', { class: 'node' }, [icon('server'), h('span', { text: hp.to })])
      ]));
    });
    var from = x.hops[0].from;
    return h('div', { class: 'chain' }, [
      h('span', { class: 'node node-client', title: cap(x.location) + ' client' }, [icon('client'), h('span', { text: from }), h('span', { class: 'sr-only', text: ' (' + x.location + ')' })]),
      ol
    ]);
  }

  // noteItem shows a path note; its short citation ("[3, 7]", numbered
  // into the source list at the end of the page) becomes links.
  function noteItem(n) {
    var m = /^([\s\S]*) \[(\d+(?:, \d+)*)\]$/.exec(n);
    if (!m) return h('li', { text: n });
    var kids = [m[1] + ' '];
    m[2].split(', ').forEach(function (k) {
      kids.push(h('a', { class: 'cite', href: '#src-' + k, text: '[' + k + ']' }));
    });
    return h('li', null, kids);
  }

  var cardSeq = 0;
  function pathCard(paths, k) {
    var x = paths[k];
    var title = h('h5', null, [cap(x.location)]);
    variant(paths, k).forEach(function (v) {
      title.appendChild(h('span', { class: 'variant' }, [', ' + v[0], h('b', { text: v[1] }), v[2]]));
    });
    var card = h('article', { class: 'path k-' + kindOf(x.outcome), id: 'path-' + k, tabindex: '-1',
      'data-protocol': x.protocol, 'data-location': x.location, 'data-entry': x.entry, 'data-secondary': x.secondary }, [
      h('div', { class: 'path-head' }, [title, outcomeBadge(x.outcome)]),
      chain(x)
    ]);
    if (x.notes.length) card.appendChild(h('ul', { class: 'notes' }, x.notes.map(noteItem)));
    if (x.rules.length) {
      var infoId = 'rule-info-' + (++cardSeq);
      var info = h('div', { class: 'rule-info', id: infoId, hidden: true });
      var row = h('div', { class: 'rules' }, [h('span', { class: 'rules-label', text: 'Rules' })]);
      x.rules.forEach(function (id) {
        var r = D.R[id];
        var tip = r ? id + ': ' + r[0] + ' — sources ' + r[1] : id;
        var b = h('button', { type: 'button', class: 'rule', title: tip, 'aria-expanded': 'false', 'aria-controls': infoId, text: id });
        b.addEventListener('click', function () {
          var open = b.getAttribute('aria-expanded') === 'true';
          row.querySelectorAll('button.rule').forEach(function (o) { o.setAttribute('aria-expanded', 'false'); });
          if (open) { info.hidden = true; return; }
          b.setAttribute('aria-expanded', 'true');
          info.textContent = '';
          info.appendChild(h('span', { class: 'rule-id', text: id }));
          info.appendChild(document.createTextNode(r ? r[0] + '. ' : ''));
          info.appendChild(h('span', { class: 'muted', text: r ? 'Sources: ' + r[1] + ' (see Sources below).' : 'No rule text.' }));
          if (r && r[2]) info.appendChild(h('span', { class: 'inferred', title: 'Our reading of the sources: verify it', text: 'inferred' }));
          info.hidden = false;
        });
        row.appendChild(b);
      });
      row.appendChild(info);
      card.appendChild(row);
    }
    return card;
  }

  /* ---- findings filters ---- */
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  var fSubject = document.getElementById('f-subject');
  var fRule = document.getElementById('f-rule');
  var fText = document.getElementById('f-text');
  var fStatus = document.getElementById('f-status');
  var fNone = document.getElementById('f-none');
  var sevBoxes = Array.prototype.slice.call(document.querySelectorAll('.sev-filter input[name=sev]'));
  var rowText = rows.map(function (r) { return r.textContent.toLowerCase(); });
  function filterFindings() {
    var sev = {};
    sevBoxes.forEach(function (b) { sev[b.value] = b.checked; });
    var subj = fSubject.value, rule = fRule.value, t = fText.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r, k) {
      var ok = sev[r.getAttribute('data-sev')] && (!subj || r.getAttribute('data-subject') === subj) &&
        (!rule || r.getAttribute('data-rule') === rule) && (!t || rowText[k].indexOf(t) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    var filtered = shown !== rows.length;
    fStatus.textContent = filtered ? 'Showing ' + num(shown) + ' of ' + plural(rows.length, 'finding', 'findings') + ' (filtered).' : 'Showing all ' + plural(rows.length, 'finding', 'findings') + '.';
    fNone.hidden = shown !== 0;
  }
  if (rows.length) {
    sevBoxes.forEach(function (b) { b.addEventListener('change', filterFindings); });
    fSubject.addEventListener('change', filterFindings);
    fRule.addEventListener('change', filterFindings);
    fText.addEventListener('input', filterFindings);
    document.getElementById('f-reset').addEventListener('click', function () {
      sevBoxes.forEach(function (b) { b.checked = true; });
      fSubject.value = ''; fRule.value = ''; fText.value = '';
      filterFindings();
    });
  }

  /* ---- start: #user=NAME opens that user (links, bookmarks, back) ---- */
  function fromHash() {
    var m = /^#user=(.*)$/.exec(location.hash);
    if (!m) return;
    var name = '';
    try { name = decodeURIComponent(m[1]); } catch (err) { return; }
    var at = D.U.indexOf(name);
    if (at < 0 || at === selected) return;
    q.value = name;
    runSearch();
    select(at);
    usersSection.scrollIntoView();
  }
  usersSection.classList.add('empty');
  runSearch();
  fromHash();
  window.addEventListener('hashchange', fromHash);
})();
