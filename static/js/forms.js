// Forms of every page (loaded by base.html):
// - after a failed submit, the error summary (templates/includes/form_errors.html) comes into
//   view and takes the focus; a link in it focuses its field with the field's label in view;
// - amounts (input.amount, units.fields.BahtInput) get thousands separators as they are typed,
//   and two decimals when the field is left.
(function () {
  "use strict";

  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    const visible = label && label.getClientRects().length && !label.classList.contains("visually-hidden");
    (visible ? label : field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // Only what reads as an amount is reformatted: anything else stays as typed, so the
  // server's error names the mistake.
  const AMOUNT = /^\s*[0-9][0-9,\s]*(\.[0-9]*)?\s*$|^\s*\.[0-9]*\s*$/;

  function grouped(text, decimals) {
    const clean = text.replace(/[,\s]/g, "");
    const dot = clean.indexOf(".");
    let whole = (dot < 0 ? clean : clean.slice(0, dot)).replace(/^0+(?=[0-9])/, "") || "0";
    let fraction = dot < 0 ? null : clean.slice(dot + 1);
    if (decimals && fraction !== null && fraction.length > 2) return null; // the server says why
    if (decimals) fraction = ((fraction || "") + "00").slice(0, 2);
    whole = whole.replace(/\B(?=([0-9]{3})+(?![0-9]))/g, ",");
    return fraction === null ? whole : whole + "." + fraction;
  }

  function isAmount(target) {
    return target instanceof HTMLInputElement && target.classList.contains("amount");
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!isAmount(input) || !AMOUNT.test(input.value)) return;
    const before = input.value;
    const kept = before.slice(0, input.selectionStart).replace(/[^0-9.]/g, "").length;
    const after = grouped(before, false);
    if (after === null || after === before) return;
    input.value = after;
    let caret = 0;
    for (let seen = 0; caret < after.length && seen < kept; caret += 1) {
      if (/[0-9.]/.test(after[caret])) seen += 1;
    }
    input.setSelectionRange(caret, caret);
  });

  document.addEventListener(
    "blur",
    function (event) {
      const input = event.target;
      if (!isAmount(input) || !AMOUNT.test(input.value)) return;
      const after = grouped(input.value, true);
      if (after !== null && after !== input.value) {
        input.value = after;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    },
    true
  );
})();
