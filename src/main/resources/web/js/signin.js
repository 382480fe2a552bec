// Sign in as a user (email and password, for an access token) or as the operator (the deployment's API token).

import { api, ApiError } from './api.js';
import { h } from './dom.js';

export function signInPage(signedIn) {
  const alert = h('p', { role: 'alert', class: 'error' });
  const busy = async (form, work) => {
    const button = form.querySelector('button');
    button.disabled = true;
    alert.textContent = '';
    try {
      await work();
    } catch (e) {
      alert.textContent = e instanceof ApiError && e.status === 401 && e.code === 'invalid_credentials'
        ? 'The email or the password is wrong.'
        : e instanceof ApiError && e.status === 401 ? 'That token is not valid on this server.' : e.message;
    } finally {
      button.disabled = false;
    }
  };

  const userForm = h('form', { 'aria-labelledby': 'signin-title' },
    h('div', { class: 'field' }, h('label', { for: 'email' }, 'Email'),
      h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, 'Sign in'));
  userForm.addEventListener('submit', event => {
    event.preventDefault();
    busy(userForm, async () => {
      const { access_token } = await api('/v1/auth/token', {
        method: 'POST', token: null, body: { email: userForm.email.value.trim(), password: userForm.password.value },
      });
      await signedIn(access_token);
    });
  });

  const tokenForm = h('form', {},
    h('div', { class: 'field' }, h('label', { for: 'api-token' }, 'Operator token (STEADFAST_API_TOKEN)'),
      h('input', { id: 'api-token', name: 'token', type: 'password', autocomplete: 'off', required: true })),
    h('button', { type: 'submit' }, 'Sign in with the token'));
  tokenForm.addEventListener('submit', event => {
    event.preventDefault();
    busy(tokenForm, () => signedIn(tokenForm.token.value.trim()));
  });

  return h('div', { class: 'signin card' },
    h('h1', { id: 'signin-title' }, 'Sign in to Steadfast'),
    alert, userForm,
    h('details', {}, h('summary', {}, 'Operator? Sign in with the API token'),
      h('p', { class: 'muted' }, 'steadfast serve printed it when it generated it; it is also kept in the data directory.'),
      tokenForm));
}
