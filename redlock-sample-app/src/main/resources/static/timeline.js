// The live lock timeline: one server-sent event stream (history, then batches); no polling.
(function () {
  'use strict';
  var SHOWN_KEYS = 8, WAIT_LANES = 8, WIDTH = 1000, HOLD_Y = 6, HOLD_H = 18;
  var COLOURS = ['#1f6fd1', '#e07b00', '#2a9d3a', '#8e44ad', '#16a3a3', '#b8860b'];
  var keys = {}, instances = [], dirty = false;

  function colour(instance) {
    var i = instances.indexOf(instance);
    if (i < 0) { instances.push(instance); i = instances.length - 1; renderLegend(); }
    return COLOURS[i % COLOURS.length];
  }

  function keyState(key) {
    if (!keys[key]) { keys[key] = { key: key, holds: [], waits: [], open: {}, last: 0 }; }
    return keys[key];
  }

  function apply(e) {
    var k = keyState(e.k);
    k.last = Math.max(k.last, e.t);
    colour(e.i);
    if (e.e === 'acquired') {
      var hold = { holder: e.h, instance: e.i, name: e.n, start: e.t, end: null, extensions: [], lost: false, waited: e.w };
      k.holds.push(hold);
      k.open[e.h] = hold;
      if (e.w > 0) { k.waits.push({ holder: e.h, instance: e.i, start: e.t - e.w, end: e.t, gaveUp: null }); }
    } else if (e.e === 'released' || e.e === 'lost' || e.e === 'extended') {
      var open = k.open[e.h];
      if (!open) { return; }
      if (e.e === 'extended') { open.extensions.push(e.t); return; }
      if (e.e === 'lost') { open.lost = true; }
      open.end = e.t;
      delete k.open[e.h];
    } else if (e.e.indexOf('gave-up:') === 0) {
      k.waits.push({ holder: e.h, instance: e.i, start: e.t - e.w, end: e.t, gaveUp: e.e.substring(8) });
    }
    dirty = true;
  }

  function applyAll(events) {
    events.sort(function (a, b) { return a.t - b.t; });
    events.forEach(apply);
    Object.keys(keys).forEach(function (key) {
      keys[key].holds.sort(function (a, b) { return a.start - b.start; });
    });
  }

  function svg(tag, attributes) {
    var element = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    return element;
  }

  function time(t) {
    var d = new Date(t);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function renderKey(k, now) {
    var section = document.createElement('section');
    section.className = 'key';
    section.setAttribute('data-key', k.key);
    // From the first wait or hold to now while the key is held, else to its last event.
    var held = Object.keys(k.open).length > 0;
    var to = held ? now : Math.min(now, k.last + 250);
    var from = Math.min.apply(null, k.holds.map(function (h) { return h.start; })
      .concat(k.waits.map(function (w) { return w.start; })).concat([to - 1000]));
    var span = Math.max(to - from, 1);
    var x = function (t) { return ((t - from) / span) * WIDTH; };
    var h2 = document.createElement('h2');
    h2.textContent = k.key;
    section.appendChild(h2);
    var longest = k.waits.reduce(function (m, w) { return Math.max(m, w.end - w.start); }, 0);
    var summary = document.createElement('div');
    summary.className = 'summary';
    summary.textContent = k.holds.length + ' holders, ' + k.waits.length + ' waited (longest ' + longest + ' ms), '
      + k.waits.filter(function (w) { return w.gaveUp; }).length + ' gave up, over ' + (span / 1000).toFixed(1) + ' s';
    section.appendChild(summary);
    var height = HOLD_Y + HOLD_H + 6 + WAIT_LANES * 4;
    var chart = svg('svg', { viewBox: '0 0 ' + WIDTH + ' ' + height, preserveAspectRatio: 'none', height: height });
    k.holds.forEach(function (h) {
      var end = (h.end !== null) ? h.end : to;
      var bar = svg('rect', { x: x(h.start), y: HOLD_Y, width: Math.max(x(end) - x(h.start), 2), height: HOLD_H,
        fill: h.lost ? '#d00' : colour(h.instance), 'class': 'hold' + (h.lost ? ' lost' : ''),
        'data-holder': h.holder, 'data-start': h.start, 'data-end': (h.end !== null) ? h.end : '' });
      var title = svg('title', {});
      title.textContent = h.holder + (h.name ? ' (' + h.name + ')' : '') + ': ' + time(h.start) + ' to '
        + (h.end !== null ? time(h.end) : 'now') + (h.lost ? ', LOST' : '') + ', waited ' + h.waited + ' ms';
      bar.appendChild(title);
      chart.appendChild(bar);
      h.extensions.forEach(function (t) {
        chart.appendChild(svg('line', { x1: x(t), x2: x(t), y1: HOLD_Y - 4, y2: HOLD_Y + HOLD_H + 4,
          stroke: '#111', 'stroke-width': 2, 'class': 'extension' }));
      });
    });
    var lanes = [];
    k.waits.slice(-200).forEach(function (w) {
      var lane = 0;
      while (lane < WAIT_LANES && lanes[lane] > w.start) { lane++; }
      if (lane === WAIT_LANES) { return; }
      lanes[lane] = w.end;
      var y = HOLD_Y + HOLD_H + 6 + lane * 4;
      chart.appendChild(svg('line', { x1: x(w.start), x2: Math.max(x(w.end), x(w.start) + 1), y1: y, y2: y,
        stroke: colour(w.instance), 'stroke-opacity': 0.55, 'stroke-width': 2, 'class': 'wait' }));
      if (w.gaveUp) {
        var cross = svg('text', { x: x(w.end), y: y + 2, 'font-size': 6, fill: '#900' });
        cross.textContent = '\u00d7';
        chart.appendChild(cross);
      }
    });
    section.appendChild(chart);
    var list = document.createElement('ol');
    list.className = 'handoffs';
    k.holds.slice(-50).forEach(function (h) {
      var item = document.createElement('li');
      item.className = h.lost ? 'lost' : '';
      item.setAttribute('data-holder', h.holder);
      item.setAttribute('data-start', h.start);
      item.setAttribute('data-end', (h.end !== null) ? h.end : '');
      item.textContent = h.holder + ' acquired at ' + time(h.start) + ' after waiting ' + h.waited + ' ms'
        + (h.extensions.length ? ', extended ' + h.extensions.length + '\u00d7' : '')
        + (h.end === null ? ', holds it now' : (h.lost ? ', LOST at ' : ', released at ') + time(h.end));
      list.appendChild(item);
    });
    section.appendChild(list);
    return section;
  }

  function render() {
    if (!dirty) { return; }
    dirty = false;
    var now = Date.now();
    var main = document.getElementById('timelines');
    var shown = Object.keys(keys).map(function (key) { return keys[key]; })
      .sort(function (a, b) { return b.last - a.last; }).slice(0, SHOWN_KEYS);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (k) { fragment.appendChild(renderKey(k, now)); });
    main.replaceChildren(fragment);
  }

  function renderLegend() {
    var legend = document.getElementById('legend');
    legend.replaceChildren();
    instances.forEach(function (instance) {
      var entry = document.createElement('span');
      var swatch = document.createElement('i');
      swatch.style.background = colour(instance);
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode('instance ' + instance));
      legend.appendChild(entry);
    });
    var lost = document.createElement('span');
    lost.innerHTML = '<i style="background:#d00"></i>lost';
    legend.appendChild(lost);
  }

  var source = new EventSource('timeline/events');
  var status = document.getElementById('status');
  source.addEventListener('history', function (event) {
    keys = {};
    applyAll(JSON.parse(event.data));
    dirty = true;
    status.textContent = 'live';
  });
  source.addEventListener('batch', function (event) { applyAll(JSON.parse(event.data)); });
  source.onerror = function () { status.textContent = 'reconnecting\u2026'; };
  setInterval(render, 250);
}());
