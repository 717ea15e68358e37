'use strict';
// The Cluster page: the cluster as the console's API reports it, refreshed every 15 s, and the Add Node dialog.
(function () {
  let csrf = null;

  function signInAgain() { window.location.assign('/login'); }

  async function api(path, options) {
    const r = await fetch(path, Object.assign({ credentials: 'same-origin' }, options || {}));
    if (r.status === 401) {
      signInAgain();
      throw new Error('signed out');
    }
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      throw new Error((body && body.error) || ('HTTP ' + r.status));
    }
    return body;
  }

  function change(path, body) {
    return api(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    });
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function fill(tableId, items, columns, empty) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren();
    if (items.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(tr, empty, 'muted');
      td.colSpan = document.querySelectorAll('#' + tableId + ' thead th').length;
      body.appendChild(tr);
      return;
    }
    for (const item of items) {
      const tr = document.createElement('tr');
      for (const c of columns) {
        const v = c(item);
        if (Array.isArray(v)) { cell(tr, v[0], v[1]); } else { cell(tr, v); }
      }
      body.appendChild(tr);
    }
  }

  function render(view) {
    fill('nodes', view.nodes, [
      function (n) { return n.name; },
      function (n) { return n.role; },
      function (n) { return [n.status, n.status === 'Ready' ? 'good' : 'bad']; },
      function (n) { return n.version; },
      function (n) { return n.age; },
      function (n) { return n.address; }
    ], 'no nodes reported');
    fill('etcd', view.etcd, [
      function (m) { return m.name; },
      function (m) { return m.id; },
      function (m) { return m.learner ? 'learner' : (m.leader ? 'leader' : 'voter'); },
      function (m) { return [m.state, m.state === 'healthy' ? 'good' : 'bad']; }
    ], 'no members reported');
    const b = view.balancer;
    document.getElementById('balancer-mode').textContent = b
      ? 'Mode: ' + b.mode + (b.endpoint ? ', endpoint ' + b.endpoint : '') : 'no balancer record on this master';
    fill('backends', b ? b.backends : [], [
      function (x) { return x.name; },
      function (x) { return x.address; },
      function (x) { return [x.detail || (x.healthy ? 'up' : 'down'), x.healthy ? 'good' : 'bad']; }
    ], 'no backends');
    fill('certificates', view.certificates, [
      function (c) { return c.name; },
      function (c) { return c.expires; },
      function (c) { return [c.remaining, c.soon ? 'bad' : 'good']; },
      function (c) { return c.authority; }
    ], 'no certificates found');
    const problems = document.getElementById('problems');
    problems.textContent = view.problems.join('\n');
    problems.hidden = view.problems.length === 0;
    const advice = document.getElementById('advice');
    advice.replaceChildren();
    for (const a of view.advice) {
      const li = document.createElement('li');
      li.textContent = a;
      advice.appendChild(li);
    }
    document.getElementById('advice-card').hidden = view.advice.length === 0;
    document.getElementById('collected').textContent = 'As seen from ' + view.collectedOn + ' at ' + view.collectedAt + '.';
  }

  async function refresh() {
    try {
      render(await api('/api/cluster'));
    } catch (e) {
      const problems = document.getElementById('problems');
      problems.textContent = 'Could not load the cluster: ' + e.message;
      problems.hidden = false;
    }
  }

  // --- Add Node
  const dialog = document.getElementById('add-dialog');
  const joinError = document.getElementById('join-error');

  document.getElementById('add-node').addEventListener('click', function () {
    document.getElementById('join').hidden = true;
    joinError.hidden = true;
    dialog.showModal();
  });
  document.getElementById('close-dialog').addEventListener('click', function () { dialog.close(); });

  document.getElementById('make-command').addEventListener('click', async function () {
    const button = this;
    const role = document.querySelector('input[name=role]:checked').value;
    button.disabled = true;
    joinError.hidden = true;
    document.getElementById('join').hidden = true;
    document.getElementById('copied').textContent = '';
    try {
      const offer = await change('/api/join', { role: role });
      document.getElementById('join-role').textContent = offer.role;
      document.getElementById('join-expires').textContent = offer.expires;
      document.getElementById('join-expires').dateTime = offer.expires;
      document.getElementById('join-command').value = offer.command;
      document.getElementById('join').hidden = false;
    } catch (e) {
      joinError.textContent = e.message;
      joinError.hidden = false;
    } finally {
      button.disabled = false;
    }
  });

  document.getElementById('copy').addEventListener('click', async function () {
    const field = document.getElementById('join-command');
    const status = document.getElementById('copied');
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Copied to the clipboard.';
    } catch (e) {
      // without clipboard access (an insecure origin, a refused permission) fall back to the selection
      field.select();
      status.textContent = document.execCommand('copy') ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C to copy.';
    }
  });

  document.getElementById('sign-out').addEventListener('click', function () {
    change('/api/logout', {}).finally(signInAgain);
  });

  api('/api/session').then(function (s) {
    csrf = s.csrf;
    document.getElementById('identity').textContent = s.identity;
    refresh();
    setInterval(refresh, 15000);
  }).catch(function () { /* api() went to the sign-in page */ });
})();
