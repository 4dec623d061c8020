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

// Collaborate: typing @ suggests the people and teams this user may tag.
(function () {
  'use strict';
  if (!window.fetch) return;
  document.querySelectorAll('[data-mentions]').forEach(function (field) {
    var list = document.createElement('ul');
    list.className = 'suggest';
    list.setAttribute('role', 'listbox');
    list.id = field.id + '-suggest';
    list.hidden = true;
    field.setAttribute('aria-controls', list.id);
    field.setAttribute('aria-autocomplete', 'list');
    field.parentNode.insertBefore(list, field.nextSibling);
    function query() {
      var upto = field.value.slice(0, field.selectionStart);
      var m = /(^|[\s(])@"?([^"@\n]{0,40})$/.exec(upto);
      return m ? { text: m[2], start: upto.length - m[2].length - (upto.charAt(upto.length - m[2].length - 1) === '"' ? 2 : 1) } : null;
    }
    function close() { list.hidden = true; list.textContent = ''; }
    field.addEventListener('input', function () {
      var q = query();
      if (!q) { close(); return; }
      fetch(field.getAttribute('data-mentions') + encodeURIComponent(q.text), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (vm) {
          list.textContent = '';
          (vm.suggestions || []).forEach(function (s) {
            var li = document.createElement('li');
            li.setAttribute('role', 'option');
            li.textContent = s.name + (s.kind === 'team' ? ' (team)' : '');
            li.addEventListener('mousedown', function (e) {
              e.preventDefault();
              var cur = query();
              if (!cur) return;
              field.value = field.value.slice(0, cur.start) + s.insert + ' ' + field.value.slice(field.selectionStart);
              close();
              field.focus();
            });
            list.appendChild(li);
          });
          list.hidden = list.children.length === 0;
        })
        .catch(close);
    });
    field.addEventListener('blur', function () { setTimeout(close, 150); });
    field.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  });
})();

// Files: drop files on the upload form.
(function () {
  'use strict';
  document.querySelectorAll('form[data-dropzone]').forEach(function (form) {
    var input = form.querySelector('input[type=file]');
    if (!input || !window.DataTransfer) return;
    ['dragenter', 'dragover'].forEach(function (t) {
      form.addEventListener(t, function (e) { e.preventDefault(); form.classList.add('dragover'); });
    });
    form.addEventListener('dragleave', function () { form.classList.remove('dragover'); });
    form.addEventListener('drop', function (e) {
      e.preventDefault();
      form.classList.remove('dragover');
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        form.submit();
      }
    });
  });
})();

// Accept: Travel Distance(mi) as the partner types the round trip (the
// server computes it the same way when the form is submitted).
(function () {
  'use strict';
  var trip = document.getElementById('round_trip');
  var out = document.getElementById('travel_distance');
  if (!trip || !out) return;
  var covered = Number(trip.getAttribute('data-covered')) || 0;
  function update() {
    var v = trip.value.trim();
    if (!/^\d+(\.\d{1,2})?$/.test(v)) { out.textContent = ''; return; }
    var d = Math.max(0, Math.round((Number(v) - covered) * 10) / 10);
    out.textContent = String(d);
  }
  trip.addEventListener('input', update);
  update();
})();

// Customer Information: the site on a small map, when the server has a
// tile server configured (the page links to OpenStreetMap either way).
(function () {
  'use strict';
  var el = document.getElementById('site-map');
  if (!el || !window.L) return;
  var lat = Number(el.getAttribute('data-lat')), lon = Number(el.getAttribute('data-lon'));
  var map = window.L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 15);
  window.L.tileLayer(el.getAttribute('data-tiles'), {
    maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'
  }).addTo(map);
  window.L.circleMarker([lat, lon], { radius: 9, weight: 3 }).addTo(map).bindTooltip(el.getAttribute('data-label'));
})();
