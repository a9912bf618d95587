/* coexist: behaviour shared by report.html and diff.html — copy buttons,
   printing, diagram zoom, and the section tabs. Plain ES2017, no
   libraries, nothing fetched. */
(function () {
  'use strict';

  // A visually hidden live region for short announcements.
  var live = document.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  document.body.appendChild(live);
  function announce(msg) {
    live.textContent = '';
    setTimeout(function () { live.textContent = msg; }, 30);
  }
  window.coexistAnnounce = announce;

  // Copy buttons copy a finding's whole remediation, prose and commands.
  function remediationText(btn) {
    var box = btn.closest('.remedy');
    var parts = [];
    box.querySelectorAll('.remedy-body > *').forEach(function (el) { parts.push(el.textContent); });
    return parts.join('\n');
  }
  function fallbackCopy(text) {
    var ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'sr-only';
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }
  function copied(btn, ok) {
    var label = btn.querySelector('span');
    var old = label.getAttribute('data-label') || label.textContent;
    label.setAttribute('data-label', old);
    if (ok) {
      btn.classList.add('copied');
      label.textContent = 'Copied';
      announce('Remediation copied to the clipboard.');
    } else {
      // Select the text so that Ctrl+C copies it.
      var sel = window.getSelection();
      sel.selectAllChildren(btn.closest('.remedy').querySelector('.remedy-body'));
      label.textContent = 'Press Ctrl+C';
      announce('The remediation is selected: press Control+C to copy it.');
    }
    clearTimeout(btn._t);
    btn._t = setTimeout(function () { btn.classList.remove('copied'); label.textContent = old; }, 2000);
  }
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button.copy');
    if (!btn) return;
    var text = remediationText(btn);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(btn, true); }, function () { copied(btn, fallbackCopy(text)); });
    } else {
      copied(btn, fallbackCopy(text));
    }
  });

  // Printing opens every flow diagram, then restores what was open.
  var reopened = [];
  window.addEventListener('beforeprint', function () {
    reopened = [];
    document.querySelectorAll('details').forEach(function (d) {
      if (!d.open) { d.open = true; reopened.push(d); }
    });
  });
  window.addEventListener('afterprint', function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
  document.querySelectorAll('.js-print').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });

  // Diagram zoom: fit to the page width, or actual size with scrolling.
  document.querySelectorAll('.js-zoom').forEach(function (b) {
    b.addEventListener('click', function () {
      var fig = document.getElementById(b.getAttribute('aria-controls'));
      var actual = fig.classList.toggle('fit') === false;
      b.setAttribute('aria-pressed', actual ? 'true' : 'false');
      b.textContent = actual ? 'Fit to width' : 'Actual size';
    });
  });

  // Highlight the tab of the section in view.
  var links = {};
  document.querySelectorAll('.tabs a[href^="#"]').forEach(function (a) { links[a.getAttribute('href').slice(1)] = a; });
  if ('IntersectionObserver' in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        var a = links[en.target.id];
        if (!a || !en.isIntersecting) return;
        Object.keys(links).forEach(function (k) { links[k].classList.remove('current'); links[k].removeAttribute('aria-current'); });
        a.classList.add('current');
        a.setAttribute('aria-current', 'true');
      });
    }, { rootMargin: '-30% 0px -60% 0px' });
    Object.keys(links).forEach(function (id) {
      var s = document.getElementById(id);
      if (s) io.observe(s);
    });
  }
})();
