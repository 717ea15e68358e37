'use strict';
// The sign-in page: a password, or the admin client certificate the browser presented.
(function () {
  const message = document.getElementById('message');

  function show(text) {
    message.textContent = text;
    message.hidden = false;
  }

  async function signIn(body) {
    const r = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin'
    });
    if (r.ok) {
      window.location.assign('/');
      return;
    }
    let text = 'sign-in failed (HTTP ' + r.status + ')';
    try { text = (await r.json()).error || text; } catch (e) { /* not JSON */ }
    show(text);
  }

  document.getElementById('password-form').addEventListener('submit', function (e) {
    e.preventDefault();
    const field = document.getElementById('password');
    const password = field.value;
    field.value = '';
    if (password) {
      signIn({ password: password }).catch(function (err) { show('the console did not answer: ' + err); });
    }
  });

  document.getElementById('sign-in-certificate').addEventListener('click', function () {
    signIn({}).catch(function (err) { show('the console did not answer: ' + err); });
  });

  fetch('/api/login/options', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (o) {
    if (o.certificate) {
      document.getElementById('certificate-user').textContent = o.certificate;
      document.getElementById('certificate').hidden = false;
    }
  }).catch(function () { /* the password form still works */ });
})();
