/* coexist: runbook.html — the timeline selects the stage shown below it.
   Without this script every stage is shown, one after another. Plain
   ES2017, no libraries, nothing fetched. */
(function () {
  'use strict';
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.stage-pick'));
  var stages = Array.prototype.slice.call(document.querySelectorAll('section.stage'));
  if (!buttons.length) return;
  function show(n, focus) {
    stages.forEach(function (s) { s.hidden = s.getAttribute('data-stage') !== n; });
    buttons.forEach(function (b) {
      var on = b.getAttribute('data-stage') === n;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.classList.toggle('current', on);
    });
    var s = document.getElementById('stage-' + n);
    if (focus && s) {
      s.focus();
      if (window.coexistAnnounce) window.coexistAnnounce('Showing ' + s.getAttribute('aria-label') + '.');
    }
    if (history.replaceState) history.replaceState(null, '', '#stage-' + n);
  }
  buttons.forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-stage'), true); });
  });
  // Arrow keys move along the timeline.
  document.querySelector('.timeline').addEventListener('keydown', function (e) {
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    var j = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : -1;
    if (j < 0 || j >= buttons.length) return;
    e.preventDefault();
    buttons[j].focus();
    buttons[j].click();
  });
  var m = /^#stage-(\d+)$/.exec(location.hash);
  var first = document.querySelector('.stage-pick[data-first]');
  show(m ? m[1] : (first ? first.getAttribute('data-stage') : buttons[0].getAttribute('data-stage')), false);
})();
