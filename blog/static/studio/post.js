// One way for the studio's scripts to send a form to the server and read
// its JSON answer, so autosave, the preview and image uploads tell a lost
// connection, an ended session and a refusal apart the same way.
// Loaded before editor.js and images.js.
(function () {
  "use strict";

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
    const reason = response.status === 413 ? "it is too large" : answer.message || answer.error || "";
    return { outcome, status: response.status, answer, reason };
  }

  window.studioPost = postForm;
})();
