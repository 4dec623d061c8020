// Fieldwork: small enhancements; every page works without this file.
(function () {
  'use strict';
  // Escape closes an open list-view menu and returns focus to it.
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var open = document.querySelector('details.views[open]');
    if (!open) return;
    open.removeAttribute('open');
    open.querySelector('summary').focus();
  });
  // Clicking outside an open list-view menu closes it.
  document.addEventListener('click', function (e) {
    var open = document.querySelector('details.views[open]');
    if (open && !open.contains(e.target)) open.removeAttribute('open');
  });
})();
