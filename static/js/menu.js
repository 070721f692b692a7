// The main menu on narrow screens: a button that opens and closes it (templates/includes/
// header.html). Without this script the menu stays open and the button stays hidden.
(function () {
  "use strict";
  const nav = document.querySelector(".main-nav");
  const button = nav && nav.querySelector(".menu-button");
  if (!button) return;
  nav.classList.add("menu-ready");

  function setOpen(open) {
    nav.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
