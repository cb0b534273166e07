// The page of cxr serve: no inline code (the Content-Security-Policy forbids it), nothing loaded
// from elsewhere. Talks to the same API as any client: /v1/model, /v1/predict, /v1/explain.
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var current = null; // the File last sent
  var card = null;

  function status(text, isError) {
    var s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }

  function fmt(x, digits) {
    return x === null || x === undefined ? 'none' : Number(x).toFixed(digits);
  }

  function errorOf(response) {
    return response.text().then(function (t) {
      try { return JSON.parse(t).error || t; } catch (e) { return t || ('HTTP ' + response.status); }
    });
  }

  function add(dl, name, value) {
    var dt = document.createElement('dt');
    dt.textContent = name;
    var dd = document.createElement('dd');
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function showCard(c) {
    card = c;
    $('model-line').textContent = c.model.name + ' \u00b7 sha256 ' + c.model.sha256.slice(0, 12) +
      '\u2026 \u00b7 cxr ' + c.model.version;
    var dl = $('model-card');
    dl.textContent = '';
    add(dl, 'file', c.model.name);
    add(dl, 'SHA-256', c.model.sha256);
    add(dl, 'made by', 'cxr ' + c.model.version + ', DL4J ' + c.provenance.dl4jVersion);
    add(dl, 'task', c.multiLabel ? c.findings.length + ' findings, one sigmoid each'
      : c.findings[0].finding + ' vs No Finding');
    add(dl, 'network', c.network + ', ' + c.imageSize + ' px input');
    add(dl, 'trained on', c.trainImages + ' images (' + c.validationImages + ' for validation), epoch ' + c.bestEpoch);
    add(dl, 'validation', c.validationAuc);
    c.findings.forEach(function (f) {
      add(dl, f.finding, 'threshold ' + fmt(f.threshold, 3) + ', sensitivity ' + fmt(f.sensitivity, 2) +
        ', specificity ' + fmt(f.specificity, 2) + (f.temperature !== 1 ? ', temperature ' + fmt(f.temperature, 2) : ''));
    });
    add(dl, 'data fingerprint', c.dataFingerprint);
    var select = $('finding');
    select.textContent = '';
    c.findings.forEach(function (f) {
      var o = document.createElement('option');
      o.value = f.finding;
      o.textContent = f.finding;
      select.appendChild(o);
    });
  }

  function showBars(result) {
    var ul = $('bars');
    ul.textContent = '';
    result.findings.forEach(function (f) {
      var li = document.createElement('li');
      li.className = f.atOrAboveThreshold ? 'called' : '';
      li.setAttribute('data-finding', f.finding);
      var name = document.createElement('span');
      name.className = 'name';
      name.textContent = f.finding;
      var bar = document.createElement('span');
      bar.className = 'bar';
      bar.title = f.finding + ': probability ' + fmt(f.probability, 3) + ', threshold ' + fmt(f.threshold, 3);
      var fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.width = (100 * f.probability).toFixed(1) + '%';
      bar.appendChild(fill);
      if (f.threshold !== null) {
        var mark = document.createElement('span');
        mark.className = 'threshold';
        mark.style.left = 'calc(' + (100 * f.threshold).toFixed(1) + '% - 1px)';
        bar.appendChild(mark);
      }
      var value = document.createElement('span');
      value.className = 'value';
      value.textContent = fmt(f.probability, 3);
      li.appendChild(name);
      li.appendChild(bar);
      li.appendChild(value);
      ul.appendChild(li);
    });
    var called = result.positive.length ? 'called: ' + result.positive.join(', ') : 'no finding at or above its threshold';
    $('timing').textContent = called + ' \u00b7 scored in ' + result.timeMs + ' ms';
    $('result').hidden = false;
    $('explain').hidden = false;
    // explain the most probable finding first
    var top = result.findings.slice().sort(function (a, b) { return b.probability - a.probability; })[0];
    $('finding').value = top.finding;
  }

  function send(file) {
    current = file;
    status('Scoring ' + file.name + '\u2026', false);
    $('overlay').hidden = true;
    var preview = $('preview');
    if (/^image\/(png|jpeg)$/.test(file.type)) {
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    } else {
      preview.hidden = true;
    }
    fetch('/v1/predict', { method: 'POST', body: file,
      headers: { 'Content-Type': file.type || 'application/octet-stream' } })
      .then(function (r) {
        if (!r.ok) { return errorOf(r).then(function (m) { throw new Error(m); }); }
        return r.json();
      })
      .then(function (result) {
        showBars(result);
        status(file.name + ' scored.', false);
        explain();
      })
      .catch(function (e) { status(e.message, true); });
  }

  function explain() {
    if (!current) { return; }
    var finding = $('finding').value;
    var button = $('explain-button');
    button.disabled = true;
    fetch('/v1/explain?finding=' + encodeURIComponent(finding), { method: 'POST', body: current,
      headers: { 'Content-Type': current.type || 'application/octet-stream' } })
      .then(function (r) {
        if (!r.ok) { return errorOf(r).then(function (m) { throw new Error(m); }); }
        return r.blob();
      })
      .then(function (blob) {
        var img = $('overlay');
        img.alt = 'Grad-CAM overlay of ' + finding;
        img.src = URL.createObjectURL(blob);
        img.hidden = false;
      })
      .catch(function (e) { status(e.message, true); })
      .then(function () { button.disabled = false; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    fetch('/v1/model').then(function (r) {
      if (!r.ok) { return errorOf(r).then(function (m) { throw new Error(m); }); }
      return r.json();
    }).then(showCard).catch(function (e) { $('model-line').textContent = e.message; });
    $('file').addEventListener('change', function (e) {
      if (e.target.files.length) { send(e.target.files[0]); }
    });
    var drop = $('drop');
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      if (e.dataTransfer.files.length) { send(e.dataTransfer.files[0]); }
    });
    $('explain-button').addEventListener('click', explain);
  });
})();
