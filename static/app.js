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

// Accept Work Order: address suggestions as the user types a street.
(function () {
  'use strict';
  var street = document.querySelector('input[data-suggest]');
  if (!street || !window.fetch) return;
  var list = document.getElementById(street.getAttribute('list'));
  var found = [];
  var timer = null;
  function fill(s) {
    ['city', 'state', 'postal_code', 'country'].forEach(function (k) {
      var el = document.getElementById(k);
      if (el && s[k]) el.value = s[k];
    });
  }
  street.addEventListener('input', function () {
    var match = found.filter(function (s) { return s.street === street.value; })[0];
    if (match) { fill(match); return; }
    clearTimeout(timer);
    if (street.value.length < 2) return;
    timer = setTimeout(function () {
      fetch(street.getAttribute('data-suggest') + encodeURIComponent(street.value), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (vm) {
          found = vm.suggestions || [];
          list.textContent = '';
          found.forEach(function (s) {
            var o = document.createElement('option');
            o.value = s.street;
            o.textContent = s.street + ', ' + s.city + ', ' + s.state + ' ' + s.postal_code;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
