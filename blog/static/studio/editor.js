// The editor, better with script: a live preview from the server's own
// renderer, word count, autosave to the server and to this browser, a warning
// before leaving unsaved text, Ctrl/Cmd+S to save, Ctrl/Cmd+Shift+P to preview,
// and the publication time in words. Without it the form still saves,
// previews (by page load) and publishes.
(function () {
  "use strict";

  const form = document.getElementById("editor");
  if (!form) return;

  const AUTOSAVE_AFTER_MS = 2000;
  const PREVIEW_AFTER_MS = 600;
  const WORDS_PER_MINUTE = 220;
  // A page's editor has no category or tags: only the fields it shows.
  const FIELDS = ["title", "slug", "category", "tags", "summary", "body", "cover", "cover_alt", "publish_at"]
    .filter((name) => form.elements[name]);

  const body = form.elements.body;
  const title = form.elements.title;
  const stateLabel = form.querySelector(".autosave-state");
  const previewBody = form.querySelector(".live-preview .body");
  const previewTitle = form.querySelector(".live-preview .preview-title");
  const storageKey = form.dataset.storageKey;
  let autosaveUrl = form.dataset.autosaveUrl;
  let savedText = snapshot();
  let autosaveTimer = null;
  let previewTimer = null;
  let submitting = false;
  let saving = false; // one autosave at a time: the first makes the draft
  // The page's words, in the site's language (studio/post.js).
  const text = window.studioMessage;

  function snapshot() {
    const values = {};
    for (const name of FIELDS) values[name] = form.elements[name].value;
    values.comments_open = form.elements.comments_open.checked;
    return JSON.stringify(values);
  }

  function restoreSnapshot(text) {
    const values = JSON.parse(text);
    for (const name of FIELDS) {
      if (typeof values[name] === "string") form.elements[name].value = values[name];
    }
    form.elements.comments_open.checked = Boolean(values.comments_open);
  }

  function isDirty() {
    return snapshot() !== savedText;
  }

  function say(message, failed) {
    stateLabel.textContent = message;
    stateLabel.classList.toggle("failed", Boolean(failed));
  }

  // ---- This browser's copy: kept on every change, so a crash, a lost
  // connection or an expired session loses nothing. ----
  function keepLocally() {
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({ fields: snapshot(), at: new Date().toISOString() })
      );
    } catch (error) {
      // Private mode or a full quota: the server copy still works.
    }
  }

  function forgetLocally() {
    try {
      localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing to forget.
    }
  }

  function restoreLocalCopy() {
    let kept = null;
    try {
      kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      kept = null;
    }
    if (!kept || kept.fields === snapshot()) return;
    const serverTime = Date.parse(form.dataset.savedAt || "") || 0;
    if (Date.parse(kept.at) <= serverTime) return;
    restoreSnapshot(kept.fields);
    const at = new Date(kept.at);
    say(text("restored", { time: at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }));
    scheduleAutosave();
  }

  // ---- Autosave to the server ----
  function scheduleAutosave() {
    clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(autosave, AUTOSAVE_AFTER_MS);
  }

  async function autosave() {
    if (saving) {
      scheduleAutosave();
      return;
    }
    saving = true;
    try {
      await sendAutosave();
    } finally {
      saving = false;
    }
  }

  async function sendAutosave() {
    if (!isDirty() || submitting) return;
    if (!title.value.trim() && !body.value.trim()) return;
    const sent = snapshot();
    say(text("saving"));
    const data = new FormData(form);
    data.delete("cover_image"); // images.js uploads a cover as it is chosen
    const result = await window.studioPost(autosaveUrl, data);
    if (result.outcome !== "ok") {
      say(text("not_saved_" + result.outcome, { reason: result.reason || text("refused") }), true);
      return;
    }
    const answer = result.answer;
    savedText = sent;
    form.dataset.savedAt = answer.saved_at_iso;
    if (snapshot() === sent) forgetLocally();
    say(text("saved", { time: answer.saved_at }));
    if (answer.autosave_url && answer.autosave_url !== autosaveUrl) {
      // A new article became a draft: go on editing it at its own address.
      autosaveUrl = answer.autosave_url;
      form.dataset.autosaveUrl = autosaveUrl;
      form.action = answer.edit_url;
      forgetLocally();
      form.dataset.storageKey = storageKeyFor(answer.edit_url);
      history.replaceState(null, "", answer.edit_url);
      form.querySelector(".editor-status .status").textContent = text("draft");
    }
  }

  function storageKeyFor(editUrl) {
    const match = /articles\/(\d+)\/edit/.exec(editUrl);
    return match ? "blog-editor:" + match[1] : storageKey;
  }

  // ---- Live preview from the server's renderer and sanitiser ----
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, PREVIEW_AFTER_MS);
  }

  async function refreshPreview() {
    const data = new FormData();
    data.append("body", body.value);
    const token = form.elements.csrf_token;
    if (token) data.append("csrf_token", token.value);
    previewBody.parentElement.setAttribute("aria-busy", "true");
    const result = await window.studioPost(form.dataset.previewUrl, data);
    previewBody.parentElement.setAttribute("aria-busy", "false");
    // Otherwise the preview waits for the next change.
    if (result.outcome === "ok") {
      // Sanitised by the server (blog.rendering.render_article), as saved.
      previewBody.innerHTML = result.answer.html;
    }
  }

  // ---- Counts ----
  function updateCounts() {
    const words = body.value.split(/\s+/).filter(Boolean).length;
    form.querySelector(".word-count").textContent = window.studioCountMessage("words", words);
    form.querySelector(".reading-time").textContent =
      window.studioCountMessage("min_read", Math.max(1, Math.round(words / WORDS_PER_MINUTE)));
    previewTitle.textContent = title.value;
  }

  // ---- Publication time in words, in the site's zone ----
  function describePublishTime() {
    const target = form.querySelector(".publish-words");
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(form.elements.publish_at.value.trim());
    if (!match) {
      target.textContent = "";
      return;
    }
    const [, year, month, day, hour, minute] = match.map(Number);
    // The wall-clock time as typed, named in the site's zone.
    const moment = new Date(Date.UTC(year, month - 1, day, hour, minute));
    if (moment.getUTCDate() !== day) {
      target.textContent = text("no_such_date");
      return;
    }
    const words = new Intl.DateTimeFormat(form.dataset.dateLocale || "en-GB", {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    }).format(moment);
    const time = String(hour).padStart(2, "0") + ":" + String(minute).padStart(2, "0");
    target.textContent = text("schedule_words", { date: words, time: time, zone: form.dataset.timeZone });
  }

  // ---- Tabs on narrow screens ----
  const tabs = form.querySelector(".pane-tabs");
  const panes = { write: document.getElementById("pane-write"), preview: document.getElementById("pane-preview") };
  const wide = window.matchMedia("(min-width: 75rem)");

  function showPane(name) {
    for (const [key, pane] of Object.entries(panes)) {
      const selected = key === name;
      pane.hidden = !wide.matches && !selected;
      const tab = document.getElementById("tab-" + key);
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    if (name === "preview") refreshPreview();
  }

  function layOut() {
    tabs.hidden = wide.matches;
    form.classList.toggle("has-tabs", !wide.matches);
    if (wide.matches) {
      panes.write.hidden = false;
      panes.preview.hidden = false;
    } else {
      showPane(document.getElementById("tab-preview").getAttribute("aria-selected") === "true" ? "preview" : "write");
    }
  }

  tabs.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) showPane(tab.id.replace("tab-", ""));
  });
  tabs.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const next = document.getElementById("tab-write").getAttribute("aria-selected") === "true" ? "preview" : "write";
    showPane(next);
    document.getElementById("tab-" + next).focus();
  });
  wide.addEventListener("change", layOut);

  // ---- Wiring ----
  form.addEventListener("input", () => {
    keepLocally();
    updateCounts();
    describePublishTime();
    scheduleAutosave();
    schedulePreview();
  });
  form.addEventListener("change", () => {
    keepLocally();
    scheduleAutosave();
  });
  form.addEventListener("submit", () => {
    // The form saves everything; the local copy stays until the page that
    // follows loads, in case the post fails.
    submitting = true;
    clearTimeout(autosaveTimer);
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("keydown", (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.shiftKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit(form.elements.save);
    } else if (mod && event.shiftKey && event.key.toLowerCase() === "p") {
      event.preventDefault();
      if (wide.matches) refreshPreview();
      else showPane("preview");
    }
  });

  // A page that follows a successful save holds what was saved: the local
  // copy is then older than the server's and is dropped.
  restoreLocalCopy();
  if (!isDirty()) forgetLocally();
  layOut();
  updateCounts();
  describePublishTime();
  if (previewBody.querySelector(".empty")) refreshPreview();
})();
