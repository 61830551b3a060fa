// One way for the studio's scripts to send a form to the server and read
// its JSON answer, so autosave, the preview and image uploads tell a lost
// connection, an ended session and a refusal apart the same way; and their
// words, in the site's language.
// Loaded before editor.js and images.js.
(function () {
  "use strict";

  // The page gives the scripts' messages, translated, as JSON in a
  // data-studio-messages attribute.
  const messages = (function () {
    const holder = document.querySelector("[data-studio-messages]");
    try {
      return holder ? JSON.parse(holder.dataset.studioMessages) : {};
    } catch (error) {
      return {};
    }
  })();
  const language = document.documentElement.lang || "en";
  const plurals = new Intl.PluralRules(language);

  // A message with its {name}s filled in from `values`.
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, (whole, name) =>
      values && name in values ? String(values[name]) : whole
    );
  }

  function message(key, values) {
    return fill(key in messages ? messages[key] : key, values);
  }

  // A message with a form for each plural category ("one", "other"), for
  // `count`, which fills in {count} written the language's way.
  function countMessage(key, count) {
    const forms = messages[key] || {};
    const form = forms[plurals.select(count)] || forms.other || "{count}";
    return fill(form, { count: count.toLocaleString(language) });
  }

  // Resolves with {outcome, status, answer, reason}: outcome is "ok",
  // "offline", "expired" (the login page's redirect) or "refused" (reason:
  // the server's message, if it gave one).
  async function postForm(url, data) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch (error) {
      return { outcome: "offline", status: 0, answer: {}, reason: "" };
    }
    if (response.type === "opaqueredirect" || response.status === 401) {
      return { outcome: "expired", status: response.status, answer: {}, reason: "" };
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    const outcome = response.ok ? "ok" : "refused";
    const reason = response.status === 413 ? message("too_large") : answer.message || answer.error || "";
    return { outcome, status: response.status, answer, reason };
  }

  window.studioPost = postForm;
  window.studioMessage = message;
  window.studioCountMessage = countMessage;
})();
