// Sign-in page helper. The key URL the console prints at start is /signin#key=...: a URL fragment is never sent
// to any server (so the key stays out of request logs, proxies and traces). This script takes the key from the
// fragment, removes it from the address bar and history, and submits the sign-in form with it.
(() => {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  const input = document.getElementById("access-key");
  const form = document.getElementById("signin-form");
  if (!input || !form) return;
  input.value = decodeURIComponent(match[1]);
  form.submit();
})();
