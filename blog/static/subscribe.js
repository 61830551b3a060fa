// The subscribe page, with script: a Copy button beside each feed address.
// Without it the addresses are still there to select and copy by hand.
// Its words come from the page, in the site's language (data-* attributes
// of the status line; "%(label)s" stands for the feed's format).
(function () {
  "use strict";

  const status = document.querySelector(".copy-status");
  if (!status) return;
  const words = status.dataset;

  function labelled(text, label) {
    return text.replace("%(label)s", label);
  }

  async function copy(input) {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (error) {
      // No clipboard API (a page not served over HTTPS): the older way.
      input.select();
      if (!document.execCommand("copy")) {
        status.textContent = words.copyByHand;
        return;
      }
    }
    const label = document.querySelector("label[for='" + input.id + "']").textContent;
    status.textContent = labelled(words.copied, label);
  }

  for (const input of document.querySelectorAll("input.copyable")) {
    input.addEventListener("focus", () => input.select());
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = words.copy;
    const label = document.querySelector("label[for='" + input.id + "']").textContent;
    button.setAttribute("aria-label", labelled(words.copyLabel, label));
    button.addEventListener("click", () => copy(input));
    input.after(button);
  }
})();
