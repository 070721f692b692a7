/* LAO directory filters: choosing a province reloads the list, so the district list narrows to
   that province (the form works the same without this script, one click later). */
(function () {
  "use strict";
  document.querySelectorAll("form.directory-filters, form.links-filters").forEach(function (form) {
    var province = form.querySelector("select[name=province]");
    if (!province) return;
    province.addEventListener("change", function () {
      var district = form.querySelector("select[name=district]");
      if (district) district.value = "";
      form.submit();
    });
  });
})();
