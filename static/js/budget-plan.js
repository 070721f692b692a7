// Budget plan editor: add line rows from the formset's empty form, and keep running totals.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  if (!form) return;
  const rows = document.getElementById("line-rows");
  const template = document.getElementById("line-template");
  const totalForms = form.querySelector('input[name="line-TOTAL_FORMS"]');
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // Only what the server reads as an amount (units.fields.BahtField) counts in the totals:
  // parseFloat alone would read the mistyped "1,25O,000" as 125.
  const AMOUNT = /^([0-9]+\.?[0-9]*|\.[0-9]+)$/;

  function amount(input) {
    const text = (input.value || "").replace(/[,\s]/g, "");
    return AMOUNT.test(text) ? parseFloat(text) : 0;
  }

  const typeCategories = JSON.parse(document.getElementById("type-categories").textContent);

  function fillTotals(tbody, totals) {
    tbody.replaceChildren();
    Object.keys(totals).sort().forEach(function (name) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      const td = document.createElement("td");
      td.className = "num";
      td.textContent = format.format(totals[name]);
      tr.append(th, td);
      tbody.append(tr);
    });
  }

  function refresh() {
    let expenditure = 0;
    const byProgramme = {};
    const byCategory = {};
    rows.querySelectorAll(".line-row").forEach(function (row) {
      const removed = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      const input = row.querySelector('input[name$="-amount"]');
      if (!input || (removed && removed.checked)) return;
      const value = amount(input);
      expenditure += value;
      const programme = row.querySelector('select[name$="-programme"]');
      const type = row.querySelector('select[name$="-expense_type"]');
      if (programme && programme.value) {
        const name = programme.options[programme.selectedIndex].text;
        byProgramme[name] = (byProgramme[name] || 0) + value;
      }
      if (type && type.value && typeCategories[type.value]) {
        const name = typeCategories[type.value];
        byCategory[name] = (byCategory[name] || 0) + value;
      }
    });
    fillTotals(document.getElementById("totals-by-programme"), byProgramme);
    fillTotals(document.getElementById("totals-by-category"), byCategory);
    let revenue = 0;
    form.querySelectorAll('input[name^="rev-source_"]').forEach(function (input) {
      revenue += amount(input);
    });
    document.getElementById("total-expenditure").textContent = format.format(expenditure);
    document.getElementById("total-revenue").textContent = format.format(revenue);
    document.getElementById("balance-warning").hidden = Math.abs(expenditure - revenue) < 0.005;
    // budgets.rules.revenue_flag: more spent than received, or lines without any revenue.
    const hasLines = Array.prototype.some.call(
      rows.querySelectorAll('input[name$="-amount"]'),
      function (input) { return input.value.trim() !== ""; }
    );
    document.getElementById("revenue-flag").hidden =
      !(hasLines && (revenue < 0.005 || expenditure - revenue >= 0.005));
  }

  // The work list of a line offers the works of its programme only (data-programme on each
  // option, budgets.forms.WorkSelect); the server refuses a work of another programme anyway.
  // On load a line keeps its saved work even if it does not match (the server names the
  // mismatch on save); a change of programme clears a work of another programme.
  function filterWorks(row, onLoad) {
    const programme = row.querySelector('select[name$="-programme"]');
    const work = row.querySelector('select[name$="-work"]');
    if (!programme || !work) return;
    work.querySelectorAll("option[data-programme]").forEach(function (option) {
      const other = !programme.value || option.dataset.programme !== programme.value;
      if (onLoad && option.selected) return;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) work.value = "";
    });
    work.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }

  rows.addEventListener("change", function (event) {
    if (event.target.matches('select[name$="-programme"]')) filterWorks(event.target.closest(".line-row"));
  });
  rows.querySelectorAll(".line-row").forEach(function (row) { filterWorks(row, true); });

  document.getElementById("add-line").addEventListener("click", function () {
    const index = parseInt(totalForms.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    filterWorks(rows.lastElementChild, false);
    rows.lastElementChild.querySelector("select").focus();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
