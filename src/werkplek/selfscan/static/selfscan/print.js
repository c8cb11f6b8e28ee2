// Progressive enhancement: a "Print this page" button, shown only when JavaScript runs.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
