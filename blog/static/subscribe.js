// The subscribe page, with script: a Copy button beside each feed address.
// Without it the addresses are still there to select and copy by hand.
(function () {
  "use strict";

  const status = document.querySelector(".copy-status");
  if (!status) return;

  async function copy(input) {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (error) {
      // No clipboard API (a page not served over HTTPS): the older way.
      input.select();
      if (!document.execCommand("copy")) {
        status.textContent = "Select the address and copy it (Ctrl+C or Cmd+C).";
        return;
      }
    }
    const label = document.querySelector("label[for='" + input.id + "']").textContent;
    status.textContent = "Copied the " + label + " address.";
  }

  for (const input of document.querySelectorAll("input.copyable")) {
    input.addEventListener("focus", () => input.select());
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "Copy";
    const label = document.querySelector("label[for='" + input.id + "']").textContent;
    button.setAttribute("aria-label", "Copy the " + label + " address");
    button.addEventListener("click", () => copy(input));
    input.after(button);
  }
})();
