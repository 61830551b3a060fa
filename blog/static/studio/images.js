// Images in the editor, with script: an image dropped or pasted into the text
// is described (alt text, asked for first), uploaded, and its Markdown put
// where the cursor was; a cover chosen from disk is uploaded as soon as it is
// chosen, so autosave keeps it; recent images get an Insert button. Without
// script, the cover uploads with the form and images come from the images page.
(function () {
  "use strict";

  const form = document.getElementById("editor");
  const dialog = document.getElementById("image-dialog");
  if (!form || !dialog || typeof dialog.showModal !== "function") return;

  const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  const body = form.elements.body;
  const stateLabel = form.querySelector(".autosave-state");
  const altInput = document.getElementById("image-alt");
  const fileLabel = dialog.querySelector(".image-dialog-file");
  // The page's words, in the site's language (studio/post.js).
  const text = window.studioMessage;

  function say(message, failed) {
    stateLabel.textContent = message;
    stateLabel.classList.toggle("failed", Boolean(failed));
  }

  function imagesIn(transfer) {
    if (!transfer || !transfer.files) return [];
    return Array.from(transfer.files).filter((file) => IMAGE_TYPES.includes(file.type));
  }

  // The dialog's buttons close it with their value; Enter in the field uploads.
  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("button[value]");
    if (button) dialog.close(button.value);
  });
  altInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      dialog.close("upload");
    }
  });

  // Resolves with the description typed, or null when the author cancels.
  function askForDescription(file, action) {
    fileLabel.textContent = file.name ? text("file", { name: file.name }) : text("pasted_image");
    dialog.querySelector("button[value=upload]").textContent = action;
    altInput.value = "";
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener(
        "close",
        () => resolve(dialog.returnValue === "upload" ? altInput.value.trim() : null),
        { once: true }
      );
      dialog.showModal();
      altInput.focus();
    });
  }

  // The server's answer: {id, label, markdown, url}; null after saying why not.
  async function upload(file, description) {
    const data = new FormData();
    const token = form.elements.csrf_token;
    if (token) data.append("csrf_token", token.value);
    data.append("image", file, file.name || "pasted-image." + file.type.split("/")[1]);
    data.append("alt", description);
    say(text("uploading"));
    const result = await window.studioPost(form.dataset.uploadUrl, data);
    if (result.outcome !== "ok") {
      say(text("upload_" + result.outcome, { reason: result.reason || text("refused") }), true);
      return null;
    }
    say(text("image_uploaded"));
    return result.answer;
  }

  // The Markdown on a paragraph of its own, at `position` in the text.
  function insertAt(position, markdown) {
    const before = body.value.slice(0, position);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const text = lead + markdown + "\n\n";
    body.setRangeText(text, position, position, "end");
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  async function insertImages(files) {
    // Where the cursor was when the image came: typing may go on meanwhile.
    let position = body.selectionStart;
    for (const file of files) {
      const description = await askForDescription(file, text("upload_and_insert"));
      if (description === null) continue;
      const answer = await upload(file, description);
      if (!answer) return;
      const lengthBefore = body.value.length;
      insertAt(Math.min(position, body.value.length), answer.markdown);
      position += body.value.length - lengthBefore;
    }
  }

  body.addEventListener("paste", (event) => {
    const files = imagesIn(event.clipboardData);
    if (!files.length) return;
    event.preventDefault();
    insertImages(files);
  });
  body.addEventListener("dragover", (event) => {
    if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault();
      body.classList.add("dropping");
    }
  });
  body.addEventListener("dragleave", () => body.classList.remove("dropping"));
  body.addEventListener("drop", (event) => {
    body.classList.remove("dropping");
    const files = imagesIn(event.dataTransfer);
    if (!files.length) return;
    event.preventDefault();
    insertImages(files);
  });
  form.querySelector(".drop-hint").hidden = false;

  // ---- The cover: uploaded when chosen, then picked in the list ----
  const coverFile = form.elements.cover_image;
  const coverChoice = form.elements.cover;
  coverFile.addEventListener("change", async () => {
    const file = coverFile.files[0];
    if (!file) return;
    let description = form.elements.cover_alt.value.trim();
    if (!description) {
      description = await askForDescription(file, text("upload_cover"));
      if (description === null) {
        coverFile.value = "";
        return;
      }
    }
    const answer = await upload(file, description);
    if (!answer) return; // the file stays chosen: Save sends it with the form
    coverFile.value = "";
    coverChoice.add(new Option(answer.label, String(answer.id), true, true), 1);
    coverChoice.dispatchEvent(new Event("change", { bubbles: true }));
    say(text("cover_uploaded"));
  });

  // ---- Recent images: insert at the cursor ----
  for (const item of form.querySelectorAll(".upload-snippets li[data-markdown]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button quiet insert-image";
    button.textContent = text("insert");
    const described = /^!\[([^\]]*)\]/.exec(item.dataset.markdown);
    button.setAttribute(
      "aria-label",
      described && described[1]
        ? text("insert_described", { description: described[1] })
        : text("insert_undescribed")
    );
    button.addEventListener("click", () => insertAt(body.selectionEnd, item.dataset.markdown));
    item.append(button);
  }
})();
