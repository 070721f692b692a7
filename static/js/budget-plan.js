// Budget plan editor: add line rows from the formset's empty form, and keep running totals.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  if (!form) return;
  const rows = document.getElementById("line-rows");
  const template = document.getElementById("line-template");
  const totalForms = form.querySelector('input[name="line-TOTAL_FORMS"]');
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function amount(input) {
    const value = parseFloat((input.value || "").replace(/[,\s]/g, ""));
    return Number.isFinite(value) ? value : 0;
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
  }

  document.getElementById("add-line").addEventListener("click", function () {
    const index = parseInt(totalForms.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    rows.lastElementChild.querySelector("select").focus();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
